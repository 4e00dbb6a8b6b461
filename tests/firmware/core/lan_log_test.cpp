#include "gagent/core/lan_log_sink.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lan_fixture.h"

using namespace gagent;
using namespace gagent::core;
using namespace lantest;
using proto::LanCmd;
using sim::PeerTcpConnection;
using sim::SimNet;

namespace {

Bytes logLine(LogLevel level, std::string_view module, std::string_view message) {
  return cat({{static_cast<std::uint8_t>(level)}, text(module), {0x00}, text(message)});
}

// The 0012 lines of a stream whose module is `module` (the server's own debug lines are skipped).
std::vector<Bytes> linesFrom(const std::vector<Packet>& packets, std::string_view module) {
  std::vector<Bytes> out;
  const Bytes prefix = cat({text(module), {0x00}});
  for (const Packet& p : packets) {
    if (p.cmd == 0x0012 && p.payload.size() > prefix.size() &&
        std::equal(prefix.begin(), prefix.end(), p.payload.begin() + 1)) {
      out.push_back(p.payload);
    }
  }
  return out;
}

struct LanLogTest : LanServerFixture {
  LanLogSink sink{server, logs};
  Logger mcu{logs, "mcu"};

  // Sends 0010 with `payload` and returns the 0011 answers.
  std::vector<Bytes> setLevel(PeerTcpConnection* c, const Bytes& payload) {
    c->send(packet(LanCmd::Log, payload));
    poll();
    std::vector<Bytes> acks;
    for (const Packet& p : packets(c)) {
      if (p.cmd == 0x0011) acks.push_back(p.payload);
    }
    return acks;
  }
};

}  // namespace

TEST_F(LanLogTest, S13_2_LogOffByDefault) {
  PeerTcpConnection* c = loggedInClient();
  EXPECT_FALSE(sink.threshold().has_value());
  EXPECT_FALSE(logs.enabled(LogLevel::Error));  // not even attached: no cost while nobody listens
  mcu.error("checksum error");
  mcu.info("frame sent");
  poll();
  EXPECT_EQ(c->pending(), 0u);
}

TEST_F(LanLogTest, S13_3_LogLinesReachSubscriber) {
  PeerTcpConnection* c = loggedInClient();
  EXPECT_EQ(setLevel(c, {0x02}), (std::vector<Bytes>{{0x02}}));  // Info
  EXPECT_EQ(sink.threshold(), LogLevel::Info);
  mcu.info("heartbeat %d ok", 5);
  mcu.debug("not at Info");
  poll();
  const auto got = packets(c);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (Packet{0x0012, logLine(LogLevel::Info, "mcu", "heartbeat 5 ok")}));
}

TEST_F(LanLogTest, S13_4_LevelsFilterPerClient) {
  PeerTcpConnection* verbose = loggedInClient();
  PeerTcpConnection* quiet = loggedInClient();
  EXPECT_EQ(setLevel(verbose, {0x03}), (std::vector<Bytes>{{0x03}}));  // Debug
  EXPECT_EQ(setLevel(quiet, {0x00}), (std::vector<Bytes>{{0x00}}));    // Error only
  EXPECT_EQ(sink.threshold(), LogLevel::Debug);                        // the most verbose subscriber
  packets(verbose);  // drop the lines about the second subscription
  mcu.warning("retrying");
  mcu.error("link lost");
  EXPECT_EQ(linesFrom(packets(verbose), "mcu"),
            (std::vector<Bytes>{logLine(LogLevel::Warning, "mcu", "retrying"),
                                logLine(LogLevel::Error, "mcu", "link lost")}));
  EXPECT_EQ(linesFrom(packets(quiet), "mcu"),
            (std::vector<Bytes>{logLine(LogLevel::Error, "mcu", "link lost")}));
}

TEST_F(LanLogTest, S13_1_SdkSwitchesTheFacilityOff) {
  PeerTcpConnection* c = loggedInClient();
  setLevel(c, {0x04});  // Dump
  EXPECT_EQ(sink.subscriberCount(), 1u);
  EXPECT_EQ(setLevel(c, {0xFF}), (std::vector<Bytes>{{0xFF}}));
  EXPECT_EQ(sink.subscriberCount(), 0u);
  EXPECT_FALSE(sink.threshold().has_value());
  EXPECT_FALSE(logs.enabled(LogLevel::Error));
  mcu.error("after off");
  poll();
  EXPECT_EQ(c->pending(), 0u);
}

TEST_F(LanLogTest, S13_1_LevelCanBeChangedWhileSubscribed) {
  PeerTcpConnection* c = loggedInClient();
  setLevel(c, {0x03});
  setLevel(c, {0x01});
  EXPECT_EQ(sink.subscriberCount(), 1u);
  EXPECT_EQ(sink.threshold(), LogLevel::Warning);
  mcu.info("too detailed now");
  mcu.warning("still shown");
  EXPECT_EQ(linesFrom(packets(c), "mcu"),
            (std::vector<Bytes>{logLine(LogLevel::Warning, "mcu", "still shown")}));
}

TEST_F(LanLogTest, S13_5_WorksInSoftApMode) {
  moduleIp = SimNet::kSoftApAddress;
  net.setModuleAddress(moduleIp);
  server.onNetworkChanged(clock.now());
  PeerTcpConnection* c = loggedInClient();
  EXPECT_EQ(setLevel(c, {0x00}), (std::vector<Bytes>{{0x00}}));
  mcu.error("in SoftAP");
  EXPECT_EQ(linesFrom(packets(c), "mcu"), (std::vector<Bytes>{logLine(LogLevel::Error, "mcu", "in SoftAP")}));
}

TEST_F(LanLogTest, BadLevelRequestsAreIgnored) {
  PeerTcpConnection* c = loggedInClient();
  EXPECT_TRUE(setLevel(c, {0x05}).empty());
  EXPECT_TRUE(setLevel(c, {}).empty());
  EXPECT_TRUE(setLevel(c, {0x01, 0x02}).empty());
  EXPECT_FALSE(c->isClosed());
  EXPECT_EQ(sink.subscriberCount(), 0u);
}

TEST_F(LanLogTest, LogRequestBeforeLoginClosesTheSocket) {
  PeerTcpConnection* c = net.connectPeer({kAppIp, 0}, {moduleIp, LanServer::kPort});
  poll();
  c->send(packet(LanCmd::Log, {0x04}));
  poll();
  EXPECT_TRUE(c->closedByModule());
  EXPECT_EQ(c->pending(), 0u);
  EXPECT_EQ(sink.subscriberCount(), 0u);
}

TEST_F(LanLogTest, ASubscriberThatLeavesIsForgotten) {
  PeerTcpConnection* a = loggedInClient();
  PeerTcpConnection* b = loggedInClient();
  setLevel(a, {0x04});
  setLevel(b, {0x00});
  a->close();
  poll();
  EXPECT_EQ(sink.subscriberCount(), 1u);
  EXPECT_EQ(sink.threshold(), LogLevel::Error);
  b->close();
  poll();
  EXPECT_EQ(sink.subscriberCount(), 0u);
  EXPECT_FALSE(logs.enabled(LogLevel::Error));
}

TEST_F(LanLogTest, TheServersOwnTrafficLogDoesNotLoop) {
  // At Debug the server logs every packet it receives; sending those lines must not generate more.
  PeerTcpConnection* c = loggedInClient();
  setLevel(c, {0x03});
  c->send(packet(LanCmd::Ping));
  poll();
  const auto got = packets(c);
  EXPECT_EQ(std::count_if(got.begin(), got.end(), [](const Packet& p) { return p.cmd == 0x0016; }), 1);
  EXPECT_FALSE(linesFrom(got, "lan-tcp").empty());
  for (int i = 0; i < 5; ++i) poll();
  EXPECT_EQ(c->pending(), 0u);  // quiet once the traffic stopped
}

TEST_F(LanLogTest, ASlowSubscriberLosesLinesNotTheModule) {
  PeerTcpConnection* c = loggedInClient();
  setLevel(c, {0x02});
  net.setTcpSendLimit(64);  // the app stops reading
  for (int i = 0; i < 500; ++i) mcu.info("line %d", i);
  poll();
  net.setTcpSendLimit(0);
  for (int i = 0; i < 5; ++i) poll();
  const auto lines = linesFrom(packets(c), "mcu");
  EXPECT_GT(lines.size(), 10u);
  EXPECT_LT(lines.size(), 500u);  // the queue's worth, the rest dropped; every line delivered whole
  EXPECT_EQ(lines.front(), logLine(LogLevel::Info, "mcu", "line 0"));
}

TEST_F(LanLogTest, LongModuleNamesAreCut) {
  PeerTcpConnection* c = loggedInClient();
  setLevel(c, {0x00});
  const std::string longName(40, 'm');
  Logger verbose{logs, longName};
  verbose.error("x");
  const auto got = packets(c);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, logLine(LogLevel::Error, std::string(LanLogSink::kMaxModuleName, 'm'), "x"));
}
