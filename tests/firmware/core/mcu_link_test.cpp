// McuLink against a scripted MCU on the simulated UART: every byte checked with the proto codec.
#include "gagent/core/mcu_link.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "capture_log.h"
#include "gagent/sim/sim_uart.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::core {
namespace {

using proto::McuCmd;
using proto::McuHeader;
using Bytes = std::vector<std::uint8_t>;

constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";

Bytes frame(McuCmd cmd, std::uint8_t sn, const Bytes& payload = {}) {
  Bytes out(proto::kMcuMaxWireSize);
  out.resize(proto::encodeMcuFrame(McuHeader{cmd, sn, 0}, payload, out));
  return out;
}

Bytes deviceInfoPayload() {
  Bytes out(256);
  proto::ByteWriter writer(out);
  proto::DeviceInfo info;
  info.protocolVer = "00000004";
  info.p0Ver = "00000004";
  info.hardVer = "GOKIT001";
  info.softVer = "04000001";
  info.productKey = kProductKey;
  info.bindTimeout = 0;
  proto::buildDeviceInfo(info, writer);
  out.resize(writer.size());
  return out;
}

struct Received {
  McuHeader header;
  Bytes payload;
};

class RecordingListener : public McuLinkListener {
 public:
  explicit RecordingListener(sim::SimUart& uart) : uart_(uart) {}
  void onDeviceInfo(const proto::DeviceInfo& info, Millis) override {
    productKey = std::string(info.productKey);
  }
  void onHandshakeFailed(Millis now) override { handshakeFailedAt = now; }
  void onP0Answer(RequestTag tag, proto::Bytes p0, Millis) override {
    answers.push_back({tag, Bytes(p0.begin(), p0.end())});
  }
  void onP0Failed(RequestTag tag, Millis now) override {
    failedTags.push_back(tag);
    failedAt = now;
  }
  void onMcuReport(proto::Bytes p0, Millis) override {
    reports.emplace_back(p0.begin(), p0.end());
    ackCapturedBeforeReport =
        !uart_.capture().empty() && uart_.capture().back().direction == sim::SimUart::Direction::ModuleToMcu;
  }
  void onConfigModeRequest(const proto::ConfigModeRequest& request, Millis) override {
    events.push_back("config" + std::to_string(request.mode));
  }
  void onResetRequest(Millis) override { events.push_back("reset"); }
  void onProductionTestRequest(Millis) override { events.push_back("production"); }
  void onBindWindowRequest(Millis) override { events.push_back("bind"); }
  void onRestartRequest(Millis) override { events.push_back("restart"); }
  proto::NetworkTime networkTime(Millis) override {
    return proto::networkTimeFromEpoch(0x6553F103, 8 * 3600);
  }
  void buildModuleInfo(proto::ByteWriter& out) override {
    proto::ModuleInfo info;
    info.protocolVer = "00000004";
    info.hardVer = "GSIM0001";
    info.softVer = "04020000";
    info.mac = "AABBCCDDEEFF";
    info.ip = "10.0.0.50";
    proto::buildModuleInfo(info, out);
  }
  void onMcuSilent(Millis now) override { silentAt = now; }

  sim::SimUart& uart_;
  std::string productKey;
  Millis handshakeFailedAt = hal::kNever;
  Millis silentAt = hal::kNever;
  Millis failedAt = hal::kNever;
  std::vector<std::pair<RequestTag, Bytes>> answers;
  std::vector<RequestTag> failedTags;
  std::vector<Bytes> reports;
  bool ackCapturedBeforeReport = false;
  std::vector<std::string> events;
};

class McuLinkTest : public ::testing::Test {
 protected:
  McuLinkTest() : uart(clock), listener(uart), link(uart, logs, listener) {}

  // Runs the link's loop until `until`, jumping the clock from deadline to deadline.
  void runUntil(Millis until) {
    link.poll(clock.now());
    while (true) {
      const Millis next = std::min(link.nextDeadline(), until);
      if (next > clock.now()) clock.advanceTo(next);
      link.poll(clock.now());
      if (clock.now() >= until) return;
    }
  }
  void runFor(Millis d) { runUntil(clock.now() + d); }

  // Decoded frames the MCU has received since the last call.
  std::vector<Received> mcuReceive() {
    std::vector<Received> out;
    const Bytes bytes = uart.mcuReceive();
    decoder.feed(bytes, [&](const proto::McuDecodeEvent& event) {
      EXPECT_TRUE(event.isFrame()) << "the module sent a malformed frame";
      if (event.isFrame()) {
        out.push_back({event.frame.header, Bytes(event.frame.payload.begin(), event.frame.payload.end())});
      }
    });
    return out;
  }

  void mcuSend(const Bytes& bytes) {
    uart.mcuSend(bytes);
    link.poll(clock.now());
  }

  // Boot + handshake answered at once.
  void handshake() {
    link.start(clock.now());
    const auto sent = mcuReceive();
    ASSERT_EQ(sent.size(), 1u);
    mcuSend(frame(McuCmd::DeviceInfo, sent[0].header.sn, deviceInfoPayload()));
    ASSERT_EQ(link.state(), McuLink::State::Ready);
  }

  sim::VirtualClock clock;
  sim::SimUart uart;
  LogHub logs;
  RecordingListener listener;
  McuLink link;
  proto::McuFrameDecoder decoder;
};

TEST_F(McuLinkTest, S7_6_BootHandshakeSendsGetDeviceInfoAndLearnsTheProduct) {
  link.start(clock.now());
  EXPECT_EQ(uart.mcuReceive(), (Bytes{0xFF, 0xFF, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x06}));  // Appendix A
  mcuSend(frame(McuCmd::DeviceInfo, 0, deviceInfoPayload()));
  EXPECT_EQ(link.state(), McuLink::State::Ready);
  EXPECT_EQ(listener.productKey, kProductKey);
}

TEST_F(McuLinkTest, S7_6_HandshakeRetriesEvery200msThreeTimesPerRoundThenReportsFailure) {
  link.start(clock.now());
  runFor(599);
  auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 3u);  // t = 0, 200, 400 with the same sn
  for (const auto& s : sent) EXPECT_EQ(s.header.sn, 0);
  runFor(1);
  sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);  // the next round, a new sn
  EXPECT_EQ(sent[0].header.sn, 1);
  runUntil(McuLink::kHandshakeRounds * 600);
  EXPECT_EQ(listener.handshakeFailedAt, McuLink::kHandshakeRounds * 600u);
  EXPECT_EQ(link.state(), McuLink::State::HandshakeFailed);
  mcuReceive();
  // Rounds go on at a slower pace; a late answer still completes the handshake.
  runFor(McuLink::kHandshakeRetryAfterFailure);
  sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::GetDeviceInfo);
  mcuSend(frame(McuCmd::DeviceInfo, sent[0].header.sn, deviceInfoPayload()));
  EXPECT_EQ(link.state(), McuLink::State::Ready);
}

TEST_F(McuLinkTest, S7_6_MalformedDeviceInfoDoesNotCompleteTheHandshake) {
  link.start(clock.now());
  mcuReceive();
  mcuSend(frame(McuCmd::DeviceInfo, 0, Bytes{1, 2, 3}));
  EXPECT_EQ(link.state(), McuLink::State::Handshaking);
  EXPECT_TRUE(listener.productKey.empty());
}

TEST_F(McuLinkTest, S7_6_1_HeartbeatAfter55sWithoutMcuData) {
  handshake();
  mcuReceive();
  runFor(McuLink::kHeartbeatAfter - 1);
  EXPECT_TRUE(mcuReceive().empty());
  runFor(1);
  auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::Heartbeat);
  mcuSend(frame(McuCmd::HeartbeatAck, sent[0].header.sn));
  runFor(McuLink::kHeartbeatAfter - 1);
  EXPECT_TRUE(mcuReceive().empty());  // the ACK was MCU data: the 55 s count restarted
}

TEST_F(McuLinkTest, S7_6_1_McuTrafficPostponesTheHeartbeat) {
  handshake();
  mcuReceive();
  runFor(hal::seconds(50));
  mcuSend(frame(McuCmd::P0FromMcu, 9, Bytes{0x04, 0x01}));
  mcuReceive();
  runFor(hal::seconds(50));
  EXPECT_TRUE(mcuReceive().empty());
}

TEST_F(McuLinkTest, S7_6_2_SilentMcuFor180sIsReported) {
  handshake();
  runFor(McuLink::kSilenceLimit - 1);
  EXPECT_EQ(listener.silentAt, hal::kNever);
  runFor(1);
  EXPECT_EQ(listener.silentAt, McuLink::kSilenceLimit);
}

TEST_F(McuLinkTest, S7_4_1_P0GoesOutStuffedAndTheAnswerReachesTheRequester) {
  handshake();
  mcuReceive();
  ASSERT_TRUE(link.sendP0(Bytes{0x01, 0x01, 0xFF}, 42, clock.now()));
  const Bytes wire = uart.mcuReceive();
  // Appendix A "control w/ FF escape" with this link's sn.
  ASSERT_EQ(wire.size(), 13u);
  EXPECT_EQ(Bytes(wire.begin(), wire.begin() + 5), (Bytes{0xFF, 0xFF, 0x00, 0x08, 0x03}));
  EXPECT_EQ(Bytes(wire.begin() + 6, wire.end() - 1), (Bytes{0x00, 0x00, 0x01, 0x01, 0xFF, 0x55}));
  const std::uint8_t sn = wire[5];
  mcuSend(frame(McuCmd::P0ToMcuAck, sn, Bytes{0x03, 0x01}));
  ASSERT_EQ(listener.answers.size(), 1u);
  EXPECT_EQ(listener.answers[0].first, 42u);
  EXPECT_EQ(listener.answers[0].second, (Bytes{0x03, 0x01}));
}

TEST_F(McuLinkTest, ProtocolSec1_4_OneOutstandingRequestAtATime) {
  handshake();
  mcuReceive();
  ASSERT_TRUE(link.sendP0(Bytes{0x02}, 1, clock.now()));
  ASSERT_TRUE(link.sendP0(Bytes{0x02}, 2, clock.now()));
  auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  // An ACK with the wrong sn does not complete it.
  mcuSend(frame(McuCmd::P0ToMcuAck, static_cast<std::uint8_t>(sent[0].header.sn + 1)));
  EXPECT_TRUE(mcuReceive().empty());
  EXPECT_TRUE(listener.answers.empty());
  mcuSend(frame(McuCmd::P0ToMcuAck, sent[0].header.sn));
  sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(listener.answers.at(0).first, 1u);
  mcuSend(frame(McuCmd::P0ToMcuAck, sent[0].header.sn));
  EXPECT_EQ(listener.answers.at(1).first, 2u);
}

TEST_F(McuLinkTest, S7_4_1_QueuedPayloadsShareOneBufferASecondMaximumP0IsRefusedThenAccepted) {
  handshake();
  mcuReceive();
  const Bytes maximum(proto::kMcuMaxPayload, 0xFF);  // every byte stuffed: the largest frame on the wire
  ASSERT_TRUE(link.sendP0(maximum, 1, clock.now()));
  ASSERT_TRUE(link.sendP0(Bytes{0x02}, 2, clock.now()));  // small requests fit beside it
  EXPECT_FALSE(link.sendP0(maximum, 3, clock.now()));     // no room for a second one: refused, not truncated
  auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].payload, maximum);  // the one frame in flight went out whole
  mcuSend(frame(McuCmd::P0ToMcuAck, sent[0].header.sn));
  ASSERT_TRUE(link.sendP0(maximum, 4, clock.now()));  // the buffer has room again
  sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].payload, Bytes{0x02});
  mcuSend(frame(McuCmd::P0ToMcuAck, sent[0].header.sn));
  sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].payload, maximum);
  mcuSend(frame(McuCmd::P0ToMcuAck, sent[0].header.sn));
  ASSERT_EQ(listener.answers.size(), 3u);
  EXPECT_EQ(listener.answers[0].first, 1u);
  EXPECT_EQ(listener.answers[1].first, 2u);
  EXPECT_EQ(listener.answers[2].first, 4u);
}

TEST_F(McuLinkTest, ProtocolSec9_SerialAck200msThreeTransmissionsThenFailure) {
  handshake();
  mcuReceive();
  const Millis t0 = clock.now();
  ASSERT_TRUE(link.sendP0(Bytes{0x02}, 7, t0));
  runFor(599);
  EXPECT_EQ(mcuReceive().size(), 3u);
  EXPECT_TRUE(listener.failedTags.empty());
  runFor(1);
  EXPECT_EQ(listener.failedTags, std::vector<RequestTag>{7});
  EXPECT_EQ(listener.failedAt, t0 + 600);
}

TEST_F(McuLinkTest, S7_4_3_McuReportIsAckedBeforeItIsForwarded) {
  handshake();
  mcuReceive();
  mcuSend(Bytes{0xFF, 0xFF, 0x00, 0x0A, 0x05, 0x43, 0x00, 0x00, 0x04, 0x01, 0x7F, 0xFF, 0x55, 0x10, 0xE5});
  ASSERT_EQ(listener.reports.size(), 1u);
  EXPECT_EQ(listener.reports[0], (Bytes{0x04, 0x01, 0x7F, 0xFF, 0x10}));
  EXPECT_TRUE(listener.ackCapturedBeforeReport);
  auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::P0FromMcuAck);
  EXPECT_EQ(sent[0].header.sn, 0x43);
}

TEST_F(McuLinkTest, ProtocolSec1_8_EveryMcuCommandIsAckedWithItsSnThenActedOn) {
  handshake();
  mcuReceive();
  // Appendix A vectors.
  mcuSend({0xFF, 0xFF, 0x00, 0x06, 0x09, 0x02, 0x00, 0x00, 0x01, 0x12});
  mcuSend({0xFF, 0xFF, 0x00, 0x05, 0x0B, 0x01, 0x00, 0x00, 0x11});
  mcuSend({0xFF, 0xFF, 0x00, 0x05, 0x13, 0x01, 0x00, 0x00, 0x19});
  mcuSend({0xFF, 0xFF, 0x00, 0x05, 0x15, 0x01, 0x00, 0x00, 0x1B});
  mcuSend({0xFF, 0xFF, 0x00, 0x05, 0x29, 0x01, 0x00, 0x00, 0x2F});
  EXPECT_EQ(listener.events, (std::vector<std::string>{"config1", "reset", "production", "bind", "restart"}));
  const auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 5u);
  const McuCmd acks[] = {McuCmd::ConfigModeAck, McuCmd::ResetModuleAck, McuCmd::ProductionTestAck,
                         McuCmd::BindWindowAck, McuCmd::RestartModuleAck};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(sent[i].header.cmd, acks[i]);
    EXPECT_EQ(sent[i].header.sn, i == 0 ? 2 : 1);
    EXPECT_TRUE(sent[i].payload.empty());
  }
}

TEST_F(McuLinkTest, ProtocolSec1_8_NetworkTimeAnsweredWithTheListenersClock) {
  handshake();
  mcuReceive();
  mcuSend(frame(McuCmd::GetNetworkTime, 0x41));
  // Appendix A "time reply".
  EXPECT_EQ(uart.mcuReceive(), (Bytes{0xFF, 0xFF, 0x00, 0x10, 0x18, 0x41, 0x00, 0x00, 0x07, 0xE7,
                                      0x0B, 0x0F, 0x06, 0x0D, 0x17, 0x65, 0x53, 0xF1, 0x03, 0x47}));
}

TEST_F(McuLinkTest, ProtocolSec1_8_ModuleInfoAnsweredInTheWifiLayout) {
  handshake();
  mcuReceive();
  mcuSend(frame(McuCmd::GetModuleInfo, 5, Bytes{0x00}));
  const auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::ModuleInfo);
  const auto info = proto::parseModuleInfo(sent[0].payload);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value.mac, "AABBCCDDEEFF");
}

TEST_F(McuLinkTest, ProtocolSec1_10_BadChecksumGetsIllegalNoticeWithTheFramesSn) {
  handshake();
  mcuReceive();
  Bytes bad = frame(McuCmd::P0FromMcu, 0x77, Bytes{0x04, 0x01});
  bad.back() ^= 0x01;
  mcuSend(bad);
  EXPECT_EQ(uart.mcuReceive(), (Bytes{0xFF, 0xFF, 0x00, 0x06, 0x11, 0x77, 0x00, 0x00, 0x01, 0x8F}));
  EXPECT_TRUE(listener.reports.empty());
}

TEST_F(McuLinkTest, ProtocolSec9_UnknownCommandGetsIllegalNoticeCode02) {
  handshake();
  mcuReceive();
  mcuSend(frame(static_cast<McuCmd>(0x60), 3));
  const auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::IllegalMessage);
  EXPECT_EQ(sent[0].header.sn, 3);
  EXPECT_EQ(sent[0].payload, Bytes{0x02});
}

TEST_F(McuLinkTest, Issue16_IllegalNoticesAreRateLimitedPerCodeAndCounted) {
  CaptureLog captured;
  logs.attach(captured, LogLevel::Warning);
  handshake();
  mcuReceive();
  Bytes bad = frame(McuCmd::P0FromMcu, 0x77, Bytes{0x04, 0x01});
  bad.back() ^= 0x01;
  for (int i = 0; i < 200; ++i) {
    uart.mcuSend(bad);
    uart.mcuSend(frame(static_cast<McuCmd>(0x60), 3));
  }
  link.poll(clock.now());
  std::size_t checksum = 0;
  std::size_t command = 0;
  for (const Received& r : mcuReceive()) {
    ASSERT_EQ(r.header.cmd, McuCmd::IllegalMessage);
    (r.payload == Bytes{0x01} ? checksum : command) += 1;
  }
  EXPECT_EQ(checksum, McuLink::kNoticeBurst);  // the first of each code went, then no more this second
  EXPECT_EQ(command, McuLink::kNoticeBurst);
  runFor(McuLink::kNoticeWindow);
  EXPECT_TRUE(captured.contains("197 more 0x11 notices (code 1) not sent"));
  EXPECT_TRUE(captured.contains("197 more 0x11 notices (code 2) not sent"));
  mcuSend(bad);  // a new second: notices go again
  EXPECT_EQ(mcuReceive().size(), 1u);
  logs.detach(captured);
}

TEST_F(McuLinkTest, ProtocolSec9_IllegalNoticesFromTheMcuAreNeverAcked) {
  handshake();
  mcuReceive();
  mcuSend(frame(McuCmd::IllegalMessage, 1, Bytes{0x01}));
  mcuSend(frame(McuCmd::IllegalMessageAck, 2, Bytes{0x02}));
  EXPECT_TRUE(mcuReceive().empty());
}

TEST_F(McuLinkTest, S4_4_1_WaitingStatusIsReplacedByTheLatestWord) {
  handshake();
  mcuReceive();
  ASSERT_TRUE(link.sendP0(Bytes{0x02}, 1, clock.now()));  // occupies the link
  link.sendStatus(0x071A, clock.now());
  link.sendStatus(0x073A, clock.now());
  auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  mcuSend(frame(McuCmd::P0ToMcuAck, sent[0].header.sn));
  sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::WifiStatus);
  EXPECT_EQ(sent[0].payload, (Bytes{0x07, 0x3A}));
  mcuSend(frame(McuCmd::WifiStatusAck, sent[0].header.sn));
  EXPECT_TRUE(mcuReceive().empty());
}

TEST_F(McuLinkTest, RequestsWaitForTheHandshake) {
  link.start(clock.now());
  link.sendStatus(0x071A, clock.now());
  auto sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::GetDeviceInfo);
  mcuSend(frame(McuCmd::DeviceInfo, sent[0].header.sn, deviceInfoPayload()));
  sent = mcuReceive();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header.cmd, McuCmd::WifiStatus);
}

TEST_F(McuLinkTest, RepeatedMcuRequestIsAckedAgainButActedOnOnce) {
  handshake();
  mcuReceive();
  const Bytes report = frame(McuCmd::P0FromMcu, 9, Bytes{0x04, 0x01});
  mcuSend(report);
  mcuSend(report);  // the MCU missed our ACK and resent
  EXPECT_EQ(listener.reports.size(), 1u);
  EXPECT_EQ(mcuReceive().size(), 2u);
  runFor(McuLink::kDuplicateWindow);
  mcuSend(report);  // later, the same sn is a new report (the MCU's counter wrapped)
  EXPECT_EQ(listener.reports.size(), 2u);
}

TEST_F(McuLinkTest, RandomLineNoiseNeverBreaksTheLink) {
  handshake();
  std::mt19937 rng(1234);
  for (int round = 0; round < 200; ++round) {
    Bytes noise(1 + rng() % 40);
    for (auto& b : noise) b = (rng() % 3 == 0) ? 0xFF : static_cast<std::uint8_t>(rng());
    mcuSend(noise);
  }
  mcuSend(Bytes{0xFF, 0xFF, 0xFF, 0xFF});  // resync: a fresh header hunt
  mcuReceive();
  mcuSend(frame(McuCmd::P0FromMcu, 200, Bytes{0x04, 0x05}));
  ASSERT_FALSE(listener.reports.empty());
  EXPECT_EQ(listener.reports.back(), (Bytes{0x04, 0x05}));
}

}  // namespace
}  // namespace gagent::core
