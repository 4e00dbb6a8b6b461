// Issue 6, operator view: "yield counters (tested, passed, failed, first-pass yield) and the last results"
// come from the records database for this station (since the shift start, by default today), not only from
// this session. The records are pre-filled through the store's own API; the view is opened on them.
#include <gtest/gtest.h>

#include <QAction>
#include <QDateTime>
#include <QLabel>
#include <QListWidget>
#include <QTemporaryDir>
#include <QUuid>
#include <memory>

#include "gizrig/records/sql_record_store.h"
#include "gui_b_test_support.h"
#include "operator/operator_view.h"
#include "operator/session_yield.h"

using namespace gizrig::gui;
using gizrig::core::Outcome;
using gizrig::core::RunRecord;

namespace {

RunRecord run(const QString& station, const QString& serial, Outcome outcome, std::int64_t startedMs) {
  RunRecord r;
  r.id = QUuid::createUuid();
  r.station = station;
  r.slot = QStringLiteral("1");
  r.dut.serial = serial;
  r.scenario = QStringLiteral("production");
  r.startedMs = startedMs;
  gizrig::core::StepRecord step;
  step.name = outcome == Outcome::Pass ? QStringLiteral("control") : QStringLiteral("signal_level");
  step.startedMs = startedMs;
  step.outcome = outcome;
  step.message = outcome == Outcome::Pass ? QString() : QStringLiteral("signal level 1 below 3");
  r.steps.push_back(step);
  gizrig::core::finishRun(r, startedMs + 500);
  return r;
}

// line-1.json is station EOL-1. Today: SN-A passes; SN-B fails, then passes on the retest; SN-C errors
// (the rig's fault). Not counted: EOL-2's run, and EOL-1's run of yesterday.
void prefill(const QString& path, std::int64_t nowMs) {
  QString error;
  auto store = gizrig::core::SqlRecordStore::open(path, &error);
  ASSERT_TRUE(store) << error.toStdString();
  const std::int64_t midnight = startOfLocalDayMs(nowMs);
  ASSERT_TRUE(store->saveRun(run("EOL-1", "SN-OLD", Outcome::Fail, midnight - 3600 * 1000)));
  ASSERT_TRUE(store->saveRun(run("EOL-1", "SN-A", Outcome::Pass, nowMs - 50)));
  ASSERT_TRUE(store->saveRun(run("EOL-1", "SN-B", Outcome::Fail, nowMs - 40)));
  ASSERT_TRUE(store->saveRun(run("EOL-2", "SN-X", Outcome::Pass, nowMs - 30)));
  ASSERT_TRUE(store->saveRun(run("EOL-1", "SN-B", Outcome::Pass, nowMs - 20)));
  ASSERT_TRUE(store->saveRun(run("EOL-1", "SN-C", Outcome::Error, nowMs - 10)));
}

// A records database pre-filled by prefill() and an operator view opened on it.
class OperatorRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    gui_b_test::app();
    prefill(db, now);
    if (HasFatalFailure()) return;
    view_ = std::make_unique<OperatorView>(context);
  }

  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, db, QString(), &clock};
  std::unique_ptr<OperatorView> view_;
};

}  // namespace

TEST_F(OperatorRecords, Issue6_YieldCountersAndLastResultsComeFromTheRecordsOfThisStationToday) {
  OperatorView& view = *view_;
  ASSERT_EQ(view.station().config().station, "EOL-1");
  ASSERT_TRUE(view.station().recordsOpen());

  const YieldCounters c = view.station().recorded().counters();
  EXPECT_EQ(c.tested, 3);
  EXPECT_EQ(c.passed, 2);
  EXPECT_EQ(c.failed, 1);
  EXPECT_EQ(c.errors, 1);
  EXPECT_DOUBLE_EQ(c.firstPassYield, 0.5);  // SN-A passed first time, SN-B did not
  const QString counters = view.counters()->text();
  EXPECT_TRUE(counters.contains("EOL-1 today")) << counters.toStdString();
  EXPECT_TRUE(counters.contains("Tested 3\nPassed 2\nFailed 1\nFirst-pass yield 50.0 %"))
      << counters.toStdString();
  EXPECT_TRUE(counters.contains("This session: 0 tested")) << counters.toStdString();

  // The last results: this station's runs of today, newest first, in the operator's words.
  QListWidget* list = view.lastResults();
  ASSERT_EQ(list->count(), 4);
  EXPECT_TRUE(list->item(0)->text().contains("  ERROR  ")) << list->item(0)->text().toStdString();
  EXPECT_TRUE(list->item(0)->text().contains("SN-C"));
  EXPECT_TRUE(list->item(1)->text().contains("  PASS  "));
  EXPECT_TRUE(list->item(1)->text().contains("SN-B"));
  EXPECT_TRUE(list->item(2)->text().contains("  FAIL  "));
  EXPECT_TRUE(list->item(3)->text().contains("SN-A"));
  for (int i = 0; i < list->count(); ++i) {
    EXPECT_FALSE(list->item(i)->text().contains("SN-X"));    // another station
    EXPECT_FALSE(list->item(i)->text().contains("SN-OLD"));  // yesterday
  }
  ASSERT_TRUE(gui_b_test::screenshot(view, "operator-records"));
}

TEST_F(OperatorRecords, Issue6_ANewShiftCountsFromItsStartAndANewRecordMovesTheCounters) {
  OperatorView& view = *view_;
  ASSERT_EQ(view.station().recorded().counters().tested, 3);

  view.station().setShiftStart(now);  // "New shift" with the clock at `now`: nothing recorded since
  EXPECT_EQ(view.station().recorded().counters().tested, 0);
  EXPECT_EQ(view.lastResults()->count(), 0);
  EXPECT_TRUE(view.counters()->text().contains("since")) << view.counters()->text().toStdString();

  // Another session of this station (another window, `gizrig production`) records a run: it counts here too.
  {
    QString error;
    auto store = gizrig::core::SqlRecordStore::open(db, &error);
    ASSERT_TRUE(store) << error.toStdString();
    ASSERT_TRUE(store->saveRun(run("EOL-1", "SN-D", Outcome::Pass, now + 1)));
  }
  view.station().refreshRecorded();
  const YieldCounters c = view.station().recorded().counters();
  EXPECT_EQ(c.tested, 1);
  EXPECT_EQ(c.passed, 1);
  ASSERT_EQ(view.lastResults()->count(), 1);
  EXPECT_TRUE(view.lastResults()->item(0)->text().contains("SN-D"));
  EXPECT_TRUE(view.counters()->text().contains("Tested 1\nPassed 1"))
      << view.counters()->text().toStdString();

  view.newShiftAction()->trigger();  // the button: the shift starts now, after SN-D
  EXPECT_EQ(view.station().recorded().counters().tested, 0);
}

TEST_F(OperatorRecords, Issue13_NewShiftIsRecordedAndAReopenedWindowCountsFromIt) {
  view_->newShiftAction()->trigger();
  const std::int64_t shift = view_->station().shiftStartMs();
  EXPECT_GE(shift, now);
  EXPECT_EQ(view_->station().recorded().counters().tested, 0);
  view_.reset();  // the GUI closed ...
  {
    QString error;
    auto store = gizrig::core::SqlRecordStore::open(db, &error);
    ASSERT_TRUE(store) << error.toStdString();
    const auto recorded = store->currentShift("EOL-1");
    ASSERT_TRUE(recorded) << store->lastError().toStdString();
    EXPECT_EQ(recorded->startedMs, shift);
    EXPECT_EQ(recorded->operatorName, "operator");  // line-1.json's operator
  }
  view_ = std::make_unique<OperatorView>(context);  // ... and opened again: still the same shift
  EXPECT_EQ(view_->station().shiftStartMs(), shift);
  EXPECT_EQ(view_->station().recorded().counters().tested, 0);
  EXPECT_TRUE(view_->counters()->text().contains("since")) << view_->counters()->text().toStdString();
}
