// MqttSession against a hand-driven broker on the SimNet: the test reads what the module sends with the proto
// parsers and answers CONNACK / SUBACK / PINGRESP / PUBLISH byte by byte, while the VirtualClock jumps.
#include "gagent/core/mqtt_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gagent/proto/cloud_mgmt.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/mqtt.h"
#include "gagent/proto/mqtt_topics.h"
#include "gagent/sim/sim_board.h"

using namespace gagent;
using namespace gagent::core;
using gagent::sim::NetRecord;
using gagent::sim::PeerTcpConnection;
using gagent::sim::PeerTcpListener;
using gagent::sim::SimBoard;
using gagent::sim::SimNet;
using State = MqttSession::State;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::string_view kDid = "abcdefghijklmnopqrstuv";  // 22 characters (S8.1)
constexpr std::string_view kPasscode = "ABCDEFGHIJ";
constexpr std::string_view kProductKey = "0123456789abcdef0123456789abcdef";
constexpr hal::Endpoint kServer{hal::ipv4(10, 0, 0, 7), 1883};
constexpr hal::Endpoint kOtherServer{hal::ipv4(10, 0, 0, 8), 1883};

Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

struct Event {
  std::string what;
  Millis at = 0;
};

struct AppCommand {
  std::string clientId;
  proto::LanCmd cmd{};
  std::uint32_t sn = 0;
  Bytes p0;
};

struct Listener : MqttSessionListener {
  std::vector<Event> events;
  std::vector<AppCommand> commands;
  std::vector<std::uint16_t> appCounts;
  std::vector<proto::OtaFirmwareType> otaPushes;

  void onCloudConnected(Millis now) override { events.push_back({"connected", now}); }
  void onCloudDisconnected(Millis now) override { events.push_back({"disconnected", now}); }
  void onCredentialsRejected(Millis now) override { events.push_back({"credentials", now}); }
  void onReprovisionNeeded(Millis now) override { events.push_back({"reprovision", now}); }
  void onRebootNeeded(Millis now) override { events.push_back({"reboot", now}); }
  void onCloudAppCommand(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                         Millis) override {
    commands.push_back({std::string(clientId), cmd, sn, Bytes(p0.begin(), p0.end())});
  }
  void onCloudAppCount(std::uint16_t count, Millis) override { appCounts.push_back(count); }
  void onOtaPush(proto::OtaFirmwareType type, Millis) override { otaPushes.push_back(type); }

  [[nodiscard]] std::size_t count(std::string_view what) const {
    return static_cast<std::size_t>(
        std::count_if(events.begin(), events.end(), [&](const Event& e) { return e.what == what; }));
  }
  [[nodiscard]] Millis last(std::string_view what) const {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->what == what) return it->at;
    }
    return hal::kNever;
  }
};

// One packet the module sent, copied out of the broker's stream.
struct Sent {
  proto::MqttPacketType type{};
  std::uint8_t flags = 0;
  Bytes body;
  Bytes raw;
  [[nodiscard]] proto::MqttPacket packet() const { return {type, flags, body}; }
};

class MqttSessionTest : public ::testing::Test {
 protected:
  MqttSessionTest() { board.net().setModuleAddress(SimNet::kStationAddress); }

  // The world loop: poll the module at each of its deadlines and at each simulated network event up to `t`.
  void runUntil(Millis t) {
    session.poll(clock().now());
    for (int guard = 0; guard < 1'000'000; ++guard) {
      const Millis next = std::min(session.nextDeadline(), clock().nextEventTime());
      if (next > t) break;
      clock().advanceTo(std::max(next, clock().now()));
      session.poll(clock().now());
    }
    clock().advanceTo(t);
    session.poll(t);
  }
  void runFor(Millis d) { runUntil(clock().now() + d); }
  // Like runUntil, with the broker answering every PINGREQ, so a connected session stays up.
  void serveUntil(Millis t) {
    while (clock().now() < t) {
      runUntil(std::min(clock().now() + hal::seconds(10), t));
      for (const Sent& s : received()) {
        if (s.type == proto::MqttPacketType::Pingreq) send(bytes({0xD0, 0x00}));
      }
    }
  }
  sim::VirtualClock& clock() { return board.clock(); }

  bool start(hal::Endpoint server = kServer) {
    return session.start(server, kDid, kPasscode, kProductKey, clock().now());
  }

  // Takes the module's newest connection at the broker.
  PeerTcpConnection* accept(PeerTcpListener& at) {
    PeerTcpConnection* next = at.accept();
    if (next != nullptr) {
      conn = next;
      inbox.clear();
    }
    return next;
  }
  PeerTcpConnection* accept() { return accept(broker); }

  // Everything the module sent on the current connection since the last call, as whole packets.
  std::vector<Sent> received() {
    std::vector<Sent> out;
    if (conn == nullptr) return out;
    const Bytes fresh = conn->receiveAll();
    inbox.insert(inbox.end(), fresh.begin(), fresh.end());
    std::size_t used = 0;
    for (;;) {
      const proto::MqttFrameDecode d = proto::decodeMqttPacket(proto::Bytes(inbox).subspan(used));
      if (!d.ok()) {
        EXPECT_NE(d.status, proto::ParseStatus::Malformed) << "module sent a malformed packet";
        break;
      }
      Sent s;
      s.type = d.packet.type;
      s.flags = d.packet.flags;
      s.body.assign(d.packet.body.begin(), d.packet.body.end());
      s.raw.assign(inbox.begin() + static_cast<std::ptrdiff_t>(used),
                   inbox.begin() + static_cast<std::ptrdiff_t>(used + d.consumed));
      out.push_back(std::move(s));
      used += d.consumed;
    }
    inbox.erase(inbox.begin(), inbox.begin() + static_cast<std::ptrdiff_t>(used));
    return out;
  }
  Sent receiveOne() {
    auto packets = received();
    EXPECT_EQ(packets.size(), 1u);
    return packets.empty() ? Sent{} : packets.front();
  }

  void send(const Bytes& data) { ASSERT_TRUE(conn->send(data)); }
  void sendConnack(proto::ConnackCode code) {
    std::array<std::uint8_t, 4> out{};
    send(Bytes(out.begin(),
               out.begin() + static_cast<std::ptrdiff_t>(proto::encodeMqttConnack(out, false, code))));
  }
  void sendSuback(std::uint16_t id, std::uint8_t granted = 0) {
    std::array<std::uint8_t, 5> out{};
    send(Bytes(out.begin(),
               out.begin() + static_cast<std::ptrdiff_t>(proto::encodeMqttSuback(out, id, granted))));
  }
  static Bytes publishPacket(std::string_view topic, const Bytes& payload) {
    std::array<std::uint8_t, proto::kMqttMaxPacket> out{};
    const std::size_t n = proto::encodeMqttPublish(out, topic, payload);
    EXPECT_NE(n, 0u);
    return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  }
  void sendPublish(std::string_view topic, const Bytes& payload) { send(publishPacket(topic, payload)); }

  // Answers the SUBSCRIBE the module just sent; returns its parsed topic filter.
  std::string answerSubscribe(std::uint8_t granted = 0) {
    const Sent s = receiveOne();
    EXPECT_EQ(s.type, proto::MqttPacketType::Subscribe);
    const auto sub = proto::parseMqttSubscribe(s.packet());
    EXPECT_TRUE(sub.ok());
    std::string filter;
    proto::forEachMqttSubscription(sub.value, [&](const proto::MqttSubscription& e) {
      filter = std::string(e.topicFilter);
      EXPECT_EQ(e.qos, 0);
    });
    sendSuback(sub.value.packetId, granted);
    return filter;
  }

  // Start (or an automatic reconnect) all the way to Connected.
  void login() {
    ASSERT_NE(accept(), nullptr);
    ASSERT_EQ(receiveOne().type, proto::MqttPacketType::Connect);
    sendConnack(proto::ConnackCode::Accepted);
    for (int i = 0; i < 3; ++i) {
      runFor(0);
      answerSubscribe();
    }
    runFor(0);
    ASSERT_TRUE(session.connected());
  }
  void startAndLogin() {
    ASSERT_TRUE(start());
    login();
  }

  // Times of the module's TCP connection attempts to `to`.
  std::vector<Millis> connectTimes(hal::Endpoint to = kServer) {
    std::vector<Millis> out;
    for (const NetRecord& r : board.net().record()) {
      if (r.kind == NetRecord::Kind::TcpOpen && r.to == to) out.push_back(r.time);
    }
    return out;
  }

  SimBoard board;
  LogHub logs;
  Listener listener;
  MqttSession session{board.net(), logs, listener};
  PeerTcpListener& broker = board.net().listenPeer(kServer);
  PeerTcpConnection* conn = nullptr;
  Bytes inbox;
};

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

std::string topic(const proto::MqttTopic& t) {
  return std::string(t.view());
}

}  // namespace

// ---- S8.5 login ------------------------------------------------------------------------------------------

TEST_F(MqttSessionTest, S8_5_ConnectCarriesDidPasscodeKeepAlive120) {
  ASSERT_TRUE(start());
  EXPECT_EQ(connectTimes(), std::vector<Millis>{0});
  ASSERT_NE(accept(), nullptr);
  const Sent connect = receiveOne();
  ASSERT_EQ(connect.type, proto::MqttPacketType::Connect);
  const auto parsed = proto::parseMqttConnect(connect.packet());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.protocol, proto::MqttProtocol::Mqtt31);
  EXPECT_EQ(parsed.value.clientId, kDid);
  EXPECT_EQ(parsed.value.username, kDid);
  EXPECT_EQ(parsed.value.password, kPasscode);
  EXPECT_EQ(parsed.value.keepAliveSeconds, 120);
  EXPECT_TRUE(parsed.value.cleanSession);
  EXPECT_FALSE(parsed.value.will.has_value());
  // Protocol §3.7's observed bytes: 10 48 00 06 "MQIsdp" 03 C2 00 78 00 16 <did> 00 16 <did> 00 0A
  // <passcode>.
  const Bytes expected = concat({bytes({0x10, 0x48, 0x00, 0x06}), text("MQIsdp"),
                                 bytes({0x03, 0xC2, 0x00, 0x78}), bytes({0x00, 0x16}), text(kDid),
                                 bytes({0x00, 0x16}), text(kDid), bytes({0x00, 0x0A}), text(kPasscode)});
  EXPECT_EQ(connect.raw, expected);
  EXPECT_EQ(session.state(), State::AwaitingConnack);
}

TEST_F(MqttSessionTest, S8_5_NotConnectedBeforeSubscribed) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  (void)received();
  EXPECT_FALSE(session.connected());
  sendConnack(proto::ConnackCode::Accepted);
  runFor(hal::seconds(1));
  EXPECT_EQ(session.state(), State::Subscribing);
  EXPECT_FALSE(session.connected());
  EXPECT_EQ(listener.count("connected"), 0u);
  // Nothing is published before the cloud counts as connected.
  EXPECT_FALSE(session.publishToAll(proto::LanCmd::P0FromDevice, bytes({1, 2})));
  const auto packets = received();
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(packets[0].type, proto::MqttPacketType::Subscribe);
}

TEST_F(MqttSessionTest, S8_5_BadIdentityIsRefusedUpFront) {
  EXPECT_FALSE(session.start(kServer, "", kPasscode, kProductKey, 0));
  EXPECT_FALSE(session.start(kServer, "abc/def", kPasscode, kProductKey, 0));
  EXPECT_FALSE(session.start(kServer, "abcdefghijklmnopqrstuvwx", kPasscode, kProductKey, 0));  // 24 > 23
  EXPECT_FALSE(session.start(kServer, kDid, "", kProductKey, 0));
  EXPECT_FALSE(session.start(kServer, kDid, kPasscode, "", 0));
  EXPECT_EQ(session.state(), State::Idle);
  EXPECT_TRUE(connectTimes().empty());
}

// ---- S8.6 subscribe --------------------------------------------------------------------------------------

TEST_F(MqttSessionTest, S8_6_ConnectedOnlyAfterAllSubacks) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  (void)received();
  sendConnack(proto::ConnackCode::Accepted);
  runFor(0);

  std::vector<std::string> filters;
  std::vector<std::uint16_t> ids;
  for (int i = 0; i < 3; ++i) {
    runFor(hal::seconds(1));
    // One SUBSCRIBE at a time (protocol §3.7): the next goes out only after this one's SUBACK.
    const auto packets = received();
    ASSERT_EQ(packets.size(), 1u) << i;
    EXPECT_EQ(packets[0].raw[0], 0x82);
    const auto sub = proto::parseMqttSubscribe(packets[0].packet());
    ASSERT_TRUE(sub.ok());
    ASSERT_EQ(sub.value.count, 1u);
    ids.push_back(sub.value.packetId);
    proto::forEachMqttSubscription(sub.value, [&](const proto::MqttSubscription& e) {
      filters.emplace_back(e.topicFilter);
      EXPECT_EQ(e.qos, 0);
    });
    EXPECT_FALSE(session.connected()) << i;
    EXPECT_EQ(listener.count("connected"), 0u) << i;
    sendSuback(sub.value.packetId);
  }
  runFor(hal::seconds(1));
  EXPECT_EQ(filters, (std::vector<std::string>{topic(proto::serToCliNotiTopic(kProductKey)),
                                               topic(proto::serToCliResTopic(kDid)),
                                               topic(proto::appToDevFilter(kDid))}));
  EXPECT_EQ(filters[2], std::string("app2dev/") + std::string(kDid) + "/#");
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[1], ids[2]);
  EXPECT_NE(ids[0], ids[2]);
  EXPECT_TRUE(session.connected());
  ASSERT_EQ(listener.count("connected"), 1u);
  EXPECT_EQ(listener.last("connected"), hal::seconds(3));
}

TEST_F(MqttSessionTest, S8_6_SubackForAnotherIdIsNotCounted) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  (void)received();
  sendConnack(proto::ConnackCode::Accepted);
  runFor(0);
  const Sent sent = receiveOne();
  const auto sub = proto::parseMqttSubscribe(sent.packet());
  ASSERT_TRUE(sub.ok());
  sendSuback(static_cast<std::uint16_t>(sub.value.packetId + 100));
  runFor(0);
  EXPECT_TRUE(received().empty());  // still waiting for the right SUBACK
  EXPECT_EQ(session.state(), State::Subscribing);
}

TEST_F(MqttSessionTest, S8_6_SubackFailureDropsAndReconnects) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  (void)received();
  sendConnack(proto::ConnackCode::Accepted);
  runFor(0);
  answerSubscribe();
  runFor(0);
  answerSubscribe(proto::kMqttSubackFailure);
  runFor(0);
  EXPECT_TRUE(conn->closedByModule());
  EXPECT_EQ(session.state(), State::Waiting);
  EXPECT_EQ(listener.count("connected"), 0u);
  EXPECT_EQ(listener.count("disconnected"), 0u);  // it never was connected
  runFor(hal::seconds(10));
  EXPECT_EQ(connectTimes(), (std::vector<Millis>{0, hal::seconds(10)}));
  login();
  EXPECT_EQ(listener.count("connected"), 1u);
}

TEST_F(MqttSessionTest, S8_6_MissingSubackIsAFailedAttempt) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  (void)received();
  sendConnack(proto::ConnackCode::Accepted);
  runUntil(MqttSession::kSubackTimeout - 1);
  EXPECT_EQ(session.state(), State::Subscribing);
  runUntil(MqttSession::kSubackTimeout);
  EXPECT_TRUE(conn->closedByModule());
  EXPECT_EQ(session.state(), State::Waiting);
}

// ---- S8.8 heartbeat --------------------------------------------------------------------------------------

TEST_F(MqttSessionTest, S8_8_1_PingAfter55sSilence) {
  startAndLogin();
  const Millis t0 = clock().now();
  runUntil(t0 + hal::seconds(55) - 1);
  EXPECT_TRUE(received().empty());
  runUntil(t0 + hal::seconds(55));
  const Sent ping = receiveOne();
  EXPECT_EQ(ping.raw, bytes({0xC0, 0x00}));
  send(bytes({0xD0, 0x00}));  // PINGRESP
  runUntil(t0 + hal::seconds(56));
  // Anything received restarts the 55 s: here a PUBLISH at 80 s, so the next PINGREQ is at 135 s.
  runUntil(t0 + hal::seconds(80));
  sendPublish(topic(proto::serToCliNotiTopic(kProductKey)), bytes({1}));
  runUntil(t0 + hal::seconds(135) - 1);
  EXPECT_TRUE(received().empty());
  runUntil(t0 + hal::seconds(135));
  EXPECT_EQ(receiveOne().raw, bytes({0xC0, 0x00}));
  EXPECT_TRUE(session.connected());
  EXPECT_EQ(listener.count("disconnected"), 0u);
}

TEST_F(MqttSessionTest, S8_8_2_DropAfter120sSilenceAndReconnectSameAddress) {
  startAndLogin();
  PeerTcpConnection* first = conn;
  const Millis t0 = clock().now();
  runUntil(t0 + hal::seconds(120) - 1);
  // Unanswered pings at 55 s and 110 s.
  EXPECT_EQ(received().size(), 2u);
  EXPECT_TRUE(session.connected());
  runUntil(t0 + hal::seconds(120));
  EXPECT_TRUE(first->closedByModule());
  EXPECT_EQ(listener.last("disconnected"), t0 + hal::seconds(120));
  // S8.8.3: the first reconnect goes out at once, to the same address and port.
  EXPECT_EQ(connectTimes(), (std::vector<Millis>{0, t0 + hal::seconds(120)}));
  login();
  EXPECT_EQ(listener.count("connected"), 2u);
}

// ---- S8.8.3-6 reconnect schedule -------------------------------------------------------------------------

TEST_F(MqttSessionTest, S8_8_3_BackoffZeroTenTwenty) {
  startAndLogin();
  broker.setRefusing(true);
  runUntil(hal::seconds(100));
  conn->close();  // the server goes away
  runUntil(hal::seconds(200));
  EXPECT_EQ(listener.last("disconnected"), hal::seconds(100));
  // Loss at 100 s: attempts at once, then 10 s, 20 s, 30 s, 40 s after each failure.
  EXPECT_EQ(connectTimes(), (std::vector<Millis>{0, hal::seconds(100), hal::seconds(110), hal::seconds(130),
                                                 hal::seconds(160), hal::seconds(200)}));
}

TEST_F(MqttSessionTest, S8_8_3_FirstLoginFailingRetriesAfterTenThenTwenty) {
  broker.setRefusing(true);
  ASSERT_TRUE(start());
  runUntil(hal::seconds(60));
  EXPECT_EQ(connectTimes(), (std::vector<Millis>{0, hal::seconds(10), hal::seconds(30), hal::seconds(60)}));
  EXPECT_EQ(session.state(), State::Waiting);
}

TEST_F(MqttSessionTest, S8_8_3_ConnectTimeoutIsAFailedAttempt) {
  board.net().setSilentDrop(true);  // the SYN is lost: connects hang
  ASSERT_TRUE(start());
  runUntil(MqttSession::kConnectTimeout - 1);
  EXPECT_EQ(session.state(), State::Connecting);
  runUntil(MqttSession::kConnectTimeout);
  EXPECT_EQ(session.state(), State::Waiting);
  EXPECT_EQ(session.nextDeadline(), MqttSession::kConnectTimeout + hal::seconds(10));
}

TEST_F(MqttSessionTest, S8_8_4_ReprovisionAfterTenFailures) {
  broker.setRefusing(true);
  ASSERT_TRUE(start());
  // Ten attempts at 0, 10, 30, 60, ... (delays 0..90 s): the tenth goes out and fails at 450 s.
  runUntil(hal::seconds(449));
  EXPECT_EQ(listener.count("reprovision"), 0u);
  EXPECT_EQ(connectTimes().size(), 9u);
  runUntil(hal::seconds(450));
  EXPECT_EQ(connectTimes().size(), 10u);
  ASSERT_EQ(listener.count("reprovision"), 1u);
  EXPECT_EQ(listener.last("reprovision"), hal::seconds(450));
  EXPECT_EQ(session.state(), State::Idle);
  runUntil(hal::hours(1));
  EXPECT_EQ(connectTimes().size(), 10u);  // idle until the agent provisioned again

  // The agent provisioned and got another address: tried at once, with the 2-hour clock still running.
  PeerTcpListener& other = board.net().listenPeer(kOtherServer);
  ASSERT_TRUE(start(kOtherServer));
  EXPECT_EQ(connectTimes(kOtherServer), std::vector<Millis>{hal::hours(1)});
  EXPECT_EQ(session.schedule().failingSince(), 0u);
  ASSERT_NE(accept(other), nullptr);
  EXPECT_EQ(receiveOne().type, proto::MqttPacketType::Connect);
}

TEST_F(MqttSessionTest, S8_8_5_RebootAfterTwoHoursFailing) {
  broker.setRefusing(true);
  ASSERT_TRUE(start());
  // The agent provisions again whenever asked to (same address here); the clock runs across those restarts.
  while (clock().now() < hal::hours(2) - 1) {
    runUntil(std::min(clock().now() + hal::minutes(20), hal::hours(2) - 1));
    if (session.state() == State::Idle) {
      ASSERT_TRUE(start());
    }
  }
  EXPECT_GE(listener.count("reprovision"), 2u);
  EXPECT_EQ(listener.count("reboot"), 0u);
  runUntil(hal::hours(2));
  ASSERT_EQ(listener.count("reboot"), 1u);
  EXPECT_EQ(listener.last("reboot"), hal::hours(2));
  EXPECT_EQ(session.state(), State::Idle);
  const std::size_t attempts = connectTimes().size();
  runUntil(hal::hours(3));
  EXPECT_EQ(connectTimes().size(), attempts);
  EXPECT_EQ(listener.count("reboot"), 1u);
}

TEST_F(MqttSessionTest, S8_8_5_TwoHourClockStartsAtTheLossAndEndsOnSuccess) {
  startAndLogin();
  serveUntil(hal::minutes(10));
  ASSERT_TRUE(session.connected());
  broker.setRefusing(true);
  conn->close();
  runUntil(hal::minutes(10) + hal::hours(2) - 1);
  EXPECT_EQ(listener.count("reboot"), 0u);
  runUntil(hal::minutes(10) + hal::hours(2));
  EXPECT_EQ(listener.last("reboot"), hal::minutes(10) + hal::hours(2));
}

TEST_F(MqttSessionTest, S8_8_5_SuccessfulSubscribeRestartsTheClock) {
  broker.setRefusing(true);
  ASSERT_TRUE(start());
  runUntil(hal::seconds(30));  // attempts at 0, 10, 30 fail
  broker.setRefusing(false);
  runUntil(hal::seconds(60));  // attempt 4 connects
  login();
  EXPECT_FALSE(session.schedule().failing());
  // From now on the broker stays silent: the session drops at 60 + 120 s and every later attempt times out.
  // Two hours are counted from that loss, not from the first failure at 0 s.
  runUntil(hal::hours(2) + hal::seconds(180) - 1);
  EXPECT_EQ(listener.count("reboot"), 0u);
  runUntil(hal::hours(3));
  EXPECT_EQ(listener.last("reboot"), hal::hours(2) + hal::seconds(180));
}

TEST_F(MqttSessionTest, S8_8_6_FreshObjectAfterRebootStartsAtZero) {
  broker.setRefusing(true);
  ASSERT_TRUE(start());
  runUntil(hal::minutes(5));
  // Reboot: a new core on the same board.
  board.restartModule();
  Listener fresh;
  MqttSession after{board.net(), logs, fresh};
  board.net().clearRecord();
  ASSERT_TRUE(after.start(kServer, kDid, kPasscode, kProductKey, clock().now()));
  EXPECT_EQ(connectTimes(), std::vector<Millis>{hal::minutes(5)});
  after.poll(clock().now());
  EXPECT_EQ(after.nextDeadline(), hal::minutes(5) + hal::seconds(10));
}

TEST_F(MqttSessionTest, StartWithTheSameDataKeepsTheSessionOtherDataReconnects) {
  startAndLogin();
  ASSERT_TRUE(start());
  EXPECT_TRUE(session.connected());
  EXPECT_FALSE(conn->closedByModule());
  EXPECT_EQ(connectTimes().size(), 1u);
  PeerTcpConnection* old = conn;
  ASSERT_TRUE(session.start(kServer, kDid, "NEWPASSCODE", kProductKey, clock().now()));
  EXPECT_TRUE(old->closedByModule());
  EXPECT_EQ(listener.count("disconnected"), 1u);
  EXPECT_EQ(connectTimes().size(), 2u);
  ASSERT_NE(accept(), nullptr);
  const Sent sent = receiveOne();
  const auto connect = proto::parseMqttConnect(sent.packet());
  ASSERT_TRUE(connect.ok());
  EXPECT_EQ(connect.value.password, "NEWPASSCODE");
}

TEST_F(MqttSessionTest, StopClosesAndForgetsTheSchedule) {
  startAndLogin();
  session.stop();
  EXPECT_EQ(session.state(), State::Idle);
  EXPECT_EQ(receiveOne().raw, bytes({0xE0, 0x00}));  // a polite DISCONNECT
  EXPECT_TRUE(conn->closedByModule());
  EXPECT_EQ(session.nextDeadline(), hal::kNever);
  runUntil(hal::hours(3));
  EXPECT_EQ(connectTimes().size(), 1u);
  EXPECT_EQ(listener.count("reboot"), 0u);
}

// ---- S8.9 CONNACK codes ----------------------------------------------------------------------------------

TEST_F(MqttSessionTest, S8_9_Connack04Reregisters) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  (void)received();
  runUntil(hal::seconds(2));
  sendConnack(proto::ConnackCode::BadUserNameOrPassword);
  runUntil(hal::seconds(3));
  ASSERT_EQ(listener.count("credentials"), 1u);
  EXPECT_EQ(listener.last("credentials"), hal::seconds(2));
  EXPECT_TRUE(conn->closedByModule());
  EXPECT_EQ(session.state(), State::Idle);
  runUntil(hal::minutes(30));
  EXPECT_EQ(connectTimes().size(), 1u);  // no retry with the rejected credentials
  // The agent registered again: a new DID and passcode, logged in at once.
  ASSERT_TRUE(session.start(kServer, "zyxwvutsrqponmlkjihgfe", "KLMNOPQRST", kProductKey, clock().now()));
  ASSERT_NE(accept(), nullptr);
  const Sent sent = receiveOne();
  const auto connect = proto::parseMqttConnect(sent.packet());
  ASSERT_TRUE(connect.ok());
  EXPECT_EQ(connect.value.clientId, "zyxwvutsrqponmlkjihgfe");
  EXPECT_EQ(connect.value.password, "KLMNOPQRST");
}

TEST_F(MqttSessionTest, S8_9_Connack01_02_03_05FollowSchedule) {
  ASSERT_TRUE(start());
  Millis expectedRetry = hal::seconds(10);
  for (auto code : {proto::ConnackCode::UnacceptableProtocol, proto::ConnackCode::IdentifierRejected,
                    proto::ConnackCode::ServerUnavailable, proto::ConnackCode::NotAuthorized}) {
    ASSERT_NE(accept(), nullptr);
    (void)received();
    sendConnack(code);
    const Millis refusedAt = clock().now();
    runFor(0);
    EXPECT_TRUE(conn->closedByModule());
    EXPECT_EQ(session.state(), State::Waiting);
    runUntil(refusedAt + expectedRetry - 1);
    EXPECT_EQ(broker.pending(), 0u);
    runUntil(refusedAt + expectedRetry);
    EXPECT_EQ(broker.pending(), 1u) << static_cast<int>(code);
    expectedRetry += hal::seconds(10);
  }
  EXPECT_EQ(listener.count("credentials"), 0u);
  EXPECT_EQ(listener.count("reprovision"), 0u);
}

TEST_F(MqttSessionTest, S8_9_NoConnackWithinTimeoutIsAFailedAttempt) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  runUntil(MqttSession::kConnackTimeout - 1);
  EXPECT_EQ(session.state(), State::AwaitingConnack);
  runUntil(MqttSession::kConnackTimeout);
  EXPECT_TRUE(conn->closedByModule());
  runUntil(MqttSession::kConnackTimeout + hal::seconds(10));
  EXPECT_EQ(connectTimes(), (std::vector<Millis>{0, MqttSession::kConnackTimeout + hal::seconds(10)}));
}

TEST_F(MqttSessionTest, S8_9_ReservedConnackCodeIsARefusal) {
  ASSERT_TRUE(start());
  ASSERT_NE(accept(), nullptr);
  send(bytes({0x20, 0x02, 0x00, 0x06}));
  runFor(0);
  EXPECT_TRUE(conn->closedByModule());
  EXPECT_EQ(session.state(), State::Waiting);
  EXPECT_EQ(listener.count("credentials"), 0u);
}

// ---- S8.7 / S9.1 traffic ---------------------------------------------------------------------------------

TEST_F(MqttSessionTest, S8_7_AppCommandFromCloudReachesListener) {
  startAndLogin();
  const std::string did(kDid);
  // Protocol §3.7's observed payloads.
  sendPublish("app2dev/" + did + "/phoneClient01",
              bytes({0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x93, 0x00, 0x00, 0x00, 0x07, 0x02}));
  sendPublish("app2dev/" + did + "/phoneClient02",
              bytes({0x00, 0x00, 0x00, 0x03, 0x06, 0x00, 0x00, 0x90, 0x01, 0x01, 0x00}));
  runFor(0);
  ASSERT_EQ(listener.commands.size(), 2u);
  EXPECT_EQ(listener.commands[0].clientId, "phoneClient01");
  EXPECT_EQ(listener.commands[0].cmd, proto::LanCmd::P0ToDeviceSn);
  EXPECT_EQ(listener.commands[0].sn, 7u);
  EXPECT_EQ(listener.commands[0].p0, bytes({0x02}));
  EXPECT_EQ(listener.commands[1].clientId, "phoneClient02");
  EXPECT_EQ(listener.commands[1].cmd, proto::LanCmd::P0ToDevice);
  EXPECT_EQ(listener.commands[1].sn, 0u);
  EXPECT_EQ(listener.commands[1].p0, bytes({0x01, 0x01, 0x00}));
}

TEST_F(MqttSessionTest, S8_7_ReportPublishedToDev2app) {
  startAndLogin();
  ASSERT_TRUE(session.publishToAll(proto::LanCmd::P0FromDevice, bytes({0x04, 0x01, 0x7F, 0xFF, 0x10})));
  const Sent sent = receiveOne();
  const auto publish = proto::parseMqttPublish(sent.packet());
  ASSERT_TRUE(publish.ok());
  EXPECT_EQ(publish.value.topic, "dev2app/" + std::string(kDid));
  EXPECT_EQ(publish.value.qos, 0);
  EXPECT_FALSE(publish.value.retain);
  const Bytes payload(publish.value.payload.begin(), publish.value.payload.end());
  EXPECT_EQ(payload, bytes({0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x91, 0x04, 0x01, 0x7F, 0xFF, 0x10}));
  EXPECT_EQ(sent.raw, publishPacket("dev2app/" + std::string(kDid), payload));
}

TEST_F(MqttSessionTest, S7_4_5_AnswerPublishedToTheAskingClientOnly) {
  startAndLogin();
  ASSERT_TRUE(session.publishToClient("phoneClient01", proto::LanCmd::P0FromDeviceSn, 7,
                                      bytes({0x03, 0x01, 0x7F, 0xFF, 0x10})));
  const Sent sent = receiveOne();
  const auto publish = proto::parseMqttPublish(sent.packet());
  ASSERT_TRUE(publish.ok());
  EXPECT_EQ(publish.value.topic, "dev2app/" + std::string(kDid) + "/phoneClient01");
  const Bytes payload(publish.value.payload.begin(), publish.value.payload.end());
  EXPECT_EQ(payload, bytes({0x00, 0x00, 0x00, 0x03, 0x0C, 0x00, 0x00, 0x94, 0x00, 0x00, 0x00, 0x07, 0x03,
                            0x01, 0x7F, 0xFF, 0x10}));
  EXPECT_FALSE(session.publishToClient("bad/client", proto::LanCmd::P0FromDeviceSn, 1, {}));
  EXPECT_TRUE(received().empty());
}

TEST_F(MqttSessionTest, S7_4_5_TheLargestAnswerOnTheLongestTopicGoesOutWhole) {
  startAndLogin();
  // The largest LAN payload (an 0094 with its sn) to a 23-character client id: the module's largest packet.
  const std::string clientId(proto::kMqttAppClientIdMaxLength, 'c');
  const Bytes p0(proto::kLanMaxPayload - proto::kLanSnSize, 0xA5);
  ASSERT_TRUE(session.publishToClient(clientId, proto::LanCmd::P0FromDeviceSn, 9, p0));
  const Sent sent = receiveOne();
  const auto publish = proto::parseMqttPublish(sent.packet());
  ASSERT_TRUE(publish.ok());
  EXPECT_EQ(publish.value.topic, "dev2app/" + std::string(kDid) + "/" + clientId);
  EXPECT_EQ(publish.value.payload.size(), proto::kLanMaxPacketSize);
  EXPECT_LE(sent.raw.size(), MqttSession::kMaxSentPacket);
}

TEST_F(MqttSessionTest, S7_4_4_QueryAnswerToTheAskingClientCarriesNoSn) {
  startAndLogin();
  ASSERT_TRUE(session.publishToClient("phoneClient02", proto::LanCmd::P0FromDevice, 0, bytes({0x03, 0x01})));
  const Sent sent = receiveOne();
  const auto publish = proto::parseMqttPublish(sent.packet());
  ASSERT_TRUE(publish.ok());
  EXPECT_EQ(publish.value.topic, "dev2app/" + std::string(kDid) + "/phoneClient02");
  const Bytes payload(publish.value.payload.begin(), publish.value.payload.end());
  EXPECT_EQ(payload, bytes({0x00, 0x00, 0x00, 0x03, 0x05, 0x00, 0x00, 0x91, 0x03, 0x01}));
}

TEST_F(MqttSessionTest, S9_1_OtaPushReachesListener) {
  startAndLogin();
  const std::string res = "ser2cli_res/" + std::string(kDid);
  sendPublish(res, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x01}));
  sendPublish(res, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x02}));
  runFor(0);
  EXPECT_EQ(listener.otaPushes,
            (std::vector<proto::OtaFirmwareType>{proto::OtaFirmwareType::Wifi, proto::OtaFirmwareType::Mcu}));
}

TEST_F(MqttSessionTest, S8_7_AppCountReachesListener) {
  startAndLogin();
  sendPublish("ser2cli_res/" + std::string(kDid), bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00, 0x02}));
  runFor(0);
  EXPECT_EQ(listener.appCounts, std::vector<std::uint16_t>{2});
}

TEST_F(MqttSessionTest, MalformedAndForeignPublishesAreIgnored) {
  startAndLogin();
  const std::string did(kDid);
  const std::string app = "app2dev/" + did + "/phone";
  const std::string res = "ser2cli_res/" + did;
  // Bad LAN framing, a LAN command the cloud may not send, 0093 without its sn, another DID, a foreign topic.
  sendPublish(app, bytes({0x00, 0x00, 0x00, 0x04, 0x03, 0x00, 0x00, 0x90}));
  sendPublish(app, bytes({0x00, 0x00, 0x00, 0x03, 0x06, 0x00, 0x00, 0x90, 0x01}));  // LEN beyond the end
  sendPublish(app, bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x06}));
  sendPublish(app, bytes({0x00, 0x00, 0x00, 0x03, 0x05, 0x00, 0x00, 0x93, 0x00, 0x07}));
  sendPublish("app2dev/zzzzzzzzzzzzzzzzzzzzzz/phone",
              bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x90}));
  sendPublish("app2dev/" + did, bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x90}));
  sendPublish("somewhere/else", bytes({1, 2, 3}));
  // Bad management packets: wrong version, too short, unknown command, bad firmware type, app count cut
  // short.
  sendPublish(res, bytes({0x00, 0x00, 0x00, 0x04, 0x02, 0x11, 0x01}));
  sendPublish(res, bytes({0x00, 0x00, 0x00}));
  sendPublish(res, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x99}));
  sendPublish(res, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x07}));
  sendPublish(res, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00}));
  // A QoS 1 PUBLISH (never subscribed that way), a PUBLISH whose topic length overruns its body, and
  // packets a server never sends a client.
  send(bytes({0x32, 0x0B, 0x00, 0x07, 's', 'o', 'm', 'e', '/', 't', 'p', 0x00, 0x01}));
  send(bytes({0x30, 0x03, 0x00, 0x09, 'x'}));
  send(bytes({0x10, 0x00}));
  send(bytes({0x90, 0x03, 0x00, 0x01, 0x00}));
  runFor(0);
  EXPECT_TRUE(listener.commands.empty());
  EXPECT_TRUE(listener.otaPushes.empty());
  EXPECT_TRUE(listener.appCounts.empty());
  EXPECT_TRUE(session.connected());
  EXPECT_FALSE(conn->closedByModule());
  EXPECT_TRUE(received().empty());  // no PUBACK or anything else in answer
  // Still working.
  sendPublish(app, bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x90}));
  runFor(0);
  EXPECT_EQ(listener.commands.size(), 1u);
}

TEST_F(MqttSessionTest, MalformedStreamDropsTheConnectionAndReconnects) {
  startAndLogin();
  const Millis at = clock().now();
  send(bytes({0xF0, 0x00}));  // reserved packet type: no way to find the next boundary
  runFor(0);
  EXPECT_TRUE(conn->closedByModule());
  EXPECT_EQ(listener.last("disconnected"), at);
  EXPECT_EQ(connectTimes().size(), 2u);  // straight back
}

TEST_F(MqttSessionTest, OversizedPacketDropsTheConnection) {
  startAndLogin();
  send(bytes({0x30, 0xFF, 0xFF, 0x03}));  // remaining length ~64 KB > kMqttMaxPacket
  runFor(0);
  EXPECT_TRUE(conn->closedByModule());
  EXPECT_EQ(listener.count("disconnected"), 1u);
}

TEST_F(MqttSessionTest, StreamSplitAtEveryByte) {
  startAndLogin();
  const std::string did(kDid);
  const Bytes stream = concat({
      publishPacket("app2dev/" + did + "/phoneClient01",
                    bytes({0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x93, 0x00, 0x00, 0x00, 0x07, 0x02})),
      publishPacket("ser2cli_res/" + did, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00, 0x02})),
      bytes({0xD0, 0x00}),
      publishPacket("ser2cli_res/" + did, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x01})),
  });
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    send(Bytes(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(split)));
    runFor(1);
    send(Bytes(stream.begin() + static_cast<std::ptrdiff_t>(split), stream.end()));
    runFor(1);
  }
  const std::size_t rounds = stream.size() + 1;
  ASSERT_EQ(listener.commands.size(), rounds);
  EXPECT_EQ(listener.appCounts.size(), rounds);
  EXPECT_EQ(listener.otaPushes.size(), rounds);
  for (const AppCommand& c : listener.commands) {
    EXPECT_EQ(c.clientId, "phoneClient01");
    EXPECT_EQ(c.sn, 7u);
    EXPECT_EQ(c.p0, bytes({0x02}));
  }
  EXPECT_TRUE(session.connected());
}

TEST_F(MqttSessionTest, OneByteSegmentsAndCoalescedPackets) {
  startAndLogin();
  board.net().setMaxSegmentSize(1);  // every tcpReceive returns a single byte
  const std::string app = "app2dev/" + std::string(kDid) + "/c";
  Bytes stream;
  for (std::uint8_t i = 0; i < 10; ++i) {
    const Bytes p = publishPacket(app, bytes({0x00, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00, 0x90, i}));
    stream.insert(stream.end(), p.begin(), p.end());
  }
  send(stream);
  runFor(1);
  ASSERT_EQ(listener.commands.size(), 10u);
  for (std::uint8_t i = 0; i < 10; ++i) EXPECT_EQ(listener.commands[i].p0, bytes({i}));
}

TEST_F(MqttSessionTest, FullSendQueueDropsWholePackets) {
  startAndLogin();
  board.net().setTcpSendLimit(100);  // the stack takes 100 unread bytes, then blocks
  const Bytes p0(1000, 0x5A);
  int accepted = 0;
  for (int i = 0; i < 20; ++i) accepted += session.publishToAll(proto::LanCmd::P0FromDevice, p0) ? 1 : 0;
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 20);  // bounded: the rest were dropped
  // The broker reads slowly; everything that was accepted arrives whole and in order.
  std::vector<Sent> all;
  for (int i = 0; i < 200 && all.size() < static_cast<std::size_t>(accepted); ++i) {
    for (Sent& s : received()) all.push_back(std::move(s));
    runFor(MqttSession::kIoPollInterval);
  }
  ASSERT_EQ(all.size(), static_cast<std::size_t>(accepted));
  for (const Sent& s : all) {
    const auto publish = proto::parseMqttPublish(s.packet());
    ASSERT_TRUE(publish.ok());
    EXPECT_EQ(publish.value.payload.size(), proto::lanPacketSize(p0.size()));
  }
  EXPECT_TRUE(session.publishToAll(proto::LanCmd::P0FromDevice, p0));
  EXPECT_TRUE(session.connected());
}

// ---- S11.4 server change ---------------------------------------------------------------------------------

TEST_F(MqttSessionTest, S11_4_ChangeServerMovesTheSession) {
  startAndLogin();
  PeerTcpConnection* old = conn;
  PeerTcpListener& other = board.net().listenPeer(kOtherServer);
  session.changeServer(kServer, clock().now());  // same address: nothing happens
  EXPECT_TRUE(session.connected());
  serveUntil(hal::hours(1));
  ASSERT_TRUE(session.connected());
  session.changeServer(kOtherServer, clock().now());
  EXPECT_TRUE(old->closedByModule());
  EXPECT_EQ(listener.last("disconnected"), hal::hours(1));
  EXPECT_EQ(connectTimes(kOtherServer), std::vector<Millis>{hal::hours(1)});
  ASSERT_NE(accept(other), nullptr);
  EXPECT_EQ(receiveOne().type, proto::MqttPacketType::Connect);
  sendConnack(proto::ConnackCode::Accepted);
  for (int i = 0; i < 3; ++i) {
    runFor(0);
    answerSubscribe();
  }
  runFor(0);
  EXPECT_TRUE(session.connected());
  EXPECT_EQ(session.server(), kOtherServer);
}

TEST_F(MqttSessionTest, ListenerMayStopTheSessionFromACallback) {
  struct Stopper : Listener {
    MqttSession* session = nullptr;
    void onCloudAppCommand(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                           Millis now) override {
      Listener::onCloudAppCommand(clientId, cmd, sn, p0, now);
      session->stop();
    }
  };
  Stopper stopper;
  MqttSession own{board.net(), logs, stopper};
  stopper.session = &own;
  ASSERT_TRUE(own.start(kServer, kDid, kPasscode, kProductKey, 0));
  ASSERT_NE(accept(), nullptr);
  (void)received();
  sendConnack(proto::ConnackCode::Accepted);
  for (int i = 0; i < 3; ++i) {
    own.poll(clock().now());
    answerSubscribe();
  }
  own.poll(clock().now());
  ASSERT_TRUE(own.connected());
  const std::string app = "app2dev/" + std::string(kDid) + "/c";
  send(concat({publishPacket(app, bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x90})),
               publishPacket(app, bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x90}))}));
  own.poll(clock().now());
  EXPECT_EQ(stopper.commands.size(), 1u);  // the second packet died with the session
  EXPECT_EQ(own.state(), State::Idle);
}
