// Issue 13, operator station: what a tile says (the step in words, its time against the limits, the measured
// values against theirs, the duplicate flag, where a FAIL stopped), its own Start / Retest / Abort, and the
// FAIL alarm (bell and blink, both switchable and persisted). Widgets on plain data, no lab.
#include <gtest/gtest.h>

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTest>

#include "app/gui_settings.h"
#include "gizrig/production/production_sequence.h"
#include "gui_b_test_support.h"
#include "lab_process_support.h"
#include "operator/fail_alarm.h"
#include "operator/operator_slot_tile.h"
#include "operator/tile_readout.h"

using namespace gizrig::gui;
using gizrig::core::Measurement;
using gizrig::core::Outcome;
using gizrig::core::RunRecord;
using gizrig::core::StepRecord;

namespace {

// A production run that stopped at `failAt` (0-based; -1: PASS) with the deciding values measured so far.
RunRecord productionRun(int failAt, double signalLevel = 5) {
  RunRecord run;
  run.id = QUuid::createUuid();
  run.dut.mac = QStringLiteral("020000000007");
  run.dut.serial = QStringLiteral("SN-7");
  const QStringList names = gizrig::core::ProductionSequence::phaseNames();
  for (int i = 0; i < names.size(); ++i) {
    StepRecord step;
    step.name = names[i];
    step.index = i;
    if (names[i] == "join_test_router")
      step.measurements.push_back(
          Measurement{"join_time", 1234.0, "ms", std::nullopt, 60000.0, Outcome::Pass});
    if (names[i] == "control_round_trip")
      step.measurements.push_back(
          Measurement{"control_round_trip", 85.0, "ms", std::nullopt, 3000.0, Outcome::Pass});
    if (names[i] == "signal_level")
      step.measurements.push_back(
          Measurement{"signal_level", signalLevel, "level", 3.0, std::nullopt, Outcome::Pass});
    gizrig::core::judgeStep(step);
    if (i == failAt && step.outcome == Outcome::Pass) {
      step.outcome = Outcome::Fail;
      step.message = "the module did not complete it within 15 s";
    }
    run.steps.push_back(step);
    if (i == failAt) break;
  }
  gizrig::core::finishRun(run, 1000);
  return run;
}

}  // namespace

TEST(OperatorTile, Issue13_ARunningTileSaysTheStepInWordsAndItsTimeAgainstTheStepLimitAndTheWholeTest) {
  gui_b_test::app();
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-7"), 1000);
  tile.stepStarted(QStringLiteral("join_test_router"), 4, 10, 2000);
  const gizrig::core::ProductionLimits limits;  // join 60 s, other steps 15 s
  EXPECT_EQ(runningLines(tile, 4100, limits, std::nullopt),
            (QStringList{"Step 5 of 10: Connecting to the test WiFi", "this step 2.1 s (limit 60 s)",
                         "whole test 3.1 s (at most 3 min 15 s)"}));
  EXPECT_EQ(runningLines(tile, 4100, limits, 4100).last(), "whole test 3.1 s (usually 4.1 s)");
  tile.stepStarted(QStringLiteral("lan_discovery"), 5, 10, 4200);
  EXPECT_EQ(runningLines(tile, 4700, limits, std::nullopt)[1], "this step 500 ms (limit 15 s)");

  OperatorSlotTile widget;
  widget.display(tile, runningLines(tile, 4700, limits, std::nullopt));
  EXPECT_TRUE(widget.readout()->text().contains("Finding the module on the network"));
  EXPECT_TRUE(widget.readout()->text().contains("limit 15 s"));
  EXPECT_TRUE(widget.abortButton()->isEnabled());
  EXPECT_FALSE(widget.startButton()->isEnabled());
  EXPECT_FALSE(widget.retestButton()->isEnabled());
}

TEST(OperatorTile, Issue13_TheTypicalTestTimeIsTheMedianOfThePassRuns) {
  std::vector<RunRecord> runs;
  for (const std::int64_t ms : {4000, 3000, 9000}) {
    RunRecord r;
    r.startedMs = 0;
    r.finishedMs = ms;
    r.outcome = Outcome::Pass;
    runs.push_back(r);
  }
  RunRecord failed;
  failed.finishedMs = 100;
  failed.outcome = Outcome::Fail;
  runs.push_back(failed);
  EXPECT_EQ(typicalTestMs(runs), 4000);
  EXPECT_FALSE(typicalTestMs({failed}).has_value());
}

TEST(OperatorTile, Issue13_AFailTilesBarStopsWhereTheTestStoppedNotAt100Percent) {
  gui_b_test::app();
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-7"), 0);
  tile.stepStarted(QStringLiteral("control_round_trip"), 7, 10, 0);
  tile.finish(productionRun(7));  // seven steps passed, the eighth failed
  EXPECT_EQ(tile.state(), TileState::Fail);
  EXPECT_EQ(tile.progressPercent(), 70);
  OperatorSlotTile widget;
  widget.display(tile);
  EXPECT_EQ(widget.progressBar()->value(), 70);
  EXPECT_EQ(widget.progressBar()->text(), "stopped at step 8 of 10");
  tile.start(QStringLiteral("SN-7"), 0);
  tile.finish(productionRun(-1));
  EXPECT_EQ(tile.progressPercent(), 100);  // a PASS is complete
}

TEST(OperatorTile, Issue13_PassAndFailTilesShowTheMeasuredValuesAgainstTheirLimits) {
  gui_b_test::app();
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-7"), 0);
  tile.finish(productionRun(-1, 2));  // the signal level under its limit fails the run
  ASSERT_EQ(tile.state(), TileState::Fail);
  const QStringList lines = measuredLines(tile.measurements());
  EXPECT_EQ(lines, (QStringList{"Signal level 2 (at least 3) - OUT OF LIMITS",
                                "Join time 1.2 s (at most 60 s)", "Round trip 85 ms (at most 3.0 s)"}));
  OperatorSlotTile widget;
  widget.display(tile, lines);
  EXPECT_TRUE(widget.readout()->isVisibleTo(&widget));
  EXPECT_TRUE(widget.readout()->text().contains("Signal level 2 (at least 3) - OUT OF LIMITS"));
  // A run that stopped before the values were measured leaves them out rather than showing blanks.
  std::vector<Measurement> early;
  for (const StepRecord& step : productionRun(2).steps)
    early.insert(early.end(), step.measurements.begin(), step.measurements.end());
  EXPECT_TRUE(measuredLines(early).isEmpty());
}

TEST(OperatorTile, Issue13_TheDuplicateFlagOfTheRecordShowsOnTheTile) {
  gui_b_test::app();
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-8"), 0);
  RunRecord run = productionRun(-1);
  run.duplicate = QStringLiteral("MAC 020000000007 already passed as SN-7 on EOL-1");
  tile.finish(run);
  OperatorSlotTile widget;
  widget.display(tile);
  EXPECT_TRUE(widget.duplicateLabel()->isVisibleTo(&widget));
  EXPECT_EQ(widget.duplicateLabel()->text(), "DUPLICATE: MAC 020000000007 already passed as SN-7 on EOL-1");
  tile.start(QStringLiteral("SN-9"), 0);
  widget.display(tile);
  EXPECT_FALSE(widget.duplicateLabel()->isVisibleTo(&widget));
}

TEST(OperatorTile, Issue13_RetestIsOfferedAfterAFailUntilTheRetestsAreUsedUp) {
  gui_b_test::app();
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-7"), 0);
  tile.finish(productionRun(7));
  tile.setRetestsLeft(1);
  OperatorSlotTile widget;
  widget.display(tile);
  EXPECT_TRUE(widget.retestButton()->isEnabled());
  EXPECT_TRUE(widget.startButton()->isEnabled());
  EXPECT_FALSE(widget.abortButton()->isEnabled());
  tile.setRetestsLeft(0);
  widget.display(tile);
  EXPECT_TRUE(tile.rejected());
  EXPECT_FALSE(widget.retestButton()->isEnabled());
  bool saysReject = false;
  for (const QLabel* label : widget.findChildren<QLabel*>())
    saysReject |= label->text().contains("reject bin");
  EXPECT_TRUE(saysReject);
}

TEST(OperatorTile, Issue13_AnAbortedRunReadsAbortedNotAModuleFault) {
  gui_b_test::app();
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-7"), 0);
  RunRecord run = productionRun(-1);
  run.steps.resize(3);
  gizrig::core::abortRun(run, 1000, QStringLiteral("aborted: the operator pressed Abort"));
  tile.finish(run);
  EXPECT_EQ(tile.verdictText(), "ABORTED");
  EXPECT_EQ(tile.failureText(),
            "The test was stopped (the operator pressed Abort). Press Retest when ready.");
  EXPECT_EQ(tile.failures(), 0);  // not a try for the DUT
}

TEST(FailAlarm, Issue13_AFailRingsTheBellAndBlinksUntilSeen_BothSwitchesPersist) {
  gui_b_test::app();
  gui_b_test::clearSettings();
  int beeps = 0;
  {
    FailAlarm alarm;
    alarm.setBeeper([&] { ++beeps; });
    EXPECT_TRUE(alarm.soundOn());  // on by default: a FAIL must not pass unnoticed
    EXPECT_TRUE(alarm.blinkOn());
    EXPECT_TRUE(alarm.raise());
    EXPECT_EQ(beeps, 1);
    alarm.setSoundOn(false);
    EXPECT_TRUE(alarm.raise());
    EXPECT_EQ(beeps, 1);
    alarm.setBlinkOn(false);
    EXPECT_FALSE(alarm.raise());
  }
  FailAlarm reopened;  // a restart keeps what the operator chose
  EXPECT_FALSE(reopened.soundOn());
  EXPECT_FALSE(reopened.blinkOn());
  // ... and keeps it in the test's own settings directory, never the user's.
  EXPECT_TRUE(openGuiSettings()->fileName().startsWith(gui_b_test::settingsDir()))
      << openGuiSettings()->fileName().toStdString();

  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-7"), 0);
  tile.finish(productionRun(7));
  OperatorSlotTile widget;
  widget.show();
  widget.display(tile);
  const QColor red = widget.background();
  widget.startBlinking();
  ASSERT_TRUE(widget.blinking());
  ASSERT_TRUE(gui_b_test::waitUntil([&] { return widget.background() != red; }, 5000))
      << "the blink never changed the colour";
  QTest::mouseClick(&widget, Qt::LeftButton);  // the operator has seen it
  EXPECT_FALSE(widget.blinking());
  EXPECT_EQ(widget.background(), red);
}
