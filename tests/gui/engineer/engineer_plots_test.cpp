// Issue 13, engineer view plots: "no data yet" instead of empty axes, sane ranges (one sample does not fill
// the plot; the heartbeat axes start at 0, not -1), and "Test duration per slot" follows the records as runs
// finish - from the operator's station in the main window, and from another process when the tab is shown.
#include <gtest/gtest.h>

#include <qcustomplot.h>
#include <QDateTime>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUuid>

#include "app/main_window.h"
#include "engineer/engineer_plots.h"
#include "engineer/engineer_view.h"
#include "engineer_test_fixture.h"
#include "gizrig/records/sql_record_store.h"
#include "operator/operator_station.h"
#include "operator/operator_view.h"

using namespace gizrig::gui;
using gizrig::core::RunRecord;

namespace {

RunRecord finishedRun(const QString& slot, std::int64_t seconds) {
  RunRecord run;
  run.id = QUuid::createUuid();
  run.station = QStringLiteral("EOL-1");
  run.slot = slot;
  run.scenario = QStringLiteral("production");
  run.startedMs = QDateTime::currentMSecsSinceEpoch() - seconds * 1000;
  run.finishedMs = run.startedMs + seconds * 1000;
  run.outcome = gizrig::core::Outcome::Pass;
  return run;
}

bool saveRun(const QString& db, const RunRecord& run) {
  QString error;
  auto store = gizrig::core::SqlRecordStore::open(db, &error);
  return store && store->saveRun(run);
}

}  // namespace

TEST(EngineerPlots, Issue13_EmptyPlotsSayNoDataYetInsteadOfDrawingEmptyAxes) {
  gui_b_test::app();
  EngineerPlots plots;
  for (QCustomPlot* plot :
       {plots.signalPlot(), plots.heartbeatPlot(), plots.latencyPlot(), plots.durationPlot()})
    EXPECT_TRUE(EngineerPlots::showsNoData(plot));
  plots.addStatus(12000, 3 << 8);
  EXPECT_FALSE(EngineerPlots::showsNoData(plots.signalPlot()));
  plots.addHeartbeat(1000);  // one heartbeat is no interval yet
  EXPECT_TRUE(EngineerPlots::showsNoData(plots.heartbeatPlot()));
  plots.addHeartbeat(56000);
  EXPECT_FALSE(EngineerPlots::showsNoData(plots.heartbeatPlot()));
  plots.clear();
  EXPECT_TRUE(EngineerPlots::showsNoData(plots.signalPlot()));
  EXPECT_TRUE(EngineerPlots::showsNoData(plots.heartbeatPlot()));
}

TEST(EngineerPlots, Issue13_OneSampleDoesNotFillThePlotAndTheHeartbeatAxesStartAtZero) {
  gui_b_test::app();
  EngineerPlots plots;
  plots.addStatus(12000, 3 << 8);
  const QCPRange signal = plots.signalPlot()->xAxis->range();
  EXPECT_LE(signal.lower, 12.0);
  EXPECT_GE(signal.size(), 60.0);  // a minute's window, the sample at its left
  plots.addHeartbeat(1000);
  plots.addHeartbeat(56000);
  EXPECT_GE(plots.heartbeatPlot()->xAxis->range().lower, 0.0);
  EXPECT_EQ(plots.heartbeatPlot()->yAxis->range().lower, 0.0);
  EXPECT_GT(plots.heartbeatPlot()->yAxis->range().upper, 55.0);
  plots.addRoundTrip(42);
  EXPECT_GE(plots.latencyPlot()->xAxis->range().lower, 0.0);
  EXPECT_GE(plots.latencyPlot()->xAxis->range().size(), 50.0);  // a lone bar is not the whole plot
  EXPECT_EQ(plots.latencyPlot()->yAxis->range().lower, 0.0);
}

TEST(EngineerPlots, Issue13_DurationPerSlotRefreshesAsTheOperatorsRunsFinish) {
  gui_b_test::app();
  gui_b_test::clearSettings();
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, dir.filePath("records.db"), dir.filePath("lab"), &clock};
  MainWindow window(context);
  auto* engineer = window.findChild<EngineerView*>();
  auto* operatorView = window.findChild<OperatorView*>();
  ASSERT_NE(engineer, nullptr);
  ASSERT_NE(operatorView, nullptr);
  EXPECT_TRUE(EngineerPlots::showsNoData(engineer->plots()->durationPlot()));

  // A run finishes on the station: the records change and the station says so.
  ASSERT_TRUE(saveRun(context.recordsDb, finishedRun("slot-1", 20)));
  emit operatorView->station().resultsChanged();
  EXPECT_FALSE(EngineerPlots::showsNoData(engineer->plots()->durationPlot()));
  EXPECT_GT(engineer->plots()->durationPlot()->yAxis->range().upper, 20.0);

  // A run recorded by another process appears when the engineer opens the Plots tab.
  ASSERT_TRUE(saveRun(context.recordsDb, finishedRun("slot-2", 90)));
  engineer->tabs()->setCurrentWidget(engineer->plots());
  EXPECT_GT(engineer->plots()->durationPlot()->yAxis->range().upper, 90.0);
}

namespace {

class EngineerPlotsView : public gui_b_test::EngineerViewFixture {};

}  // namespace

TEST_F(EngineerPlotsView, Issue13_PlotsOfAFreshModuleScreenshot) {
  ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")));
  view_->session().setPumping(false);
  // Two heartbeats' worth of virtual time: signal and heartbeats have data, round trips and durations not.
  runUntil([&] { return view_->plots()->heartbeats() >= 3; }, 200000);
  EXPECT_FALSE(EngineerPlots::showsNoData(view_->plots()->signalPlot()));
  EXPECT_FALSE(EngineerPlots::showsNoData(view_->plots()->heartbeatPlot()));
  EXPECT_TRUE(EngineerPlots::showsNoData(view_->plots()->latencyPlot()));
  view_->tabs()->setCurrentWidget(view_->plots());
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-plots-fresh"));
}
