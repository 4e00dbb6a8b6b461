// gagent-sim on its serial line, seen by a scripted MCU on the pty: the handshake (S3), status pushes (S4.2)
// and a reboot asked by the MCU (protocol §1.8 0x29) that brings the module up again on the same pty.
#include "sim_lab_rt.h"

namespace gagent::test {
namespace {

using proto::McuCmd;

class GagentSimMcu : public RealTimeLab {};

TEST_F(GagentSimMcu, S3_HandshakeWithGoKitThenStatusPushesOfAnUnconfiguredModule) {
  startSim();
  ASSERT_TRUE(handshakeDone()) << "no 0x01 and 0x0D on the pty";
  EXPECT_EQ(mcu.received.front().header.cmd, McuCmd::GetDeviceInfo);  // the first frame a module sends
  EXPECT_TRUE(mcu.received.front().payload.empty());
  EXPECT_EQ(mcu.badFrames, 0u);
  // S6.2.2: nothing stored, so the module is in SoftAP onboarding (bits 0 and 2), bindable (bit 3: the MCU's
  // bind timeout 0), no router, no cloud.
  ASSERT_TRUE(runUntil([&] { return (mcu.statusWords.back() & 0x0D) == 0x0D; }));
  EXPECT_EQ(mcu.statusWords.back() & 0x30, 0);
}

TEST_F(GagentSimMcu, Protocol1_8_RestartRequestRebootsIntoASecondHandshakeOnTheSamePty) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  const auto sn = mcu.send(McuCmd::RestartModule);
  ASSERT_TRUE(runUntil([&] { return mcu.count(McuCmd::RestartModuleAck) == 1; }));
  for (const auto& f : mcu.received) {
    if (f.header.cmd == McuCmd::RestartModuleAck) {
      EXPECT_EQ(f.header.sn, sn);
    }
  }
  ASSERT_TRUE(runUntil([&] { return mcu.count(McuCmd::GetDeviceInfo) == 2; })) << "no second handshake";
  const std::size_t pushes = mcu.statusWords.size();
  EXPECT_TRUE(runUntil([&] { return mcu.statusWords.size() > pushes; }));  // the new core reports again
  const auto status = sim->terminate();
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

TEST_F(GagentSimMcu, S7_2_1_PasscodeSurvivesARebootInTheFlashFile) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  hal::SocketId session = connectTcp();
  const std::string before = login(session);
  ASSERT_EQ(before.size(), 10u);
  app.close(session);

  mcu.send(McuCmd::RestartModule);
  ASSERT_TRUE(runUntil([&] { return mcu.count(McuCmd::GetDeviceInfo) == 2; }));
  // The LAN server comes back with the new core.
  std::string after;
  ASSERT_TRUE(runUntil([&] {
    session = connectTcp();
    if (app.tcpState(session) == hal::TcpState::Connected) after = login(session);
    app.close(session);
    return !after.empty();
  }));
  EXPECT_EQ(after, before);
}

TEST_F(GagentSimMcu, S7_2_1_PasscodeSurvivesAProcessRestartOnTheSameFlash) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  hal::SocketId session = connectTcp();
  const std::string before = login(session);
  ASSERT_FALSE(before.empty());
  app.close(session);
  ASSERT_TRUE(sim->terminate());

  // Another seed: a fresh passcode would differ, the stored one must come back.
  sim = std::make_unique<SimProcess>(
      std::vector<std::string>{"--uart", "pty:" + ptyPath(), "--ip", dotted(ip), "--flash",
                               dir.file("module.flash"), "--seed", "99", "--api", "127.0.0.1:9"},
      dir.file("sim2.log"));
  ASSERT_NE(sim->readLine(), "");
  mcu = PtyMcu();
  ASSERT_TRUE(mcu.open(ptyPath()));
  ASSERT_TRUE(handshakeDone());
  session = connectTcp();
  EXPECT_EQ(login(session), before);
}

}  // namespace
}  // namespace gagent::test
