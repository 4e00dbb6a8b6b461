#include "gagent/core/lan_server.h"

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

hal::AccessPoint ap(std::string_view ssid, std::uint8_t signal) {
  hal::AccessPoint a;
  std::copy(ssid.begin(), ssid.end(), a.ssid.begin());
  a.ssidLength = static_cast<std::uint8_t>(ssid.size());
  a.signal = signal;
  return a;
}

Bytes loginPayload(std::string_view passcode) {
  return cat({{0x00, static_cast<std::uint8_t>(passcode.size())}, text(passcode)});
}

// Protocol §2.3 "Observed v4.2.6 LAN session".
const Bytes kPasscodeReq = {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x06};
const Bytes kPasscodeReply =
    cat({{0x00, 0x00, 0x00, 0x03, 0x0F, 0x00, 0x00, 0x07, 0x00, 0x0A}, text("DATPBPIFOG")});
const Bytes kLoginFail = {0x00, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00, 0x09, 0x01};
const Bytes kPing = {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x15};  // Appendix B
const Bytes kPong = {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x16};

struct LanServerTest : LanServerFixture {
  LanClientId loginAndId(PeerTcpConnection* c) {
    EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
    const std::size_t before = listener.commands.size();
    c->send(packet(LanCmd::P0ToDevice, {0x02}));
    poll();
    EXPECT_EQ(listener.commands.size(), before + 1);
    const LanClientId id = listener.commands.back().client;
    listener.commands.pop_back();
    return id;
  }
};

}  // namespace

TEST_F(LanServerTest, S7_3_1_ListensOnTcp12416) {
  EXPECT_EQ(server.state(), LanServer::State::Listening);
  EXPECT_TRUE(net.moduleListening(12416));
  PeerTcpConnection* c = connect();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(server.clientCount(), 1u);
  EXPECT_EQ(server.loggedInCount(), 0u);
}

TEST_F(LanServerTest, S7_2_3_PasscodeGivenInsideTheBindWindow) {
  window.open(0, 60);
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kPasscodeReq), kPasscodeReply);
  EXPECT_FALSE(c->isClosed());
}

TEST_F(LanServerTest, S7_2_3_PasscodeEmptyOutsideBindWindow) {
  PeerTcpConnection* c = connect();
  const Bytes empty = {0x00, 0x00, 0x00, 0x03, 0x05, 0x00, 0x00, 0x07, 0x00, 0x00};
  EXPECT_EQ(exchange(c, kPasscodeReq), empty);
  EXPECT_TRUE(c->closedByModule());  // protocol §2.3: and the socket is closed

  // After the window ran out, the same.
  window.open(clock.now(), 10);
  run(hal::seconds(10));
  PeerTcpConnection* late = connect();
  EXPECT_EQ(exchange(late, kPasscodeReq), empty);
  EXPECT_TRUE(late->closedByModule());
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(LanServerTest, S7_3_2_ObservedSessionLoginControlAndReports) {
  window.open(0, 0);
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kPasscodeReq), kPasscodeReply);
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  EXPECT_EQ(server.loggedInCount(), 1u);
  EXPECT_EQ(listener.counts, std::vector<std::size_t>{1});

  // Read status: 0090 02 -> the agent; its answer goes back as 0091.
  EXPECT_TRUE(exchange(c, {0x00, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00, 0x90, 0x02}).empty());
  ASSERT_EQ(listener.commands.size(), 1u);
  const LanClientId id = listener.commands[0].client;
  EXPECT_EQ(listener.commands[0].cmd, 0x0090);
  EXPECT_EQ(listener.commands[0].sn, 0u);
  EXPECT_EQ(listener.commands[0].p0, (Bytes{0x02}));
  EXPECT_EQ(server.clientState(id), LanServer::ClientState::LoggedIn);
  const Bytes status = {0x03, 0x01, 0x7F, 0xFF, 0x10};
  EXPECT_TRUE(server.sendToClient(id, LanCmd::P0FromDevice, 0, status));
  EXPECT_EQ(c->receiveAll(),
            (Bytes{0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x91, 0x03, 0x01, 0x7F, 0xFF, 0x10}));

  // Control with sn: 0093 12345678 01 01 FF; the MCU's bare ACK gives 0094 with the sn and no P0.
  exchange(c, {0x00, 0x00, 0x00, 0x03, 0x0A, 0x00, 0x00, 0x93, 0x12, 0x34, 0x56, 0x78, 0x01, 0x01, 0xFF});
  ASSERT_EQ(listener.commands.size(), 2u);
  EXPECT_EQ(listener.commands[1].cmd, 0x0093);
  EXPECT_EQ(listener.commands[1].sn, 0x12345678u);
  EXPECT_EQ(listener.commands[1].p0, (Bytes{0x01, 0x01, 0xFF}));
  EXPECT_TRUE(server.sendToClient(id, LanCmd::P0FromDeviceSn, 0x12345678, {}));
  EXPECT_EQ(c->receiveAll(), (Bytes{0x00, 0x00, 0x00, 0x03, 0x07, 0x00, 0x00, 0x94, 0x12, 0x34, 0x56, 0x78}));
  const Bytes report = {0x04, 0x01, 0x7F, 0xFF, 0x10};
  EXPECT_EQ(server.sendToAllLoggedIn(LanCmd::P0FromDevice, report), 1u);
  EXPECT_EQ(c->receiveAll(),
            (Bytes{0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x91, 0x04, 0x01, 0x7F, 0xFF, 0x10}));
}

TEST_F(LanServerTest, S7_3_2_WrongPasscodeRejected) {
  const std::vector<Bytes> attempts = {
      packet(LanCmd::Login, loginPayload("WRONGWRONG")),
      packet(LanCmd::Login, loginPayload("DATPBPIFOGX")),  // v4.2.6 let this in (prefix compare)
      packet(LanCmd::Login, loginPayload("DATPB")),
      packet(LanCmd::Login, loginPayload("")),
      packet(LanCmd::Login, {0x00, 0x0A, 'D', 'A'}),  // malformed: length says 10
  };
  for (const Bytes& attempt : attempts) {
    PeerTcpConnection* c = connect();
    EXPECT_EQ(exchange(c, attempt), kLoginFail);
    EXPECT_TRUE(c->closedByModule());
  }
  EXPECT_EQ(server.clientCount(), 0u);
  EXPECT_TRUE(listener.counts.empty());
}

TEST_F(LanServerTest, S7_3_2_NoLoginWithoutAPasscode) {
  config.passcode.clear();
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, packet(LanCmd::Login, loginPayload(""))), kLoginFail);
  EXPECT_TRUE(c->closedByModule());
}

TEST_F(LanServerTest, S7_3_2_HeartbeatBeforeLoginClosesSocket) {
  PeerTcpConnection* c = connect();
  EXPECT_TRUE(exchange(c, kPing).empty());
  EXPECT_TRUE(c->closedByModule());
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(LanServerTest, S7_3_2_ControlAndUnknownBeforeLoginCloseSocket) {
  for (const Bytes& request :
       {packet(LanCmd::P0ToDevice, {0x02}), packet(LanCmd::P0ToDeviceSn, {0, 0, 0, 1, 2}),
        packet(LanCmd::Log, {0x03}), packet(0x7777), packet(LanCmd::WifiVersionRequest)}) {
    PeerTcpConnection* c = connect();
    EXPECT_TRUE(exchange(c, request).empty());
    EXPECT_TRUE(c->closedByModule());
  }
  EXPECT_TRUE(listener.commands.empty());
}

TEST_F(LanServerTest, S7_3_2_DeviceInfoServedBeforeLogin) {
  PeerTcpConnection* c = connect();
  c->send(packet(LanCmd::DeviceInfoRequest));
  poll();
  const auto got = packets(c);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].cmd, 0x0014);
  const auto info = proto::parseLanDeviceInfo(got[0].payload);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value.wifiHardVer, "ESP_8266");
  EXPECT_EQ(info.value.wifiSoftVer, "04020026");
  EXPECT_EQ(info.value.mcuHardVer, "HW000001");
  EXPECT_EQ(info.value.mcuSoftVer, "SW000001");
  EXPECT_EQ(info.value.p0Ver, "00000002");
  EXPECT_EQ(info.value.firmwareId, std::string_view("\0\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(info.value.firmwareVersion, "");
  EXPECT_EQ(info.value.productKey, kProductKey);
  EXPECT_FALSE(c->isClosed());
}

TEST_F(LanServerTest, S6_2_4_ApListFromTheCacheThenClosed100msLater) {
  listener.cache = {ap("HomeNet", 80), ap("Office-5", 100), ap("Weak", 3)};
  clock.advanceTo(1000);
  PeerTcpConnection* c = connect();
  c->send(packet(LanCmd::ApListRequest));
  poll();
  const auto got = packets(c);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, cat({{0x00, 0x07},
                                 text("HomeNet"),
                                 {80},
                                 {0x00, 0x08},
                                 text("Office-5"),
                                 {100},
                                 {0x00, 0x04},
                                 text("Weak"),
                                 {3}}));
  run(1000 + LanServer::kApListCloseDelay - 1);
  EXPECT_FALSE(c->isClosed());
  run(1000 + LanServer::kApListCloseDelay);
  EXPECT_TRUE(c->closedByModule());
}

TEST_F(LanServerTest, S6_2_4_EmptyCacheGivesAnEmptyList) {
  PeerTcpConnection* c = connect();
  c->send(packet(LanCmd::ApListRequest));
  poll();
  EXPECT_EQ(c->receiveAll(), packet(LanCmd::ApList));
}

TEST_F(LanServerTest, S5_6_ExitProductionTestAnsweredAndReported) {
  PeerTcpConnection* c = connect();
  clock.advanceTo(500);
  EXPECT_EQ(exchange(c, packet(LanCmd::ExitProductionTest)), packet(LanCmd::ExitProductionTestReply));
  EXPECT_EQ(listener.exits, std::vector<Millis>{500});
}

TEST_F(LanServerTest, S7_5_1_PingAnsweredAfterLogin) {
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  EXPECT_EQ(exchange(c, kPing), kPong);
  EXPECT_FALSE(c->isClosed());
}

TEST_F(LanServerTest, S7_5_3_DropsClientAfter12sIdle) {
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  run(hal::seconds(10));
  EXPECT_EQ(exchange(c, kPing), kPong);  // data at 10 s restarts the 12 s
  run(hal::seconds(22) - 1);
  EXPECT_FALSE(c->isClosed());
  EXPECT_EQ(server.nextDeadline(), hal::seconds(22));
  run(hal::seconds(22));
  EXPECT_TRUE(c->closedByModule());
  EXPECT_EQ(server.loggedInCount(), 0u);
  EXPECT_EQ(listener.counts, (std::vector<std::size_t>{1, 0}));
}

TEST_F(LanServerTest, S7_5_3_SendingToTheClientDoesNotKeepItAlive) {
  PeerTcpConnection* c = connect();
  const LanClientId id = loginAndId(c);
  for (Millis t = 1000; t < hal::seconds(12); t += 1000) {
    run(t);
    server.sendToClient(id, LanCmd::P0FromDevice, 0, Bytes{0x04, 0x01});
  }
  run(hal::seconds(12));
  EXPECT_TRUE(c->closedByModule());
}

TEST_F(LanServerTest, S10_2_UnauthenticatedClientDroppedAtItsLoginDeadline) {
  PeerTcpConnection* c = connect();
  window.open(0, 0);
  EXPECT_EQ(exchange(c, kPasscodeReq), kPasscodeReply);
  run(LanServer::kLoginDeadline - 1);
  EXPECT_FALSE(c->isClosed());
  run(LanServer::kLoginDeadline);
  EXPECT_TRUE(c->closedByModule());
}

TEST_F(LanServerTest, S10_2_PreLoginBytesDoNotExtendTheLoginDeadline) {
  // Issue 16: a squatter that sent a served pre-login request (0013) every second, or a byte of a packet,
  // used to restart the 12 s idle timer for ever.
  PeerTcpConnection* c = connect();
  for (Millis t = 1000; t < LanServer::kLoginDeadline; t += 1000) {
    run(t);
    EXPECT_TRUE(c->send(packet(LanCmd::DeviceInfoRequest)));
  }
  run(LanServer::kLoginDeadline - 500);
  EXPECT_TRUE(c->send(Bytes{0x00}));                                   // the first byte of a packet
  EXPECT_EQ(packets(c).size(), LanServer::kLoginDeadline / 1000 - 1);  // each 0013 was answered
  run(LanServer::kLoginDeadline - 1);
  EXPECT_FALSE(c->isClosed());
  run(LanServer::kLoginDeadline);
  EXPECT_TRUE(c->closedByModule());
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(LanServerTest, S10_2_LoggingInStartsTheHeartbeatTimeout) {
  PeerTcpConnection* c = connect();
  run(LanServer::kLoginDeadline - 1000);
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  const Millis loggedInAt = clock.now();
  run(loggedInAt + LanServer::kIdleTimeout - 1);
  EXPECT_FALSE(c->isClosed());
  run(loggedInAt + LanServer::kIdleTimeout);
  EXPECT_TRUE(c->closedByModule());
}

TEST_F(LanServerTest, S10_2_EightSquattersCannotLockAnAppOut) {
  // Issue 16: 8 connections that never log in held every slot; a real app got 0 of 21 attempts in.
  std::vector<PeerTcpConnection*> squatters;
  for (std::size_t i = 0; i < LanServer::kMaxClients; ++i) {
    run(clock.now() + 100);
    squatters.push_back(connect(hal::ipv4(10, 0, 0, static_cast<std::uint8_t>(100 + i))));
  }
  EXPECT_EQ(server.clientCount(), 8u);
  PeerTcpConnection* app = connect();
  EXPECT_FALSE(app->isClosed());
  EXPECT_TRUE(squatters.front()->closedByModule());  // the oldest that had not logged in
  for (std::size_t i = 1; i < squatters.size(); ++i) EXPECT_FALSE(squatters[i]->isClosed()) << i;
  EXPECT_EQ(exchange(app, kLoginReq), kLoginOk);
  // The next squatter takes the next oldest squatter's slot, never the logged-in app's.
  PeerTcpConnection* again = connect(hal::ipv4(10, 0, 0, 100));
  EXPECT_FALSE(again->isClosed());
  EXPECT_TRUE(squatters[1]->closedByModule());
  EXPECT_FALSE(app->isClosed());
  EXPECT_EQ(server.loggedInCount(), 1u);
}

TEST_F(LanServerTest, S10_2_WrongPasscodesBackOffPerSourceAddress) {
  const hal::Ipv4 guesser = hal::ipv4(10, 0, 0, 66);
  const Bytes wrong = packet(LanCmd::Login, loginPayload("WRONGWRONG"));
  for (std::uint8_t i = 0; i < LoginThrottle::kFreeFailures; ++i) {
    EXPECT_EQ(exchange(connect(guesser), wrong), kLoginFail);
  }
  EXPECT_EQ(exchange(connect(guesser), wrong), kLoginFail);  // the 4th starts a 1 s back-off
  // While it runs even the right passcode is refused unread; another address is not affected.
  EXPECT_EQ(exchange(connect(guesser), kLoginReq), kLoginFail);
  EXPECT_EQ(exchange(connect(kAppIp), kLoginReq), kLoginOk);
  run(clock.now() + 2000);
  EXPECT_EQ(exchange(connect(guesser), kLoginReq), kLoginOk);
  // A right passcode clears the address: its next mistakes are free again.
  EXPECT_EQ(exchange(connect(guesser), wrong), kLoginFail);
  EXPECT_EQ(exchange(connect(guesser), kLoginReq), kLoginOk);
}

TEST_F(LanServerTest, S7_4_4_AnswerOnlyToRequester) {
  PeerTcpConnection* a = connect();
  PeerTcpConnection* b = connect();
  const LanClientId idA = loginAndId(a);
  const LanClientId idB = loginAndId(b);
  ASSERT_NE(idA, idB);
  b->send(packet(LanCmd::P0ToDeviceSn, {0, 0, 0, 9, 0x02}));
  poll();
  ASSERT_EQ(listener.commands.size(), 1u);
  EXPECT_EQ(listener.commands[0].client, idB);
  EXPECT_TRUE(server.sendToClient(idB, LanCmd::P0FromDeviceSn, 9, Bytes{0x03, 0x01}));
  EXPECT_EQ(b->receiveAll(), packet(LanCmd::P0FromDeviceSn, {0, 0, 0, 9, 0x03, 0x01}));
  EXPECT_EQ(a->pending(), 0u);

  // The requester left and a new client took its slot: the late answer reaches nobody.
  b->close();
  poll();
  PeerTcpConnection* c = connect();
  const LanClientId idC = loginAndId(c);
  EXPECT_NE(idC, idB);
  EXPECT_FALSE(server.sendToClient(idB, LanCmd::P0FromDeviceSn, 9, Bytes{0x03}));
  poll();
  EXPECT_EQ(c->pending(), 0u);
  EXPECT_EQ(a->pending(), 0u);
  EXPECT_FALSE(server.sendToClient(kNoLanClient, LanCmd::P0FromDevice, 0, Bytes{0x03}));
}

TEST_F(LanServerTest, S7_4_3_ReportToAllLoggedIn) {
  PeerTcpConnection* a = connect();
  PeerTcpConnection* b = connect();
  PeerTcpConnection* stranger = connect();  // connected, never logged in
  loginAndId(a);
  loginAndId(b);
  const Bytes report = {0x04, 0x01, 0x7F, 0xFF, 0x10};
  EXPECT_EQ(server.sendToAllLoggedIn(LanCmd::P0FromDevice, report), 2u);
  EXPECT_EQ(a->receiveAll(), packet(LanCmd::P0FromDevice, report));
  EXPECT_EQ(b->receiveAll(), packet(LanCmd::P0FromDevice, report));
  EXPECT_EQ(stranger->pending(), 0u);
}

TEST_F(LanServerTest, SplitSegmentsAreReassembled) {
  PeerTcpConnection* c = connect();
  // One packet in three sends with polls between.
  EXPECT_TRUE(exchange(c, Bytes(kLoginReq.begin(), kLoginReq.begin() + 3)).empty());
  EXPECT_TRUE(exchange(c, Bytes(kLoginReq.begin() + 3, kLoginReq.begin() + 9)).empty());
  EXPECT_EQ(exchange(c, Bytes(kLoginReq.begin() + 9, kLoginReq.end())), kLoginOk);
  // And the stack handing over one byte per receive call.
  net.setMaxSegmentSize(1);
  c->send(kPing);
  for (int i = 0; i < 4; ++i) poll();
  EXPECT_EQ(c->receiveAll(), kPong);
}

TEST_F(LanServerTest, CoalescedPacketsAreAllHandledInOrder) {
  PeerTcpConnection* c = connect();
  c->send(cat({kLoginReq, kPing, packet(LanCmd::P0ToDevice, {0x02}), kPing,
               packet(LanCmd::P0ToDeviceSn, {0, 0, 0, 1, 0x01})}));
  poll();
  EXPECT_EQ(commands(packets(c)), (std::vector<std::uint16_t>{0x0009, 0x0016, 0x0016}));
  ASSERT_EQ(listener.commands.size(), 2u);
  EXPECT_EQ(listener.commands[0].cmd, 0x0090);
  EXPECT_EQ(listener.commands[1].sn, 1u);
}

TEST_F(LanServerTest, CoalescedPacketsAfterAClosingCommandAreDropped) {
  PeerTcpConnection* c = connect();
  c->send(cat({kPing, kLoginReq}));  // the ping closes the socket; the login is never looked at
  poll();
  EXPECT_TRUE(c->closedByModule());
  EXPECT_EQ(c->pending(), 0u);
  EXPECT_TRUE(listener.counts.empty());
}

TEST_F(LanServerTest, EightClientsAtMostANinthIsClosedAtOnce) {
  std::vector<PeerTcpConnection*> clients;
  for (std::size_t i = 0; i < LanServer::kMaxClients; ++i) {
    clients.push_back(connect());
    ASSERT_NE(clients.back(), nullptr);
    EXPECT_EQ(exchange(clients.back(), kLoginReq), kLoginOk);
  }
  EXPECT_EQ(server.loggedInCount(), 8u);
  PeerTcpConnection* ninth = connect();
  ASSERT_NE(ninth, nullptr);
  EXPECT_TRUE(ninth->closedByModule());
  for (PeerTcpConnection* c : clients) EXPECT_FALSE(c->isClosed());
  EXPECT_EQ(server.clientCount(), 8u);

  // A freed slot takes the next client.
  clients[3]->close();
  poll();
  EXPECT_EQ(server.loggedInCount(), 7u);
  PeerTcpConnection* next = connect();
  EXPECT_EQ(exchange(next, kLoginReq), kLoginOk);
  EXPECT_EQ(server.loggedInCount(), 8u);
}

TEST_F(LanServerTest, MalformedFramingClosesTheClient) {
  const std::vector<Bytes> junk = {
      {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08},        // bad magic
      {0x00, 0x00, 0x00, 0x03, 0x02, 0x00, 0x00},              // LEN < 3
      {0x00, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x01},  // varint never ends
      {0x00, 0x00, 0x00, 0x03, 0xFF, 0x7F, 0x00, 0x00, 0x90},  // LEN 16383 > the maximum
  };
  for (const Bytes& bytes : junk) {
    PeerTcpConnection* c = connect();
    EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
    EXPECT_TRUE(exchange(c, bytes).empty());
    EXPECT_TRUE(c->closedByModule());
  }
  EXPECT_TRUE(listener.commands.empty());
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(LanServerTest, BadPayloadsAndUnknownCommandsAfterLoginAreIgnored) {
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  for (const Bytes& request :
       {packet(0x7777, {1, 2, 3}), packet(LanCmd::P0ToDeviceSn, {0x12, 0x34}),
        packet(LanCmd::P0FromDevice, {1}), packet(LanCmd::WifiVersionRequest), packet(LanCmd::Log, {0x02})}) {
    EXPECT_TRUE(exchange(c, request).empty());
  }
  EXPECT_TRUE(listener.commands.empty());
  EXPECT_EQ(exchange(c, kPing), kPong);  // still served
  EXPECT_FALSE(c->isClosed());
}

TEST_F(LanServerTest, PartialSendsAreQueuedAndCompleted) {
  net.setTcpSendLimit(10);  // the peer's window: 10 unread bytes
  PeerTcpConnection* c = connect();
  c->send(packet(LanCmd::DeviceInfoRequest));
  poll();
  Bytes stream = c->receiveAll();
  EXPECT_EQ(stream.size(), 10u);
  EXPECT_NE(server.nextDeadline(), hal::kNever);  // more to send
  for (int i = 0; i < 20; ++i) {
    run(clock.now() + LanServer::kFlushRetry);
    const Bytes more = c->receiveAll();
    stream.insert(stream.end(), more.begin(), more.end());
  }
  bool ok = false;
  const auto got = decodeStream(stream, &ok);
  EXPECT_TRUE(ok);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].cmd, 0x0014);
}

TEST_F(LanServerTest, PeerCloseFreesTheSlot) {
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  c->send(kPing);
  c->close();  // the ping is still read, then the close
  poll();
  EXPECT_EQ(server.clientCount(), 0u);
  EXPECT_EQ(listener.counts, (std::vector<std::size_t>{1, 0}));
}

TEST_F(LanServerTest, NetworkChangeListensOnTheNewInterface) {
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  net.setModuleAddress(SimNet::kSoftApAddress);  // breaks the old connections
  server.onNetworkChanged(clock.now());
  EXPECT_TRUE(c->isClosed());
  EXPECT_EQ(server.clientCount(), 0u);
  EXPECT_EQ(listener.counts, (std::vector<std::size_t>{1, 0}));
  EXPECT_EQ(server.state(), LanServer::State::Listening);
  moduleIp = SimNet::kSoftApAddress;
  PeerTcpConnection* d = connect();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(exchange(d, kLoginReq), kLoginOk);
}

TEST_F(LanServerTest, ListenFailureIsRetried) {
  server.stop(0);
  net.setMaxSockets(0);
  server.start(0);
  EXPECT_EQ(server.state(), LanServer::State::Retrying);
  EXPECT_EQ(server.nextDeadline(), LanServer::kRelistenDelay);
  net.setMaxSockets(SimNet::kDefaultMaxSockets);
  run(LanServer::kRelistenDelay);
  EXPECT_EQ(server.state(), LanServer::State::Listening);
  EXPECT_TRUE(net.moduleListening(12416));
}

TEST_F(LanServerTest, StopClosesEveryClientAndTheListener) {
  PeerTcpConnection* c = connect();
  EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
  server.stop(clock.now());
  EXPECT_TRUE(c->closedByModule());
  EXPECT_FALSE(net.moduleListening(12416));
  EXPECT_EQ(net.openSocketCount(), 0u);
  EXPECT_EQ(listener.counts, (std::vector<std::size_t>{1, 0}));
}

TEST_F(LanServerTest, AClosingClientThatDoesNotReadIsClosedAfterTheLinger) {
  net.setTcpSendLimit(3);  // the app never reads: only 3 bytes of the reply get out
  PeerTcpConnection* c = connect();
  c->send(packet(LanCmd::PasscodeRequest));  // outside the bind window: empty passcode, then close
  poll();
  EXPECT_FALSE(c->isClosed());
  run(LanServer::kCloseLinger - 1);
  EXPECT_FALSE(c->isClosed());
  run(LanServer::kCloseLinger);
  EXPECT_TRUE(c->closedByModule());
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(LanServerTest, TheAgentMayRestartTheServerFromACallback) {
  // S5.6: exiting production test switches the radio mode; the agent may re-listen right away.
  struct Restarting : RecordingLanListener {
    LanServer* server = nullptr;
    void onExitProductionTest(Millis now) override {
      RecordingLanListener::onExitProductionTest(now);
      server->onNetworkChanged(now);
    }
  } restarting;
  LanServer other{net, identity, config, window, logs, restarting};
  restarting.server = &other;
  server.stop(0);
  other.start(0);
  PeerTcpConnection* c = net.connectPeer({kAppIp, 0}, {moduleIp, LanServer::kPort});
  other.poll(0);
  c->send(cat({packet(LanCmd::ExitProductionTest), packet(LanCmd::DeviceInfoRequest)}));
  other.poll(0);
  EXPECT_EQ(c->receiveAll(), packet(LanCmd::ExitProductionTestReply));  // sent before the restart
  EXPECT_TRUE(c->closedByModule());
  EXPECT_EQ(restarting.exits.size(), 1u);
  EXPECT_EQ(other.state(), LanServer::State::Listening);
  EXPECT_EQ(other.clientCount(), 0u);
}

// ---- shared buffers (issue 15, P5): a pool that runs dry refuses cleanly, and the server recovers ----

TEST_F(LanServerTest, S10_2_ALargePacketBeforeLoginClosesTheClientWithoutABuffer) {
  PeerTcpConnection* c = connect();
  const Bytes big = packet(LanCmd::P0ToDevice, Bytes(LanServer::kSmallPacketBytes, 0x01));
  c->send(Bytes(big.begin(), big.begin() + 10));  // the header is enough to refuse it
  poll();
  EXPECT_TRUE(c->closedByModule());
  EXPECT_TRUE(listener.commands.empty());
  EXPECT_EQ(exchange(loggedInClient(), kPing), kPong);  // the others are served
}

TEST_F(LanServerTest, S7_4_1_LargeCommandsWaitForAReceiveBufferWhenThePoolIsDry) {
  std::vector<PeerTcpConnection*> apps;
  for (std::size_t i = 0; i <= LanServer::kReceivePoolSize; ++i) apps.push_back(loggedInClient());
  const Bytes big = packet(LanCmd::P0ToDevice, Bytes(proto::kLanMaxPayload, 0x5A));
  const std::size_t half = big.size() / 2;
  for (PeerTcpConnection* app : apps) app->send(Bytes(big.begin(), big.begin() + half));
  poll();  // every buffer lent; the last app is not read: its bytes wait in the stack
  PeerTcpConnection* last = apps.back();
  last->send(Bytes(big.begin() + half, big.end()));
  run(clock.now() + LanServer::kBufferRetry);
  EXPECT_TRUE(listener.commands.empty());
  EXPECT_NE(server.nextDeadline(), hal::kNever);
  apps.front()->send(Bytes(big.begin() + half, big.end()));  // completes: its buffer comes back
  run(clock.now() + LanServer::kBufferRetry);
  ASSERT_EQ(listener.commands.size(), 2u);
  EXPECT_EQ(listener.commands[1].p0, Bytes(proto::kLanMaxPayload, 0x5A));  // the waiting one, whole
  EXPECT_EQ(server.loggedInCount(), apps.size());
  EXPECT_EQ(exchange(last, kPing), kPong);  // its stream is intact
}

TEST_F(LanServerTest, S7_5_3_ABorrowedReceiveBufferComesBackAfterThePacketTimeout) {
  PeerTcpConnection* dripper = loggedInClient();
  const Bytes big = packet(LanCmd::P0ToDevice, Bytes(200, 0x01));
  const Millis t0 = clock.now();
  dripper->send(Bytes(big.begin(), big.begin() + 20));
  poll();  // a receive buffer is lent
  // A byte every 5 s keeps the client from idling out (S7.5.3), but not its buffer.
  for (const Millis at : {t0 + hal::seconds(5), t0 + hal::seconds(10)}) {
    run(at);
    dripper->send(Bytes{0x01});
    poll();
  }
  run(t0 + LanServer::kPacketTimeout - 1);
  EXPECT_FALSE(dripper->isClosed());
  run(t0 + LanServer::kPacketTimeout);
  EXPECT_TRUE(dripper->closedByModule());
  EXPECT_TRUE(listener.commands.empty());
  EXPECT_EQ(exchange(loggedInClient(), kPing), kPong);
}

TEST_F(LanServerTest, S7_4_3_SendPoolRunsDryTheModuleRefusesOrClosesCleanlyAndRecovers) {
  std::vector<PeerTcpConnection*> apps;
  for (std::size_t i = 0; i < LanServer::kSendPoolSize + 2; ++i) apps.push_back(loggedInClient());
  net.setTcpSendLimit(kPong.size());  // the apps stop reading: a window of 8 unread bytes
  PeerTcpConnection* full = apps.back();
  EXPECT_TRUE(full->send(kPing));
  poll();  // its pong fills its window exactly: nothing waits on the module
  const Bytes p0(50, 0x33);
  // The first two keep the rest of the report in the two send buffers; the third has sent 8 bytes and
  // nowhere to keep the rest: its stream is torn, it is closed; the full one sent nothing: refused.
  EXPECT_EQ(server.sendToAllLoggedIn(LanCmd::P0FromDevice, p0), LanServer::kSendPoolSize);
  poll();
  EXPECT_TRUE(apps[2]->closedByModule());
  EXPECT_FALSE(full->isClosed());
  net.setTcpSendLimit(0);
  run(clock.now() + LanServer::kFlushRetry);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto got = packets(apps[i]);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].payload, p0);
  }
  EXPECT_EQ(packets(full).size(), 1u);                                // the pong only
  EXPECT_EQ(server.sendToAllLoggedIn(LanCmd::P0FromDevice, p0), 3u);  // recovered: buffers back
  EXPECT_EQ(packets(full).size(), 1u);
}
