// Issue 13, operator station against a real-time virtual lab: nothing starts before an operator logged in,
// and the operator is in every record; a slot's own Start / Abort / Retest; the station file's retest rule
// (a DUT that keeps failing is rejected); FAIL rings the bell and blinks; a running tile shows its step and
// times; a module passed under a second serial shows the duplicate flag; the statistics take the runs in.
// Screenshots: operator-fail.png, operator-running.png, operator-duplicate.png.
#include <gtest/gtest.h>

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include "gizrig/records/sql_record_store.h"
#include "gui_b_test_support.h"
#include "lab_process_support.h"
#include "operator/fail_alarm.h"
#include "operator/operator_login.h"
#include "operator/operator_settings.h"
#include "operator/operator_slot_tile.h"
#include "operator/operator_stats.h"
#include "operator/operator_view.h"

using namespace gizrig::gui;
using gizrig::core::Outcome;
using gui_b_test::waitUntil;

namespace {

constexpr int kLabMs = 50000;  // generous: the machine is shared

// line-1.json with changes, written next to the test's records.
QString stationFile(const QTemporaryDir& dir, const QByteArray& from, const QByteArray& to) {
  QFile line1(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  if (!line1.open(QIODevice::ReadOnly)) return {};
  QByteArray json = line1.readAll();
  json.replace(from, to);
  const QString path = dir.filePath("station.json");
  QFile out(path);
  if (!out.open(QIODevice::WriteOnly)) return {};
  out.write(json);
  return path;
}

// The operator view on `station` with one virtual module in the lab.
class OperatorStationLab : public ::testing::Test {
 protected:
  void SetUp() override {
    gui_b_test::app();
    gui_b_test::clearSettings();
  }

  bool open(const QString& station) {
    view_ = std::make_unique<OperatorView>(context);
    view_->alarm().setBeeper([this] { ++beeps; });
    view_->unlockEngineerMode(QString());
    view_->settings()->stationFileField()->setText(station);
    view_->settings()->slotsField()->setValue(1);
    view_->settings()->applyButton()->click();
    view_->lockEngineerMode();
    view_->resize(1400, 820);
    view_->show();
    view_->startLabAction()->trigger();
    return waitUntil([&] { return view_->station().ready(); }, kLabMs);
  }
  bool runTo(int slot, TileState state) {
    return waitUntil([&] { return view_->station().tile(slot).state() == state; }, kLabMs);
  }
  std::vector<gizrig::core::RunRecord> recorded() {
    QString error;
    auto store = gizrig::core::SqlRecordStore::open(db, &error);
    EXPECT_TRUE(store) << error.toStdString();
    return store ? store->runs({}) : std::vector<gizrig::core::RunRecord>{};  // newest first
  }

  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, db, dir.filePath("lab"), &clock};
  std::unique_ptr<OperatorView> view_;
  int beeps = 0;
};

}  // namespace

TEST_F(OperatorStationLab, Issue13_LoginStartAbortRetestAndTheRetestRuleEndingInReject_FailRingsAndBlinks) {
  // The lab's air gives every module signal level 5: a station that wants 6 FAILs each run at the signal
  // step (deterministic, unlike a time limit). One retest is allowed.
  const QString station = stationFile(dir, "\"min_signal_level\": 3", "\"min_signal_level\": 6");
  ASSERT_FALSE(station.isEmpty());
  QByteArray json;
  {
    QFile f(station);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    json = f.readAll();
  }
  json.replace("\"station\": \"EOL-1\",", "\"station\": \"EOL-1\", \"max_retests\": 1,");
  {
    QFile f(station);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(json);
  }
  ASSERT_TRUE(open(station)) << view_->status()->text().toStdString();
  ASSERT_EQ(view_->station().config().maxRetests, 1);
  OperatorSlotTile* tile = view_->tileWidget(0);
  ASSERT_NE(tile, nullptr);

  // Nobody logged in: nothing starts, and the operator is told why.
  tile->startButton()->click();
  EXPECT_EQ(view_->station().tile(0).state(), TileState::Idle);
  EXPECT_TRUE(view_->status()->text().contains("Log in first")) << view_->status()->text().toStdString();

  // A badge scan logs in (the scanner types and presses Enter).
  QTest::keyClicks(view_->login()->field(), "BADGE-0042");
  QTest::keyClick(view_->login()->field(), Qt::Key_Return);
  EXPECT_EQ(view_->station().operatorName(), "BADGE-0042");

  // The slot's own Start takes the serial typed in the scan field; Abort ends it as ABORTED.
  view_->scanField()->setText("SN-R1");
  tile->startButton()->click();
  ASSERT_EQ(view_->station().tile(0).state(), TileState::Running);
  EXPECT_EQ(view_->station().tile(0).serial(), "SN-R1");
  EXPECT_TRUE(tile->abortButton()->isEnabled());
  tile->abortButton()->click();
  ASSERT_TRUE(runTo(0, TileState::Error));
  EXPECT_EQ(view_->station().tile(0).verdictText(), "ABORTED");
  EXPECT_EQ(beeps, 0);  // an abort is not a FAIL

  // Retest after the abort (not a try): it runs to the round-trip FAIL; the bell rings once, the tile blinks.
  ASSERT_TRUE(tile->retestButton()->isEnabled());
  tile->retestButton()->click();
  ASSERT_EQ(view_->station().tile(0).state(), TileState::Running);
  ASSERT_TRUE(waitUntil([&] { return tile->readout()->text().contains("whole test"); }, kLabMs));
  ASSERT_TRUE(runTo(0, TileState::Fail)) << view_->station().tile(0).failureText().toStdString();
  EXPECT_EQ(beeps, 1);
  EXPECT_TRUE(tile->blinking());
  EXPECT_LT(tile->progressBar()->value(), 100);
  EXPECT_TRUE(tile->readout()->text().contains("Signal level 5 (at least 6) - OUT OF LIMITS"))
      << tile->readout()->text().toStdString();
  EXPECT_EQ(tile->progressBar()->text(), "stopped at step 9 of 10");
  EXPECT_EQ(view_->station().tile(0).retestsLeft(), 1);
  tile->acknowledge();  // the still picture shows the tile's FAIL colour, not a blink phase
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "operator-fail"));

  // The one retest allowed: FAILs again, and the DUT is rejected.
  ASSERT_TRUE(tile->retestButton()->isEnabled());
  tile->retestButton()->click();
  ASSERT_TRUE(runTo(0, TileState::Running));
  ASSERT_TRUE(runTo(0, TileState::Fail));
  EXPECT_EQ(beeps, 2);
  EXPECT_TRUE(view_->station().tile(0).rejected());
  EXPECT_FALSE(tile->retestButton()->isEnabled());
  EXPECT_FALSE(view_->station().retestSlot(0));
  // Scanning it again does not get round the rule.
  view_->scanned("SN-R1");
  EXPECT_EQ(view_->station().tile(0).state(), TileState::Fail);
  EXPECT_TRUE(view_->status()->text().contains("reject bin")) << view_->status()->text().toStdString();
  tile->acknowledge();
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "operator-rejected"));

  // Every run carries who tested it.
  const auto runs = recorded();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[2].outcome, Outcome::Aborted);
  EXPECT_EQ(runs[1].outcome, Outcome::Fail);
  EXPECT_EQ(runs[0].outcome, Outcome::Fail);
  for (const auto& run : runs) {
    EXPECT_EQ(run.operatorName, "BADGE-0042");
    EXPECT_EQ(run.dut.serial, "SN-R1");
  }
}

TEST_F(OperatorStationLab,
       Issue13_ARunningTileSaysItsStepAndTimes_ADuplicateShowsOnTheTile_StatisticsRefresh) {
  ASSERT_TRUE(open(GAGENT_FIXTURES_DIR "/stations/line-1.json")) << view_->status()->text().toStdString();
  view_->alarm().setBlinkOn(false);
  view_->login()->logIn("Anna");
  OperatorSlotTile* tile = view_->tileWidget(0);
  EXPECT_TRUE(view_->statistics()->showsNoData("signal_level"));
  view_->scanned("SN-D1");
  ASSERT_EQ(view_->station().tile(0).state(), TileState::Running);
  // While it runs: the step in words, its time against its limit, the whole test against the worst case.
  ASSERT_TRUE(waitUntil(
      [&] { return tile->readout()->text().contains(QRegularExpression("Step \\d+ of 10: ")); }, kLabMs))
      << tile->readout()->text().toStdString();
  EXPECT_TRUE(tile->readout()->text().contains("(limit ")) << tile->readout()->text().toStdString();
  EXPECT_TRUE(tile->readout()->text().contains("at most 3 min 15 s"))
      << tile->readout()->text().toStdString();
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "operator-running"));
  ASSERT_TRUE(runTo(0, TileState::Pass)) << view_->station().tile(0).failureText().toStdString();
  EXPECT_TRUE(tile->readout()->text().contains("Signal level")) << tile->readout()->text().toStdString();
  EXPECT_FALSE(tile->duplicateLabel()->isVisibleTo(tile));
  EXPECT_EQ(view_->statistics()->sampleCount("signal_level"), 1);  // refreshed as the run finished

  // The same module under another serial: PASS, flagged on the tile (the station does not FAIL it).
  view_->scanned("SN-D2");
  ASSERT_TRUE(runTo(0, TileState::Running));
  ASSERT_TRUE(runTo(0, TileState::Pass)) << view_->station().tile(0).failureText().toStdString();
  EXPECT_TRUE(tile->duplicateLabel()->isVisibleTo(tile));
  EXPECT_TRUE(tile->duplicateLabel()->text().contains("SN-D1"))
      << tile->duplicateLabel()->text().toStdString();
  EXPECT_TRUE(view_->lastResults()->item(0)->text().contains("DUPLICATE"));
  EXPECT_EQ(view_->statistics()->sampleCount("signal_level"), 2);
  // The second test has a typical time to be measured against.
  EXPECT_TRUE(view_->station().typicalTestMs().has_value());
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "operator-duplicate"));
}
