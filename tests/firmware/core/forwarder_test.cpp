#include "gagent/core/forwarder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gagent::core {
namespace {

using proto::LanCmd;
using Bytes = std::vector<std::uint8_t>;

struct Answer {
  std::string to;  // "lan:N" or "cloud:ID"
  LanCmd cmd;
  std::uint32_t sn;
  Bytes p0;
};

struct RecordingOutputs : ForwarderOutputs {
  bool sendToMcu(proto::Bytes p0, RequestTag tag, Millis) override {
    if (mcuFull) return false;
    toMcu.push_back({tag, Bytes(p0.begin(), p0.end())});
    return true;
  }
  void answerLanClient(std::size_t slot, LanCmd cmd, std::uint32_t sn, proto::Bytes p0) override {
    answers.push_back({"lan:" + std::to_string(slot), cmd, sn, Bytes(p0.begin(), p0.end())});
  }
  void answerCloudClient(std::string_view id, LanCmd cmd, std::uint32_t sn, proto::Bytes p0) override {
    answers.push_back({"cloud:" + std::string(id), cmd, sn, Bytes(p0.begin(), p0.end())});
  }
  void reportToEveryone(proto::Bytes p0) override { reports.emplace_back(p0.begin(), p0.end()); }

  bool mcuFull = false;
  std::vector<std::pair<RequestTag, Bytes>> toMcu;
  std::vector<Answer> answers;
  std::vector<Bytes> reports;
};

class ForwarderTest : public ::testing::Test {
 protected:
  LogHub logs;
  RecordingOutputs out;
  Forwarder forwarder{out, logs};
};

TEST_F(ForwarderTest, S7_4_1_LanCommandGoesToTheMcuUnchanged) {
  const Bytes p0{0x01, 0x01, 0xFF};
  forwarder.fromLanClient(2, LanCmd::P0ToDevice, 0, p0, 0);
  ASSERT_EQ(out.toMcu.size(), 1u);
  EXPECT_EQ(out.toMcu[0].second, p0);
}

TEST_F(ForwarderTest, S7_4_2_CloudCommandGoesToTheMcuUnchanged) {
  const Bytes p0{0x02};
  forwarder.fromCloudClient("phoneClient01", LanCmd::P0ToDeviceSn, 7, p0, 0);
  ASSERT_EQ(out.toMcu.size(), 1u);
  EXPECT_EQ(out.toMcu[0].second, p0);
}

TEST_F(ForwarderTest, S7_4_4_QueryAnswerGoesOnlyToTheRequester) {
  forwarder.fromLanClient(1, LanCmd::P0ToDevice, 0, Bytes{0x02}, 0);
  forwarder.fromCloudClient("phoneClient01", LanCmd::P0ToDeviceSn, 0x12345678, Bytes{0x02}, 0);
  forwarder.onMcuAnswer(out.toMcu[1].first, Bytes{0x03, 0x01});
  forwarder.onMcuAnswer(out.toMcu[0].first, Bytes{0x03, 0x02});
  ASSERT_EQ(out.answers.size(), 2u);
  EXPECT_EQ(out.answers[0].to, "cloud:phoneClient01");
  EXPECT_EQ(out.answers[0].cmd, LanCmd::P0FromDeviceSn);
  EXPECT_EQ(out.answers[0].sn, 0x12345678u);
  EXPECT_EQ(out.answers[0].p0, (Bytes{0x03, 0x01}));
  EXPECT_EQ(out.answers[1].to, "lan:1");
  EXPECT_EQ(out.answers[1].cmd, LanCmd::P0FromDevice);
  EXPECT_TRUE(out.reports.empty());
  EXPECT_EQ(forwarder.pendingCount(), 0u);
}

TEST_F(ForwarderTest, S7_4_5_ControlAckToRequesterThenReportToEveryone) {
  forwarder.fromLanClient(3, LanCmd::P0ToDeviceSn, 9, Bytes{0x01, 0x01, 0x01}, 0);
  forwarder.onMcuAnswer(out.toMcu[0].first, {});  // the MCU's empty 0x04
  forwarder.onMcuReport(Bytes{0x04, 0x01});       // then its 0x05
  ASSERT_EQ(out.answers.size(), 1u);
  EXPECT_EQ(out.answers[0].to, "lan:3");
  EXPECT_TRUE(out.answers[0].p0.empty());
  ASSERT_EQ(out.reports.size(), 1u);
  EXPECT_EQ(out.reports[0], (Bytes{0x04, 0x01}));
}

TEST_F(ForwarderTest, S7_4_3_UnsolicitedReportGoesToEveryone) {
  forwarder.onMcuReport(Bytes{0x04, 0x00, 0x10});
  ASSERT_EQ(out.reports.size(), 1u);
  EXPECT_TRUE(out.answers.empty());
}

TEST_F(ForwarderTest, AnswerForADepartedLanClientIsDropped) {
  forwarder.fromLanClient(4, LanCmd::P0ToDevice, 0, Bytes{0x02}, 0);
  forwarder.onLanClientGone(4);
  forwarder.onMcuAnswer(out.toMcu[0].first, Bytes{0x03});
  EXPECT_TRUE(out.answers.empty());
}

TEST_F(ForwarderTest, FailedMcuRequestIsForgotten) {
  forwarder.fromLanClient(0, LanCmd::P0ToDevice, 0, Bytes{0x02}, 0);
  forwarder.onMcuFailed(out.toMcu[0].first);
  EXPECT_EQ(forwarder.pendingCount(), 0u);
  forwarder.onMcuAnswer(out.toMcu[0].first, Bytes{0x03});
  EXPECT_TRUE(out.answers.empty());
}

TEST_F(ForwarderTest, ProtocolSec9_NonAppCommandsAreNeverForwarded) {
  forwarder.fromLanClient(0, LanCmd::Ping, 0, {}, 0);
  forwarder.fromCloudClient("x", static_cast<LanCmd>(0x0099), 0, Bytes{1}, 0);
  EXPECT_TRUE(out.toMcu.empty());
}

TEST_F(ForwarderTest, BoundedPendingTableAndFullMcuQueueDropCommands) {
  for (std::size_t i = 0; i < Forwarder::kMaxPending + 2; ++i) {
    forwarder.fromLanClient(0, LanCmd::P0ToDevice, 0, Bytes{0x02}, 0);
  }
  EXPECT_EQ(out.toMcu.size(), Forwarder::kMaxPending);
  EXPECT_EQ(forwarder.pendingCount(), Forwarder::kMaxPending);
  Forwarder other{out, logs};
  out.mcuFull = true;
  other.fromLanClient(0, LanCmd::P0ToDevice, 0, Bytes{0x02}, 0);
  EXPECT_EQ(other.pendingCount(), 0u);
}

TEST_F(ForwarderTest, OverlongCloudClientIdIsRejected) {
  forwarder.fromCloudClient(std::string(kMaxCloudClientId + 1, 'a'), LanCmd::P0ToDevice, 0, Bytes{0x02}, 0);
  EXPECT_TRUE(out.toMcu.empty());
}

}  // namespace
}  // namespace gagent::core
