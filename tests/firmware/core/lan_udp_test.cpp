#include "gagent/core/lan_udp.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "lan_test_support.h"

using namespace gagent;
using namespace gagent::core;
using namespace lantest;
using proto::LanCmd;
using sim::SimNet;

namespace {

constexpr hal::Ipv4 kAppIp = hal::ipv4(10, 0, 0, 7);
constexpr hal::Ipv4 kLabBroadcast = hal::ipv4(127, 255, 255, 255);

struct Listener : LanUdpListener {
  std::vector<std::pair<std::string, std::string>> credentials;
  std::vector<Millis> configSuccessSent;
  void onOnboardingCredentials(std::string_view ssid, std::string_view password, Millis) override {
    credentials.emplace_back(ssid, password);
  }
  void onConfigSuccessSent(Millis now) override { configSuccessSent.push_back(now); }
};

// Appendix B "startup bcast": 00 00 00 03 4F 00 00 05 00 16 <did22> 00 06 <mac6> 00 00 00 20 <pk32> <attr8>
Bytes appendixBStartup(std::uint8_t cmdLow = 0x05) {
  return cat({{0x00, 0x00, 0x00, 0x03, 0x4F, 0x00, 0x00, cmdLow, 0x00, 0x16},
              text(kDid),
              {0x00, 0x06},
              Bytes(kMac.begin(), kMac.end()),
              {0x00, 0x00, 0x00, 0x20},
              text(kProductKey),
              Bytes(kAttrs.begin(), kAttrs.end())});
}

// Appendix B "config-success bcast": 00 00 00 03 45 00 00 19 00 06 <mac6> 00 20 <pk32> 00 16 <did22>
Bytes appendixBConfigSuccess() {
  return cat({{0x00, 0x00, 0x00, 0x03, 0x45, 0x00, 0x00, 0x19, 0x00, 0x06},
              Bytes(kMac.begin(), kMac.end()),
              {0x00, 0x20},
              text(kProductKey),
              {0x00, 0x16},
              text(kDid)});
}

const Bytes kDiscoverReq = {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x03};  // Appendix B
// Appendix B "onboard req" and its answer.
const Bytes kOnboardReq = cat({{0x00, 0x00, 0x00, 0x03, 0x17, 0x00, 0x00, 0x01, 0x00, 0x07},
                               text("TestNet"),
                               {0x00, 0x09},
                               text("password1")});
const Bytes kOnboardAck = {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x02};

struct LanUdpTest : ::testing::Test {
  sim::SimBoard board;
  SimNet& net = board.net();
  sim::VirtualClock& clock = board.clock();
  LogHub logs;
  ModuleIdentity identity = makeIdentity();
  DeviceConfig config = makeConfig();
  Listener listener;
  LanUdp udp{net, identity, config, logs, listener};
  sim::PeerUdpSocket& watcher = net.openPeerUdp({kAppIp, LanUdp::kAnnouncePort});  // the app's 2415
  sim::PeerUdpSocket& app = net.openPeerUdp({kAppIp, 50000});

  LanUdpTest() { net.setModuleAddress(SimNet::kStationAddress); }

  void run(Millis until) {
    runUntil(
        clock, until, [&](Millis now) { udp.poll(now); }, [&] { return udp.nextDeadline(); });
  }
  void poll() { udp.poll(clock.now()); }
};

}  // namespace

TEST_F(LanUdpTest, S7_1_1_Announces30TimesOneSecondApartToBroadcast) {
  udp.start(0);
  udp.startAnnounce(0);
  run(hal::seconds(60));
  const auto got = watcher.receiveAll();
  ASSERT_EQ(got.size(), 30u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got[i].time, hal::seconds(i));  // the first at once, then every second
    EXPECT_EQ(got[i].to, (hal::Endpoint{SimNet::kLimitedBroadcast, 2415}));
    EXPECT_EQ(got[i].from, (hal::Endpoint{SimNet::kStationAddress, 2415}));  // source port 2415
    EXPECT_EQ(got[i].bytes, appendixBStartup());
  }
  EXPECT_EQ(udp.announcesLeft(), 0);
  EXPECT_EQ(udp.nextDeadline(), hal::kNever);
  EXPECT_TRUE(listener.configSuccessSent.empty());
}

TEST_F(LanUdpTest, S7_1_1_BroadcastAddressIsAConstructorSetting) {
  net.setBroadcastAddress(kLabBroadcast);
  Listener labListener;
  LanUdp lab{net, identity, config, logs, labListener, kLabBroadcast};
  lab.start(0);
  lab.startAnnounce(0);
  const auto got = watcher.receiveAll();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].to, (hal::Endpoint{kLabBroadcast, 2415}));
}

TEST_F(LanUdpTest, S7_1_1_AnnouncementsAreCountedEvenWhileTheLanIsDown) {
  udp.start(0);
  udp.startAnnounce(0);
  run(hal::seconds(9) + 500);
  net.setLanUp(false);
  run(hal::seconds(19) + 500);
  net.setLanUp(true);
  run(hal::seconds(60));
  const auto got = watcher.receiveAll();
  ASSERT_EQ(got.size(), 20u);  // 0..9 s and 20..29 s: the series is 30 s long, not 30 deliveries
  EXPECT_EQ(got.back().time, hal::seconds(29));
}

TEST_F(LanUdpTest, S7_1_2_DiscoveryAnsweredByUnicast) {
  udp.start(0);
  clock.advanceTo(hal::seconds(3));
  ASSERT_TRUE(app.send({SimNet::kLimitedBroadcast, 12414}, kDiscoverReq));
  poll();
  auto reply = app.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->time, hal::seconds(3));  // at once
  EXPECT_EQ(reply->from, (hal::Endpoint{SimNet::kStationAddress, 12414}));
  EXPECT_EQ(reply->to, app.local());  // unicast to the sender, not a broadcast
  EXPECT_EQ(reply->bytes, appendixBStartup(0x04));
  EXPECT_EQ(watcher.pending(), 0u);

  // A unicast request is answered the same way.
  ASSERT_TRUE(app.send({SimNet::kStationAddress, 12414}, kDiscoverReq));
  poll();
  reply = app.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->bytes, appendixBStartup(0x04));
}

TEST_F(LanUdpTest, S7_1_2_DiscoveryCarriesTheCurrentIdentity) {
  udp.start(0);
  config.did.clear();  // before registration: didLen 0 (protocol §2.3 observed reply)
  config.firmwareVersion = "04020100";
  app.send({SimNet::kStationAddress, 12414}, kDiscoverReq);
  poll();
  const auto reply = app.receive();
  ASSERT_TRUE(reply.has_value());
  const auto decoded = proto::parseLanDatagram(reply->bytes);
  ASSERT_TRUE(decoded.ok());
  const auto body = proto::parseLanDeviceAnnounce(decoded.packet.payload);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.value.did, "");
  EXPECT_EQ(body.value.firmwareVersion, "04020100");
  EXPECT_EQ(body.value.productKey, kProductKey);
}

TEST_F(LanUdpTest, S7_1_2_NoReplyBeforeTheMcuGaveAProductKey) {
  identity.productKey.clear();
  udp.start(0);
  app.send({SimNet::kStationAddress, 12414}, kDiscoverReq);
  udp.startAnnounce(0);
  poll();
  EXPECT_EQ(app.pending(), 0u);
  EXPECT_EQ(watcher.pending(), 0u);
}

TEST_F(LanUdpTest, S6_1_3_ConfigSuccess30Times) {
  udp.start(0);
  clock.advanceTo(hal::seconds(5));
  udp.startConfigSuccess(clock.now());
  run(hal::seconds(60));
  const auto got = watcher.receiveAll();
  ASSERT_EQ(got.size(), 30u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got[i].time, hal::seconds(5 + i));
    EXPECT_EQ(got[i].to, (hal::Endpoint{SimNet::kLimitedBroadcast, 2415}));
    EXPECT_EQ(got[i].from.port, 2415);
    EXPECT_EQ(got[i].bytes, appendixBConfigSuccess());
  }
  EXPECT_EQ(listener.configSuccessSent, std::vector<Millis>{hal::seconds(34)});
}

TEST_F(LanUdpTest, S6_1_3_ConfigSuccessAndAnnouncementRunSideBySide) {
  udp.start(0);
  udp.startAnnounce(0);
  clock.advanceTo(500);
  udp.startConfigSuccess(500);
  run(hal::seconds(60));
  std::size_t announces = 0;
  std::size_t successes = 0;
  for (const auto& d : watcher.receiveAll()) {
    (d.bytes[7] == 0x05 ? announces : successes)++;
  }
  EXPECT_EQ(announces, 30u);
  EXPECT_EQ(successes, 30u);
  EXPECT_EQ(listener.configSuccessSent, std::vector<Millis>{hal::seconds(29) + 500});
}

TEST_F(LanUdpTest, S6_2_5_OnboardingPacketAckedOnlyWhenOpen) {
  udp.start(0);
  app.send({SimNet::kStationAddress, 12414}, kOnboardReq);
  poll();
  EXPECT_EQ(app.pending(), 0u);
  EXPECT_TRUE(listener.credentials.empty());

  udp.setOnboardingOpen(true);
  net.setModuleAddress(SimNet::kSoftApAddress);
  udp.onNetworkChanged(clock.now());
  app.send({SimNet::kSoftApAddress, 12414}, kOnboardReq);
  poll();
  const auto ack = app.receive();
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->bytes, kOnboardAck);
  EXPECT_EQ(ack->to, app.local());
  const std::vector<std::pair<std::string, std::string>> expected{{"TestNet", "password1"}};
  EXPECT_EQ(listener.credentials, expected);

  udp.setOnboardingOpen(false);
  app.send({SimNet::kSoftApAddress, 12414}, kOnboardReq);
  poll();
  EXPECT_EQ(app.pending(), 0u);
  EXPECT_EQ(listener.credentials.size(), 1u);
}

TEST_F(LanUdpTest, S6_2_5_CredentialsPassedRawWithoutChecksOrUnescaping) {
  udp.start(0);
  udp.setOnboardingOpen(true);
  const std::string ssid = "My \"Net\"%20\\x";
  const std::string password = "p";  // too short for WPA2: not checked (S6.2.5)
  Bytes payload(64);
  proto::ByteWriter w(payload);
  proto::buildLanOnboardingRequest({ssid, password}, w);
  payload.resize(w.size());
  app.send({SimNet::kStationAddress, 12414}, packet(LanCmd::OnboardingRequest, payload));
  poll();
  ASSERT_EQ(listener.credentials.size(), 1u);
  EXPECT_EQ(listener.credentials[0].first, ssid);
  EXPECT_EQ(listener.credentials[0].second, password);
}

TEST_F(LanUdpTest, S6_2_5_OverlongOrMalformedOnboardingIgnored) {
  udp.start(0);
  udp.setOnboardingOpen(true);
  const std::string ssid33(33, 'S');
  const std::string pwd33(33, 'p');
  const std::vector<Bytes> bad = {
      cat({{0x00, 33}, text(ssid33), {0x00, 0x01}, text("x")}),     // SSID over 32
      cat({{0x00, 0x04}, text("Home"), {0x00, 33}, text(pwd33)}),   // password over 32
      cat({{0x00, 0x07}, text("Test")}),                            // truncated
      cat({{0x00, 0x04}, text("Home"), {0x00, 0x01}, text("xy")}),  // trailing byte
      {},                                                           // empty
  };
  for (const Bytes& payload : bad)
    app.send({SimNet::kStationAddress, 12414}, packet(LanCmd::OnboardingRequest, payload));
  poll();
  EXPECT_EQ(app.pending(), 0u);
  EXPECT_TRUE(listener.credentials.empty());
}

TEST_F(LanUdpTest, MalformedAndUnknownDatagramsAreIgnored) {
  udp.start(0);
  udp.setOnboardingOpen(true);
  const std::vector<Bytes> junk = {
      {},
      {0x00},
      {0x01, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x03},        // bad magic
      {0x00, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00, 0x03},        // truncated
      {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x03, 0x00},  // trailing byte
      {0x00, 0x00, 0x00, 0x03, 0x02, 0x00, 0x00},              // LEN < 3
      {0x00, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x00},  // bad varint
      packet(0x001B),                                          // the app's unknown broadcast
      packet(LanCmd::PasscodeRequest),                         // a TCP command on UDP
      packet(0x7777, {1, 2, 3}),
      Bytes(4000, 0xAA),  // larger than any packet
  };
  for (const Bytes& d : junk) app.send({SimNet::kStationAddress, 12414}, d);
  run(hal::seconds(1));  // more than kMaxDatagramsPerPoll: spread over polls
  EXPECT_EQ(app.pending(), 0u);
  EXPECT_TRUE(listener.credentials.empty());
  // Still serving.
  app.send({SimNet::kStationAddress, 12414}, kDiscoverReq);
  poll();
  EXPECT_EQ(app.pending(), 1u);
}

TEST_F(LanUdpTest, FloodIsServedOverSeveralPolls) {
  udp.start(0);
  for (int i = 0; i < 40; ++i) app.send({SimNet::kStationAddress, 12414}, kDiscoverReq);
  poll();
  EXPECT_EQ(app.pending(), LanUdp::kMaxDatagramsPerPoll);
  poll();
  poll();
  EXPECT_EQ(app.pending(), 40u);
}

TEST_F(LanUdpTest, NetworkChangeReopensTheSockets) {
  udp.start(0);
  EXPECT_EQ(net.openSocketCount(), 2u);
  net.setModuleAddress(SimNet::kSoftApAddress);
  udp.onNetworkChanged(hal::seconds(1));
  EXPECT_EQ(udp.state(), LanUdp::State::Open);
  EXPECT_EQ(net.openSocketCount(), 2u);  // the old ones are closed, not leaked
  app.send({SimNet::kSoftApAddress, 12414}, kDiscoverReq);
  poll();
  const auto reply = app.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->from, (hal::Endpoint{SimNet::kSoftApAddress, 12414}));
}

TEST_F(LanUdpTest, SocketsThatFailToOpenAreRetried) {
  net.setMaxSockets(1);  // only one of the two opens
  udp.start(0);
  EXPECT_EQ(udp.state(), LanUdp::State::Retrying);
  EXPECT_EQ(udp.nextDeadline(), LanUdp::kReopenDelay);
  net.setMaxSockets(SimNet::kDefaultMaxSockets);
  run(LanUdp::kReopenDelay - 1);
  EXPECT_EQ(udp.state(), LanUdp::State::Retrying);
  run(LanUdp::kReopenDelay);
  EXPECT_EQ(udp.state(), LanUdp::State::Open);
  EXPECT_EQ(net.openSocketCount(), 2u);
  EXPECT_EQ(udp.nextDeadline(), hal::kNever);
  udp.startAnnounce(clock.now());
  EXPECT_EQ(watcher.pending(), 1u);
}

TEST_F(LanUdpTest, StopClosesBothSockets) {
  udp.start(0);
  udp.stop();
  EXPECT_EQ(udp.state(), LanUdp::State::Stopped);
  EXPECT_EQ(net.openSocketCount(), 0u);
  app.send({SimNet::kStationAddress, 12414}, kDiscoverReq);
  poll();
  EXPECT_EQ(app.pending(), 0u);
}

TEST_F(LanUdpTest, TheAgentMayReopenTheSocketsFromTheOnboardingCallback) {
  struct Reopening : Listener {
    LanUdp* udp = nullptr;
    void onOnboardingCredentials(std::string_view ssid, std::string_view password, Millis now) override {
      Listener::onOnboardingCredentials(ssid, password, now);
      udp->stop();  // e.g. leaving SoftAP at once
    }
  } reopening;
  LanUdp other{net, identity, config, logs, reopening};
  reopening.udp = &other;
  other.start(0);
  other.setOnboardingOpen(true);
  app.send({SimNet::kStationAddress, 12414}, kOnboardReq);
  app.send({SimNet::kStationAddress, 12414}, kOnboardReq);  // never read: the socket is gone
  other.poll(0);
  EXPECT_EQ(reopening.credentials.size(), 1u);
  EXPECT_EQ(app.receiveAll().size(), 1u);
  EXPECT_EQ(other.state(), LanUdp::State::Stopped);
}

TEST_F(LanUdpTest, S6_2_5_ARepeatAfterTheConfigurationWasTakenIsAcknowledgedAgainNotActedOn) {
  // As the agent does: store the credentials and close onboarding from the callback; the reboot is later.
  struct Taking : Listener {
    LanUdp* udp = nullptr;
    DeviceConfig* config = nullptr;
    void onOnboardingCredentials(std::string_view ssid, std::string_view password, Millis now) override {
      Listener::onOnboardingCredentials(ssid, password, now);
      config->ssid = ssid;
      config->password = password;
      udp->setOnboardingOpen(false);
    }
  } taking;
  LanUdp other{net, identity, config, logs, taking};
  taking.udp = &other;
  taking.config = &config;
  other.start(0);
  other.setOnboardingOpen(true);
  app.send({SimNet::kStationAddress, 12414}, kOnboardReq);
  other.poll(0);
  ASSERT_EQ(app.receiveAll().size(), 1u);  // the 0002 the phone will miss
  // The phone heard nothing and sends the same packet again a second later.
  app.send({SimNet::kStationAddress, 12414}, kOnboardReq);
  other.poll(hal::seconds(1));
  const auto again = app.receive();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->bytes, kOnboardAck);
  EXPECT_EQ(taking.credentials.size(), 1u);  // acted on once
  // Other credentials are not what was taken: not acknowledged, not passed on.
  Bytes payload(64);
  proto::ByteWriter w(payload);
  proto::buildLanOnboardingRequest({"OtherNet", "password2"}, w);
  payload.resize(w.size());
  app.send({SimNet::kStationAddress, 12414}, packet(LanCmd::OnboardingRequest, payload));
  other.poll(hal::seconds(2));
  EXPECT_EQ(app.pending(), 0u);
  EXPECT_EQ(taking.credentials.size(), 1u);
  // A new onboarding window forgets what was taken.
  other.setOnboardingOpen(true);
  other.setOnboardingOpen(false);
  app.send({SimNet::kStationAddress, 12414}, kOnboardReq);
  other.poll(hal::seconds(3));
  EXPECT_EQ(app.pending(), 0u);
}

// P5: the UDP side reads into a buffer sized by the largest request it accepts and encodes into one sized by
// the largest packet it sends, every field at its stored maximum; what is larger is dropped, nothing breaks.
TEST_F(LanUdpTest, P5_S7_1_2_S6_2_5_TheLargestRequestAndAnswerFitTheSizedBuffers) {
  config.firmwareVersion = "04020999";  // 8 characters, the stored maximum; the DID is 22
  udp.start(0);
  udp.setOnboardingOpen(true);
  app.send({SimNet::kStationAddress, 12414}, kDiscoverReq);
  poll();
  ASSERT_EQ(app.pending(), 1u);
  const auto reply = app.receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->bytes.size(), LanUdp::kLargestAnnounce);  // the largest it sends fills the buffer exactly
  const auto decoded = proto::parseLanDatagram(reply->bytes);
  ASSERT_TRUE(decoded.ok());
  const auto announce = proto::parseLanDeviceAnnounce(decoded.packet.payload);
  ASSERT_TRUE(announce.ok());
  EXPECT_EQ(announce.value.did, kDid);
  EXPECT_EQ(announce.value.firmwareVersion, "04020999");

  // A 0001 with a trailing field no app sends: larger than any valid request, dropped unread.
  const std::string ssid(proto::kLanMaxSsid, 'S');
  const std::string password(proto::kLanMaxPassword, 'p');
  const Bytes longest =
      packet(LanCmd::OnboardingRequest, cat({{0x00, 32}, text(ssid), {0x00, 32}, text(password)}));
  ASSERT_EQ(longest.size(), LanUdp::kLargestRequest);
  app.send({SimNet::kStationAddress, 12414},
           packet(LanCmd::OnboardingRequest,
                  cat({{0x00, 32}, text(ssid), {0x00, 32}, text(password), Bytes(300, 0xEE)})));
  poll();
  EXPECT_EQ(app.pending(), 0u);
  EXPECT_TRUE(listener.credentials.empty());
  // The largest valid one is taken whole.
  app.send({SimNet::kStationAddress, 12414}, longest);
  poll();
  ASSERT_EQ(listener.credentials.size(), 1u);
  EXPECT_EQ(listener.credentials[0].first, ssid);
  EXPECT_EQ(listener.credentials[0].second, password);
}
