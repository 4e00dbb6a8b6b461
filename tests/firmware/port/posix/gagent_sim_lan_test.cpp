// gagent-sim on the loopback LAN (docs/virtual-lab.md): discovery on UDP 12414 answered by unicast (S7.1.2),
// the TCP 12416 session with passcode and login (S7.2, S7.3), control forwarded to the MCU and its answer
// back to the app (S7.4.1, S7.4.5).
#include "sim_lab_rt.h"

namespace gagent::test {
namespace {

using proto::LanCmd;
using proto::McuCmd;

class GagentSimLan : public RealTimeLab {};

TEST_F(GagentSimLan, S7_1_2_DiscoveryToTheModuleAddressIsAnsweredByUnicast) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  const hal::SocketId phone = app.udpOpen(0, false);
  ASSERT_NE(phone, hal::kNoSocket);
  ASSERT_TRUE(
      app.udpSend(phone, {ip, proto::kLanUdpConfigPort}, lanPacket(LanCmd::DiscoveryRequest)).isDone());
  hal::Endpoint from;
  const auto replies = receiveUdp(phone, from);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].cmd, LanCmd::DiscoveryReply);
  EXPECT_EQ(from, (hal::Endpoint{ip, proto::kLanUdpConfigPort}));  // from the module's own address
  const auto body = proto::parseLanDeviceAnnounce(replies[0].payload);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.value.productKey, PtyMcu::kProductKey);
  const Bytes expectedMac{0x02,
                          0x47,
                          0x7F,
                          static_cast<std::uint8_t>(ip.value >> 16),
                          static_cast<std::uint8_t>(ip.value >> 8),
                          static_cast<std::uint8_t>(ip.value)};
  EXPECT_EQ(Bytes(body.value.mac.begin(), body.value.mac.end()), expectedMac);
  EXPECT_EQ(body.value.did, "");  // not registered: no cloud in this lab
}

TEST_F(GagentSimLan, S7_3_PasscodeAndLoginOnTcp12416) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  const hal::SocketId session = connectTcp();
  ASSERT_EQ(app.tcpState(session), hal::TcpState::Connected);
  const std::string passcode = login(session);
  EXPECT_EQ(passcode.size(), 10u);
  // S4.2 bit 11: an app is logged in.
  EXPECT_TRUE(runUntil([&] { return (mcu.statusWords.back() & 0x0800) != 0; }));
}

TEST_F(GagentSimLan, S7_3_WrongPasscodeIsRefused) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  const hal::SocketId session = connectTcp();
  sendTcp(session, LanCmd::Login,
          lanPayload([](proto::ByteWriter& w) { proto::buildLanLogin("WRONGWRONG", w); }));
  const auto result = awaitTcp(session, LanCmd::LoginResult);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->payload, Bytes{0x01});
}

TEST_F(GagentSimLan, S7_4_1_S7_4_5_ControlReachesTheMcuAndItsAnswerComesBack) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  const hal::SocketId session = connectTcp();
  ASSERT_FALSE(login(session).empty());
  const Bytes control{0x01, 0x3F, 0x01, 0x11, 0x22, 0x33, 0x00, 0x07};
  Bytes payload{0x12, 0x34, 0x56, 0x78};  // sn
  payload.insert(payload.end(), control.begin(), control.end());
  sendTcp(session, LanCmd::P0ToDeviceSn, payload);

  const auto ack = awaitTcp(session, LanCmd::P0FromDeviceSn);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->payload, (Bytes{0x12, 0x34, 0x56, 0x78}));  // the MCU's empty ACK, under the app's sn
  ASSERT_EQ(mcu.controls.size(), 1u);
  EXPECT_EQ(mcu.controls[0], control);
  const auto report = awaitTcp(session, LanCmd::P0FromDevice);  // then its report (protocol §1.11)
  ASSERT_TRUE(report);
  Bytes expected{0x04, 0x01, 0x11, 0x22, 0x33, 0x00, 0x07};
  expected.insert(expected.end(), mcu.state.begin() + PtyMcu::kWritableBytes, mcu.state.end());
  EXPECT_EQ(report->payload, expected);
}

}  // namespace
}  // namespace gagent::test
