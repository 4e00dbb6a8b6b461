// The operator view's models without a display: slot tile states, yield counters, plain-language failures.

#include <gtest/gtest.h>

#include <QDateTime>

#include "operator/plain_failure.h"
#include "operator/session_yield.h"
#include "operator/slot_tile.h"

using namespace gizrig::gui;
using gizrig::core::Outcome;
using gizrig::core::RunRecord;

namespace {

RunRecord run(const QString& serial, Outcome outcome, std::int64_t startedMs, const QString& failingStep = {},
              const QString& message = {}) {
  RunRecord r;
  r.id = QUuid::createUuid();
  r.station = QStringLiteral("EOL-1");
  r.slot = QStringLiteral("1");
  r.dut.serial = serial;
  r.startedMs = startedMs;
  r.finishedMs = startedMs + 1000;
  r.outcome = outcome;
  r.failingStep = failingStep;
  r.failingMessage = message;
  return r;
}

}  // namespace

TEST(SlotTile, StartsIdleAndGoesRunningWithProgress) {
  SlotTile tile(QStringLiteral("3"));
  EXPECT_EQ(tile.state(), TileState::Idle);
  EXPECT_TRUE(tile.free());
  EXPECT_EQ(tile.progressPercent(), 0);
  tile.start(QStringLiteral("SN-1"));
  EXPECT_EQ(tile.state(), TileState::Running);
  EXPECT_FALSE(tile.free());
  EXPECT_EQ(tile.serial(), "SN-1");
  tile.stepStarted(QStringLiteral("production_mode"), 2, 10);
  EXPECT_EQ(tile.step(), "production_mode");
  EXPECT_EQ(tile.progressPercent(), 20);
  tile.noteMac(QStringLiteral("0a0b0c0d0e0f"));
  EXPECT_EQ(tile.mac(), "0a0b0c0d0e0f");
}

TEST(SlotTile, Issue14_TheFlashStepReadsFlashingWithItsOwnProgressThenTheTestGoesOn) {
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-1"));
  tile.stepStarted(QStringLiteral("flash"), 0, 11);
  EXPECT_EQ(tile.stepText(), "Flashing 0 %");
  EXPECT_EQ(tile.progressPercent(), 0);
  tile.stepProgress(QStringLiteral("flash"), 43);
  EXPECT_EQ(tile.stepText(), "Flashing 43 %");
  EXPECT_EQ(tile.progressPercent(), 43);  // the bar follows the image: the long phase visibly moves
  tile.stepProgress(QStringLiteral("flash"), 100);
  EXPECT_EQ(tile.stepText(), "Flashing 100 %");
  // The test's steps after it: the run's own progress again, the step's name.
  tile.stepStarted(QStringLiteral("handshake"), 1, 11);
  EXPECT_EQ(tile.stepText(), "handshake");
  EXPECT_EQ(tile.progressPercent(), 9);
  tile.stepProgress(QStringLiteral("flash"), 50);  // a late report of the step that is over changes nothing
  EXPECT_EQ(tile.stepText(), "handshake");
  EXPECT_EQ(tile.progressPercent(), 9);
}

TEST(PlainFailure, Issue14_AFailedFlashStepReadsInPlainWords) {
  EXPECT_EQ(
      plainFailure(QStringLiteral("flash"), QStringLiteral("no answer to SYNC after 30 attempts: is GPIO0 "
                                                           "low / is the module in its loader?")),
      "The module could not be programmed with the station's firmware.");
}

TEST(SlotTile, PassShowsFullProgressAndNoFailure) {
  SlotTile tile(QStringLiteral("1"));
  tile.start(QStringLiteral("SN-1"));
  RunRecord r = run(QStringLiteral("SN-1"), Outcome::Pass, 0);
  r.dut.mac = QStringLiteral("aabbccddeeff");
  tile.finish(r);
  EXPECT_EQ(tile.state(), TileState::Pass);
  EXPECT_TRUE(tile.free());
  EXPECT_EQ(tile.progressPercent(), 100);
  EXPECT_EQ(tile.mac(), "aabbccddeeff");
  EXPECT_TRUE(tile.failureText().isEmpty());
  EXPECT_EQ(tileStateName(tile.state()), "PASS");
}

TEST(SlotTile, FailAndErrorCarryThePlainReason) {
  SlotTile tile(QStringLiteral("1"));
  tile.start({});
  tile.finish(run({}, Outcome::Fail, 0, QStringLiteral("signal_level"), QStringLiteral("signal 1 < 3")));
  EXPECT_EQ(tile.state(), TileState::Fail);
  EXPECT_EQ(tile.failureText(), "The WiFi signal is too weak (antenna problem?).");
  RunRecord unfinished;
  tile.start({});
  tile.finish(unfinished);
  EXPECT_EQ(tile.state(), TileState::Error);
  tile.clear();
  EXPECT_EQ(tile.state(), TileState::Idle);
  EXPECT_EQ(tile.name(), "1");
}

TEST(SlotTile, ColoursAreGreenRedAmber) {
  EXPECT_GT(tileColour(TileState::Pass).green(), tileColour(TileState::Pass).red());
  EXPECT_GT(tileColour(TileState::Fail).red(), tileColour(TileState::Fail).green());
  EXPECT_EQ(tileColour(TileState::Running), QColor(0xff, 0xbf, 0x00));
  EXPECT_EQ(tileStateFor(Outcome::Error), TileState::Error);
}

TEST(SessionYield, CountsJudgedRunsAndFirstPassYield) {
  SessionYield session;
  session.add(run(QStringLiteral("A"), Outcome::Pass, 1));
  session.add(run(QStringLiteral("B"), Outcome::Fail, 2, QStringLiteral("handshake"), {}));
  session.add(run(QStringLiteral("B"), Outcome::Pass, 3));   // retest: passes, but not the first time
  session.add(run(QStringLiteral("C"), Outcome::Error, 4));  // the rig's fault: not a try
  const YieldCounters c = session.counters();
  EXPECT_EQ(c.tested, 3);
  EXPECT_EQ(c.passed, 2);
  EXPECT_EQ(c.failed, 1);
  EXPECT_EQ(c.errors, 1);
  EXPECT_DOUBLE_EQ(c.firstPassYield, 0.5);  // A first time, B not
  EXPECT_EQ(percentText(c.firstPassYield), "50.0 %");
  const auto last = session.lastResults(2);
  ASSERT_EQ(last.size(), 2U);
  EXPECT_EQ(last[0].dut.serial, "C");
  EXPECT_EQ(last[1].dut.serial, "B");
}

TEST(SessionYield, EmptySessionIsZero) {
  const YieldCounters c = SessionYield().counters();
  EXPECT_EQ(c.tested, 0);
  EXPECT_DOUBLE_EQ(c.firstPassYield, 0.0);
  EXPECT_EQ(percentText(0.875), "87.5 %");
}

TEST(PlainFailure, EveryProductionStepHasASentence) {
  EXPECT_EQ(plainFailure(QStringLiteral("join_test_router"), QStringLiteral("no test router joined")),
            "The module did not connect to the test WiFi.");
  EXPECT_EQ(
      plainFailure(QStringLiteral("handshake"), QStringLiteral("the module did not complete 'handshake' "
                                                               "within 15 s")),
      "The module does not talk to the tester. Check that it sits in the fixture properly. It did not "
      "answer in time.");
  EXPECT_EQ(plainFailure(QStringLiteral("test_routers_on"), QStringLiteral("rig: air unreachable")),
            "The station's test WiFi could not be switched on. Call the line engineer. This is a tester "
            "problem, not the module's: call the line engineer.");
}

TEST(PlainFailure, UnknownStepsAndEmptyReasonsStillRead) {
  EXPECT_EQ(plainFailure(QStringLiteral("burn_in"), {}), "The step \"burn in\" failed.");
  EXPECT_EQ(plainFailure({}, {}), "The test did not finish.");
}

namespace {

// A store that answers runs() from a list, remembering the query (RecordedYield's only call).
class FakeStore final : public gizrig::core::RecordStore {
 public:
  std::vector<RunRecord> answer;
  QString failure;
  gizrig::core::RunQuery lastQuery;
  bool beginRun(const RunRecord&) override { return true; }
  bool addStep(const QUuid&, const gizrig::core::StepRecord&) override { return true; }
  bool finishRun(const RunRecord&) override { return true; }
  std::optional<RunRecord> run(const QUuid&) override { return std::nullopt; }
  std::vector<RunRecord> runs(const gizrig::core::RunQuery& query) override {
    lastQuery = query;
    return failure.isEmpty() ? answer : std::vector<RunRecord>{};
  }
  QString lastError() const override { return failure; }
};

}  // namespace

TEST(RecordedYield, Issue6_CountsTheStationsRunsSinceTheShiftStartAndKeepsThemNewestFirst) {
  FakeStore store;
  store.answer = {run("SN-2", Outcome::Fail, 300), run("SN-1", Outcome::Pass, 200),
                  run("SN-2", Outcome::Pass, 100)};
  RecordedYield recorded;
  ASSERT_TRUE(recorded.refresh(store, QStringLiteral("EOL-1"), 50));
  EXPECT_EQ(store.lastQuery.station, "EOL-1");
  EXPECT_EQ(store.lastQuery.fromMs, 50);
  EXPECT_EQ(store.lastQuery.limit, 0);  // every run of the shift counts, not the newest N
  const YieldCounters c = recorded.counters();
  EXPECT_EQ(c.tested, 3);
  EXPECT_EQ(c.passed, 2);
  EXPECT_EQ(c.failed, 1);
  EXPECT_DOUBLE_EQ(c.firstPassYield, 1.0);  // SN-2's first run (100) passed
  const auto last = recorded.lastResults(2);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].startedMs, 300);
  EXPECT_EQ(last[1].startedMs, 200);
  EXPECT_EQ(recorded.lastResults(10).size(), 3u);
}

TEST(RecordedYield, AStoreErrorIsReportedAndTheLastGoodNumbersStay) {
  FakeStore store;
  store.answer = {run("SN-1", Outcome::Pass, 100)};
  RecordedYield recorded;
  ASSERT_TRUE(recorded.refresh(store, QStringLiteral("EOL-1"), 0));
  store.failure = QStringLiteral("database is locked");
  EXPECT_FALSE(recorded.refresh(store, QStringLiteral("EOL-1"), 0));
  EXPECT_EQ(recorded.error(), "database is locked");
  EXPECT_EQ(recorded.counters().passed, 1);
}

TEST(RecordedYield, TheDefaultShiftStartsAtLocalMidnight) {
  const QDateTime noon(QDate(2024, 3, 5), QTime(12, 34, 56));
  const std::int64_t midnight = startOfLocalDayMs(noon.toMSecsSinceEpoch());
  EXPECT_EQ(QDateTime::fromMSecsSinceEpoch(midnight), QDateTime(QDate(2024, 3, 5), QTime(0, 0)));
}
