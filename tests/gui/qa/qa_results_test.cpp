// Issue 13, QA view: the failure message readable without scrolling (the failing step selected, its message
// whole in the detail pane), steps under their scenario with value / limits / unit, a tag filter and a
// search, "Rerun failed", progress per scenario, and whether the durations are wall or virtual time.
// Runs in virtual time on a fixtures directory of two scenarios: discovery.json (PASS) and a copy whose
// round-trip limit no module meets (FAIL). Screenshot: qa-failure.png.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>

#include "gizrig/clock/rig_clock.h"
#include "gui_b_test_support.h"
#include "lab_process_support.h"
#include "qa/qa_results.h"
#include "qa/qa_scenario_tree.h"
#include "qa/qa_view.h"

using namespace gizrig::gui;
using gizrig::core::Outcome;
using gui_b_test::waitUntil;

namespace {

class QaResultsView : public ::testing::Test {
 protected:
  void SetUp() override {
    gui_b_test::app();
    QDir root(dir.path());
    ASSERT_TRUE(root.mkpath("scenarios"));
    ASSERT_TRUE(root.mkpath("suites"));
    ASSERT_TRUE(root.mkpath("products"));
    ASSERT_TRUE(QFile::copy(GAGENT_FIXTURES_DIR "/products/gokit-demo.json",
                            root.filePath("products/gokit-demo.json")));
    QFile discovery(GAGENT_FIXTURES_DIR "/scenarios/discovery.json");
    ASSERT_TRUE(discovery.open(QIODevice::ReadOnly));
    const QByteArray pass = discovery.readAll();
    write("scenarios/discovery.json", pass);
    QByteArray fail = pass;
    fail.replace("\"LAN discovery answers at once\"", "\"LAN discovery within an impossible limit\"");
    fail.replace("\"smoke\"", "\"flaky\"");
    fail.replace("\"min\": 0,", "\"min\": 500000,");
    fail.replace("\"max\": 1000", "\"max\": 900000");
    write("scenarios/discovery-impossible.json", fail);
    context.fixturesDir = dir.path();
    context.recordsDb = dir.filePath("runs.db");
    context.clock = &clock;
    view = std::make_unique<QaView>(context);
  }
  void write(const QString& name, const QByteArray& bytes) {
    QFile file(QDir(dir.path()).filePath(name));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(bytes);
  }
  void runBoth() {
    view->selectScenarios({"discovery.json", "discovery-impossible.json"});
    ASSERT_EQ(view->selectedScenarioFiles().size(), 2);
    view->runSelected();
    ASSERT_TRUE(waitUntil([&] { return !view->isRunning(); }, 50000));
    ASSERT_EQ(view->results().size(), 2u);
  }

  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context;
  std::unique_ptr<QaView> view;
};

}  // namespace

TEST_F(QaResultsView,
       Issue13_TheFailureIsReadableWithoutScrolling_StepsUnderTheirScenarioWithValueLimitsUnit) {
  view->resize(1400, 820);
  view->show();
  runBoth();
  const QaResults& results = *view->resultsView();
  QTreeWidget* tree = results.tree();
  ASSERT_EQ(tree->topLevelItemCount(), 2);  // one row per scenario, its steps under it
  // Tree order: discovery-impossible.json, then discovery.json.
  const QTreeWidgetItem* failed = tree->topLevelItem(0);
  const QTreeWidgetItem* passed = tree->topLevelItem(1);
  EXPECT_EQ(passed->text(QaResults::kOutcome), "PASS");
  EXPECT_EQ(failed->text(QaResults::kOutcome), "FAIL");
  ASSERT_EQ(passed->childCount(), 4);
  const QTreeWidgetItem* roundTrip = passed->child(1);
  EXPECT_TRUE(roundTrip->text(QaResults::kName).contains("discovery round trip"))
      << roundTrip->text(QaResults::kName).toStdString();
  EXPECT_FALSE(roundTrip->text(QaResults::kValue).isEmpty());
  EXPECT_EQ(roundTrip->text(QaResults::kLimits), "0 .. 1000");
  EXPECT_EQ(roundTrip->text(QaResults::kUnit), "ms");

  // The failing step is opened and selected by itself; its message stands whole in the detail pane.
  const QTreeWidgetItem* failing = failed->child(1);
  EXPECT_EQ(failing->text(QaResults::kOutcome), "FAIL");
  EXPECT_TRUE(failed->isExpanded());
  EXPECT_EQ(tree->currentItem(), failing);
  const QString message = failing->text(QaResults::kMessage);
  ASSERT_FALSE(message.isEmpty());
  EXPECT_TRUE(results.detail()->isVisible());
  EXPECT_TRUE(results.detail()->toPlainText().contains(message))
      << results.detail()->toPlainText().toStdString();
  EXPECT_TRUE(results.detail()->toPlainText().contains("500000 .. 900000"));
  EXPECT_EQ(results.detail()->verticalScrollBar()->maximum(), 0) << "the detail pane needs scrolling";
  EXPECT_FALSE(tree->horizontalScrollBar()->isVisible());
  ASSERT_TRUE(gui_b_test::screenshot(*view, "qa-failure"));
}

TEST_F(QaResultsView, Issue13_ATagFilterAndASearchNarrowTheTreeAndWhatRuns) {
  QaScenarioTree& scenarios = *view->scenarios();
  ASSERT_GE(scenarios.tagFilter()->findData("flaky"), 1);
  view->selectScenarios({"discovery.json", "discovery-impossible.json"});
  scenarios.setFilter("flaky", QString());
  ASSERT_EQ(view->selectedScenarioFiles().size(), 1);  // the hidden one is not run
  EXPECT_TRUE(view->selectedScenarioFiles()[0].endsWith("discovery-impossible.json"));
  scenarios.setFilter(QString(), "answers at once");  // the search: the name ...
  ASSERT_EQ(view->selectedScenarioFiles().size(), 1);
  EXPECT_TRUE(view->selectedScenarioFiles()[0].endsWith("/discovery.json"));
  scenarios.setFilter(QString(), "S7.1.2");  // ... or a clause
  EXPECT_EQ(view->selectedScenarioFiles().size(), 2);
  scenarios.setFilter(QString(), "no such thing");
  EXPECT_TRUE(view->selectedScenarioFiles().isEmpty());
  scenarios.search()->clear();
  EXPECT_EQ(view->selectedScenarioFiles().size(), 2);
}

TEST_F(QaResultsView, Issue13_RerunFailedRunsOnlyTheScenariosThatDidNotPass) {
  EXPECT_FALSE(view->rerunFailedButton()->isEnabled());  // nothing failed yet
  runBoth();
  ASSERT_TRUE(view->rerunFailedButton()->isEnabled());
  EXPECT_EQ(view->rerunFailedButton()->text(), "Rerun failed (1)");
  view->rerunFailedButton()->click();
  ASSERT_TRUE(waitUntil([&] { return !view->isRunning(); }, 50000));
  ASSERT_EQ(view->results().size(), 1u);
  EXPECT_EQ(view->results()[0].scenario, "LAN discovery within an impossible limit");
  EXPECT_EQ(view->resultsView()->tree()->topLevelItemCount(), 1);
}

TEST_F(QaResultsView, Issue13_ProgressPerScenarioAndTheDurationsSayTheyAreVirtualTime) {
  view->selectScenarios({"discovery.json", "discovery-impossible.json"});
  view->runSelected();
  // At once: a row per scenario, each with its own progress.
  const QaResults& results = *view->resultsView();
  ASSERT_EQ(results.tree()->topLevelItemCount(), 2);
  ASSERT_NE(results.progress(0), nullptr);
  ASSERT_NE(results.progress(1), nullptr);
  ASSERT_TRUE(waitUntil([&] { return !view->isRunning(); }, 50000));
  EXPECT_EQ(results.progress(1)->maximum(), 4);  // discovery.json has four steps
  EXPECT_EQ(results.progress(1)->value(), 4);
  EXPECT_EQ(results.progress(0)->maximum(), 4);
  EXPECT_EQ(results.progress(0)->value(), 2);  // the copy stopped at its failing second step
  EXPECT_EQ(results.tree()->headerItem()->text(QaResults::kDuration), "Virtual ms");
  EXPECT_TRUE(results.timeNote()->text().contains("virtual time"))
      << results.timeNote()->text().toStdString();
}
