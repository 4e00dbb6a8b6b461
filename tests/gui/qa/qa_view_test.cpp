// The QA view runs a scenario in virtual time on its worker thread and shows PASS, keeps it in the records
// and exports it; plus a screenshot.
#include <gtest/gtest.h>

#include <QDir>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>

#include "gizrig/clock/rig_clock.h"
#include "gui_b_test_support.h"
#include "qa_test_support.h"
#include "qa/qa_view.h"

using namespace gizrig::gui;
using gizrig::core::Outcome;

namespace {

bool waitUntil(const std::function<bool()>& done, int limitMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done() && timer.elapsed() < limitMs) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  }
  return done();
}

}  // namespace

TEST(QaView, S7_1_2_DiscoveryScenarioPassesInVirtualTimeFromTheView) {
  gui_b_test::app();
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context;
  context.fixturesDir = QStringLiteral(GAGENT_FIXTURES_DIR);
  context.recordsDb = dir.filePath("runs.db");
  context.clock = &clock;
  QaView view(context);

  ASSERT_GE(view.tree()->topLevelItemCount(), 2);  // the certification suite and "All scenarios"
  view.selectScenarios({"discovery.json"});
  const QStringList files = view.selectedScenarioFiles();
  ASSERT_EQ(files.size(), 1);
  EXPECT_TRUE(files[0].endsWith("scenarios/discovery.json"));

  view.runSelected();
  EXPECT_TRUE(view.isRunning());
  // The GUI thread stays free while the worker runs: this loop keeps processing events.
  ASSERT_TRUE(waitUntil([&] { return !view.isRunning(); }, 50000));
  ASSERT_EQ(view.results().size(), 1u);
  const auto& record = view.results()[0];
  ASSERT_TRUE(record.outcome.has_value());
  EXPECT_EQ(*record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString();
  EXPECT_EQ(record.mode, gizrig::core::RunMode::Virtual);

  // Results: one row per step plus the scenario row, the outcome in words, the clause tags shown.
  gui_b_test::expectResultsShowAPassWithClause(view, record, "S7.1.2");
  EXPECT_TRUE(view.log()->toPlainText().contains("PASS"));

  // History from the records database.
  ASSERT_GE(view.historyTable()->rowCount(), 1);
  EXPECT_EQ(view.historyTable()->item(0, 4)->text(), "PASS");

  // Exports.
  QString error;
  ASSERT_TRUE(view.exportResults(dir.filePath("r.xml"), QaView::ExportFormat::Junit, error));
  ASSERT_TRUE(view.exportResults(dir.filePath("r.json"), QaView::ExportFormat::Json, error));
  ASSERT_TRUE(view.exportResults(dir.filePath("r.html"), QaView::ExportFormat::Html, error));
  QFile junit(dir.filePath("r.xml"));
  ASSERT_TRUE(junit.open(QIODevice::ReadOnly));
  EXPECT_TRUE(junit.readAll().contains("<testsuites"));
  EXPECT_FALSE(view.exportResults("/nonexistent/dir/r.xml", QaView::ExportFormat::Junit, error));

  ASSERT_TRUE(gui_b_test::screenshot(view, "qa"));
}

TEST(QaView, CancelStopsBetweenScenarios) {
  gui_b_test::app();
  gizrig::core::RealClock clock;
  GuiContext context;
  context.fixturesDir = QStringLiteral(GAGENT_FIXTURES_DIR);
  context.clock = &clock;
  QaView view(context);
  // Every shipped scenario: the worker thread needs far longer for them than the GUI thread takes to cancel,
  // so the cancel lands between scenarios (a handful of them could finish in the moment between the two
  // calls).
  const QStringList all =
      QDir(QStringLiteral(GAGENT_FIXTURES_DIR "/scenarios")).entryList({"*.json"}, QDir::Files);
  view.selectScenarios(all);
  ASSERT_EQ(view.selectedScenarioFiles().size(), all.size());
  view.runSelected();
  view.cancel();
  ASSERT_TRUE(waitUntil([&] { return !view.isRunning(); }, 50000));
  EXPECT_LT(view.results().size(), static_cast<std::size_t>(all.size()));
}
