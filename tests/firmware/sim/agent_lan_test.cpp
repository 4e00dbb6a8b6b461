// The small loop end to end (S7): discovery, passcode and login, forwarding between apps, MCU and cloud.
#include "sim_lab.h"

#include <array>
#include <string>

#include "gagent/core/config_store.h"
#include "gagent/core/record_slots.h"

namespace gagent::sim {
namespace {

using proto::LanCmd;
using proto::McuCmd;

class AgentLan : public SimLab {
 protected:
  static std::size_t count(const std::vector<LanMessage>& messages, LanCmd cmd) {
    std::size_t n = 0;
    for (const auto& m : messages) n += m.cmd == cmd ? 1 : 0;
    return n;
  }
};

TEST_F(AgentLan, S7_1_1_AnnouncesThirtyTimesAfterEveryBoot) {
  PeerUdpSocket& listener = board.net().openPeerUdp({kPhoneOnHomeLan, proto::kLanAnnouncePort});
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(40));
  EXPECT_EQ(countBroadcasts(listener, LanCmd::StartupAnnounce), 30u);
  mcu.send(McuCmd::RestartModule);
  runFor(hal::seconds(40));
  EXPECT_EQ(countBroadcasts(listener, LanCmd::StartupAnnounce), 30u);
}

TEST_F(AgentLan, S7_1_2_DiscoveryIsAnsweredByUnicastWithTheDid) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  PeerUdpSocket& phone = board.net().openPeerUdp({kPhoneOnHomeLan, 0});
  phone.send({SimNet::kLimitedBroadcast, proto::kLanUdpConfigPort}, lanPacket(LanCmd::DiscoveryRequest));
  runFor(10);
  const auto replies = phone.receiveAll();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].to, phone.local());  // unicast to the asker
  const proto::LanDecode decoded = proto::parseLanDatagram(replies[0].bytes);
  ASSERT_TRUE(decoded.ok());
  const auto body = proto::parseLanDeviceAnnounce(decoded.packet.payload);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.value.did, agent().config().did.view());
  EXPECT_EQ(body.value.productKey, ScriptedMcu::kProductKey);
}

TEST_F(AgentLan, S7_4_1_S7_4_5_ControlFromTheAppReachesTheMcuAndAnswersComeBack) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  AppSession app = loginFromHomeLan();
  AppSession other = loginFromHomeLan();
  const Bytes control{0x01, 0x3F, 0x01, 0x11, 0x22, 0x33, 0x00, 0x07};
  Bytes payload{0x12, 0x34, 0x56, 0x78};
  payload.insert(payload.end(), control.begin(), control.end());
  app.send(LanCmd::P0ToDeviceSn, payload);
  runFor(hal::seconds(1));
  ASSERT_FALSE(mcu.controls.empty());
  EXPECT_EQ(mcu.controls.back(), control);  // S7.4.1
  const auto mine = app.receive();
  const auto theirs = other.receive();
  ASSERT_EQ(count(mine, LanCmd::P0FromDeviceSn), 1u);  // the MCU's ACK, to the requester only (S7.4.5)
  EXPECT_EQ(count(theirs, LanCmd::P0FromDeviceSn), 0u);
  for (const auto& m : mine) {
    if (m.cmd == LanCmd::P0FromDeviceSn) {
      EXPECT_EQ(m.payload, (Bytes{0x12, 0x34, 0x56, 0x78}));
    }
  }
  EXPECT_EQ(count(mine, LanCmd::P0FromDevice), 1u);  // then the report to everyone
  EXPECT_EQ(count(theirs, LanCmd::P0FromDevice), 1u);
}

TEST_F(AgentLan, S7_4_4_ReadAnswerGoesOnlyToTheRequester) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  AppSession app = loginFromHomeLan();
  AppSession other = loginFromHomeLan();
  app.send(LanCmd::P0ToDevice, Bytes{0x02});
  runFor(hal::seconds(1));
  const auto mine = app.receive();
  ASSERT_EQ(count(mine, LanCmd::P0FromDevice), 1u);
  Bytes expected{0x03};
  expected.insert(expected.end(), mcu.state.begin(), mcu.state.end());
  for (const auto& m : mine) {
    if (m.cmd == LanCmd::P0FromDevice) {
      EXPECT_EQ(m.payload, expected);
    }
  }
  EXPECT_EQ(count(other.receive(), LanCmd::P0FromDevice), 0u);
}

TEST_F(AgentLan, S7_4_3_McuReportReachesEveryLoggedInApp) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  AppSession a = loginFromHomeLan();
  AppSession b = loginFromHomeLan();
  mcu.report();
  runFor(hal::seconds(1));
  EXPECT_EQ(count(a.receive(), LanCmd::P0FromDevice), 1u);
  EXPECT_EQ(count(b.receive(), LanCmd::P0FromDevice), 1u);
}

TEST_F(AgentLan, S4_2_AppOnlineBitWhileAnAppIsLoggedIn) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  EXPECT_FALSE(statusBit(11));
  AppSession app = loginFromHomeLan();
  runFor(10);
  EXPECT_TRUE(statusBit(11));
  app.connection()->close();
  runFor(hal::seconds(1));
  EXPECT_FALSE(statusBit(11));
}

TEST_F(AgentLan, S7_5_3_SilentAppIsDroppedAfter12s) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  AppSession app = loginFromHomeLan();
  runFor(hal::seconds(11));
  app.send(LanCmd::Ping);  // S7.5.1: the app's heartbeat keeps it
  runFor(hal::seconds(1));
  EXPECT_EQ(count(app.receive(), LanCmd::Pong), 1u);
  runFor(hal::seconds(10));  // 11 s since the ping
  EXPECT_TRUE(app.connected());
  runFor(hal::seconds(2));
  EXPECT_FALSE(app.connected());
  EXPECT_TRUE(app.connection()->closedByModule());
}

TEST_F(AgentLan, S7_2_2_S7_2_3_BindWindowFromTheMcusTimeoutAndCommand) {
  mcu.bindTimeout = 60;
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(61));
  EXPECT_FALSE(statusBit(3));
  AppSession late(
      board.net().connectPeer({kPhoneOnHomeLan, 0}, {SimNet::kStationAddress, proto::kLanTcpPort}));
  late.send(LanCmd::PasscodeRequest);
  runFor(10);
  const auto replies = late.receive();
  ASSERT_EQ(count(replies, LanCmd::PasscodeReply), 1u);
  EXPECT_EQ(proto::parseLanPasscodeReply(replies[0].payload).value, "");  // S7.2.3
  mcu.send(McuCmd::BindWindow);                                           // 0x15
  runFor(10);
  EXPECT_TRUE(statusBit(3));
  AppSession app = loginFromHomeLan();
  runFor(10);
  EXPECT_TRUE(app.connected());
  EXPECT_TRUE(statusBit(11));  // logged in with the passcode it got
}

TEST_F(AgentLan, S7_3_2_NothingButThePasscodeBeforeLogin) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  AppSession app(
      board.net().connectPeer({kPhoneOnHomeLan, 0}, {SimNet::kStationAddress, proto::kLanTcpPort}));
  app.send(LanCmd::P0ToDevice, Bytes{0x02});
  runFor(hal::seconds(1));
  EXPECT_FALSE(app.connected());
  EXPECT_TRUE(mcu.controls.empty());
}

TEST_F(AgentLan, S13_LogFacilityOverTheLanIsOffUntilAskedFor) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  AppSession app = loginFromHomeLan();
  mcu.report();
  runFor(hal::seconds(1));
  EXPECT_EQ(count(app.receive(), LanCmd::LogToServer), 0u);  // S13.2
  app.send(LanCmd::Log, Bytes{static_cast<std::uint8_t>(core::LogLevel::Debug)});
  runFor(10);
  mcu.report();
  runFor(hal::seconds(1));
  EXPECT_GT(count(app.receive(), LanCmd::LogToServer), 0u);  // S13.3
}

TEST_F(AgentLan, S13_3_ACorruptConfigFoundAtBootIsToldToALanLogClient) {
  // Issue 16: a damaged config slot fell back silently. After a reboot on damaged flash, a LAN log client
  // that subscribes later still hears which slot was corrupt and what the module used.
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(30));
  core::RecordSlots slots(board.flash(), core::ConfigStore::kConfigOffset);
  std::array<std::uint8_t, core::kDeviceConfigMaxBytes> record{};
  ASSERT_GT(slots.load(record), 0u);
  const int older = 1 - slots.loadedSlot();
  ASSERT_EQ(slots.slotState(older), core::SlotState::Valid);  // both slots were written by now
  auto bytes = board.flash().contents();
  bytes[slots.slotOffset(older) + 12] ^= 0x01;
  board.flash().setContents(bytes);
  mcu.send(McuCmd::RestartModule);
  runFor(hal::seconds(30));

  AppSession app = loginFromHomeLan();
  app.send(LanCmd::Log, Bytes{static_cast<std::uint8_t>(core::LogLevel::Warning)});
  runFor(10);
  std::string heard;
  for (const LanMessage& m : app.receive()) {
    if (m.cmd == LanCmd::LogToServer) heard.append(m.payload.begin(), m.payload.end()).push_back('\n');
  }
  const char name = older == 0 ? 'A' : 'B';
  EXPECT_NE(heard.find(std::string("config slot ") + name + " (flash"), std::string::npos) << heard;
  EXPECT_NE(heard.find("is corrupt: CRC mismatch"), std::string::npos) << heard;
  EXPECT_NE(heard.find(std::string("using slot ") + (older == 0 ? 'B' : 'A')), std::string::npos) << heard;
}

}  // namespace
}  // namespace gagent::sim
