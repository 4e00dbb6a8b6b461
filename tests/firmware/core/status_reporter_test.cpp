#include "gagent/core/status_reporter.h"

#include <gtest/gtest.h>

#include <vector>

namespace gagent::core {
namespace {

struct RecordingSink : StatusSink {
  void pushStatus(std::uint16_t word, Millis now) override { pushes.push_back({word, now}); }
  std::vector<std::pair<std::uint16_t, Millis>> pushes;
};

proto::WifiStatus stationConnected() {
  proto::WifiStatus s;
  s.station = true;
  s.bindable = true;
  s.routerConnected = true;
  return s;
}

class StatusReporterTest : public ::testing::Test {
 protected:
  LogHub logs;
  RecordingSink sink;
  StatusReporter reporter{sink, logs};
};

TEST_F(StatusReporterTest, S4_4_1_EveryChangePushesTheWholeWord) {
  reporter.onSignal(100);
  reporter.start(stationConnected(), 0);
  ASSERT_EQ(sink.pushes.size(), 1u);
  EXPECT_EQ(sink.pushes[0].first, 0x061A);  // station + binding + router + level 80 (ordinal 6, §9)
  auto s = stationConnected();
  s.cloudConnected = true;
  reporter.publish(s, 5);
  ASSERT_EQ(sink.pushes.size(), 2u);
  EXPECT_EQ(sink.pushes[1].first, 0x063A);
  reporter.publish(s, 6);  // nothing changed: nothing pushed
  EXPECT_EQ(sink.pushes.size(), 2u);
}

TEST_F(StatusReporterTest, S4_4_1_SignalLevelJumpIsAChange) {
  reporter.onSignal(50);
  reporter.start(stationConnected(), 0);
  EXPECT_FALSE(reporter.onSignal(59));  // S4.3.1: moved by less than 10
  EXPECT_TRUE(reporter.onSignal(60));
  reporter.publish(stationConnected(), 1);
  ASSERT_EQ(sink.pushes.size(), 2u);
  EXPECT_EQ(sink.pushes[0].first >> 8 & 0x7, 3);  // 50 -> ordinal 3
  EXPECT_EQ(sink.pushes[1].first >> 8 & 0x7, 4);  // 60 -> ordinal 4
}

TEST_F(StatusReporterTest, S4_4_2_ForcedEveryTenMinutesWithoutChange) {
  reporter.start(stationConnected(), 0);
  reporter.poll(StatusReporter::kForcedInterval - 1);
  EXPECT_EQ(sink.pushes.size(), 1u);
  reporter.poll(StatusReporter::kForcedInterval);
  ASSERT_EQ(sink.pushes.size(), 2u);
  EXPECT_EQ(sink.pushes[1].first, sink.pushes[0].first);
  EXPECT_EQ(reporter.nextDeadline(), 2 * StatusReporter::kForcedInterval);
}

TEST_F(StatusReporterTest, ProtocolSec1_9_RssiBitsOnlyWhileRouterConnected) {
  reporter.onSignal(90);
  proto::WifiStatus softAp;
  softAp.softAp = true;
  reporter.start(softAp, 0);
  EXPECT_EQ(sink.pushes.at(0).first, 0x0001);
}

TEST_F(StatusReporterTest, NothingPushedBeforeStart) {
  reporter.publish(stationConnected(), 0);
  EXPECT_TRUE(sink.pushes.empty());
  EXPECT_EQ(reporter.nextDeadline(), hal::kNever);
}

}  // namespace
}  // namespace gagent::core
