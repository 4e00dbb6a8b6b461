// Issue 6, QA view: "run a selection in virtual time or real time". Real time is lab::runScenarioInLab (a lab
// of its own per scenario: gagent-sim on a pty, gagent-air, mosquitto - what `gizrig run --sim` does) on the
// view's worker thread; Cancel works during a real-time scenario and leaves no process behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <functional>

#include "gizrig/clock/rig_clock.h"
#include "gui_b_test_support.h"
#include "lab_process_support.h"
#include "qa/qa_view.h"
#include "qa_test_support.h"

using namespace gizrig::gui;
using gizrig::core::Outcome;

namespace {

using gui_b_test::labChildren;
using gui_b_test::waitUntil;

struct Fixture {
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context;
  Fixture() {
    gui_b_test::app();
    context.fixturesDir = QStringLiteral(GAGENT_FIXTURES_DIR);
    context.recordsDb = dir.filePath("runs.db");
    context.clock = &clock;
  }
};

}  // namespace

TEST(QaRealTime, Issue6_QaRunsASelectionInRealTimeAgainstTheLabAndShowsPass) {
  Fixture f;
  QaView view(f.context);
  EXPECT_EQ(view.runMode(), QaRunMode::VirtualTime);  // the default stays the fast one
  view.setRunMode(QaRunMode::RealTime);
  ASSERT_EQ(view.runMode(), QaRunMode::RealTime);
  view.selectScenarios({"discovery.json"});
  ASSERT_EQ(view.selectedScenarioFiles().size(), 1);

  view.runSelected();
  ASSERT_TRUE(view.isRunning());
  ASSERT_TRUE(waitUntil([&] { return !view.isRunning(); }, 55000)) << "the real-time run did not end";
  ASSERT_EQ(view.results().size(), 1u);
  const auto& record = view.results()[0];
  EXPECT_EQ(record.mode, gizrig::core::RunMode::Real);
  EXPECT_EQ(record.station, "lab");
  ASSERT_TRUE(record.outcome.has_value());
  EXPECT_EQ(*record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString() << "\n"
      << view.log()->toPlainText().toStdString();

  // The results table: the scenario row says PASS, the steps carry their clause tags.
  gui_b_test::expectResultsShowAPassWithClause(view, record, "S7.1.2");
  // The live log carried the engine's own lines from the lab run (timestamps and steps as they happened).
  const QString log = view.log()->toPlainText();
  EXPECT_TRUE(log.contains("real time"));
  EXPECT_TRUE(log.contains("] step ")) << log.toStdString();
  // The records keep it as a real-time run; the lab is gone.
  ASSERT_GE(view.historyTable()->rowCount(), 1);
  EXPECT_EQ(view.historyTable()->item(0, 3)->text(), gizrig::core::runModeName(gizrig::core::RunMode::Real));
  EXPECT_EQ(view.historyTable()->item(0, 4)->text(), "PASS");
  EXPECT_TRUE(waitUntil([] { return labChildren().isEmpty(); }, 5000))
      << labChildren().join(' ').toStdString();
  ASSERT_TRUE(gui_b_test::screenshot(view, "qa-realtime"));
}

TEST(QaRealTime, Issue6_CancelDuringARealTimeScenarioEndsItAndLeavesNoProcessBehind) {
  Fixture f;
  QaView view(f.context);
  view.setRunMode(QaRunMode::RealTime);
  // Two scenarios that wait long in real time (lan-heartbeat runs first: it comes first in the certification
  // suite): the cancel must end the one in progress, inside its 30 s wait after the login, and skip the next.
  view.selectScenarios({"lan-heartbeat.json", "mcu-heartbeat.json"});
  ASSERT_EQ(view.selectedScenarioFiles().size(), 2);
  ASSERT_TRUE(view.selectedScenarioFiles()[0].endsWith("lan-heartbeat.json"));
  view.runSelected();
  // Inside the scenario: the lab is up (its processes are our children) and the login step passed.
  ASSERT_TRUE(waitUntil([&] { return view.log()->toPlainText().contains("login: PASS"); }, 50000))
      << view.log()->toPlainText().toStdString();
  ASSERT_TRUE(view.isRunning());
  EXPECT_FALSE(labChildren().isEmpty()) << "the check below would prove nothing";

  view.cancel();
  // Generous: the cancel is polled every 50 ms, then the lab stops its children (SIGTERM, reaped).
  ASSERT_TRUE(waitUntil([&] { return !view.isRunning(); }, 20000)) << "the cancel did not end the run";
  ASSERT_EQ(view.results().size(), 1u);  // the second scenario never started
  const auto& record = view.results()[0];
  EXPECT_EQ(record.scenario, "App heartbeat keeps the session");
  ASSERT_TRUE(record.outcome.has_value());
  EXPECT_EQ(*record.outcome, Outcome::Error);
  EXPECT_TRUE(record.failingMessage.contains("cancelled")) << record.failingMessage.toStdString();
  EXPECT_TRUE(view.summary()->text().startsWith("cancelled")) << view.summary()->text().toStdString();
  const auto* results = view.resultsView();
  EXPECT_EQ(results->scenarioRow(0)->text(QaResults::kOutcome), "ERROR");
  EXPECT_EQ(results->scenarioRow(1)->text(QaResults::kOutcome), "not run");
  // Real time: the durations are the wall clock's, and the view says so.
  EXPECT_EQ(results->tree()->headerItem()->text(QaResults::kDuration), "Wall ms");
  EXPECT_TRUE(results->timeNote()->text().contains("wall time"));
  EXPECT_TRUE(labChildren().isEmpty()) << labChildren().join(' ').toStdString();
}
