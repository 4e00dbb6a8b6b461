// The whole firmware from power-on: handshake, default mode, status pushes, MCU loss, watchdog.
#include "sim_lab.h"

namespace gagent::sim {
namespace {

using proto::McuCmd;

class AgentBoot : public SimLab {};

TEST_F(AgentBoot, S6_2_2_FirstBootWithoutSsidComesUpInSoftApAndTellsTheMcu) {
  powerOn();
  runFor(hal::seconds(1));
  EXPECT_EQ(mcu.count(McuCmd::GetDeviceInfo), 1u);
  EXPECT_EQ(agent().identity().productKey.view(), ScriptedMcu::kProductKey);
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_EQ(board.radio().softApSsid(), "XPG-GAgent-0001");  // S6.2.1: last 4 hex digits of 02:00:00:00:00:01
  EXPECT_EQ(board.radio().softApPassword(), "123456789");
  ASSERT_FALSE(mcu.statusWords.empty());
  EXPECT_TRUE(statusBit(0));  // SoftAP
  EXPECT_TRUE(statusBit(2));  // onboarding
  EXPECT_FALSE(statusBit(1));
  EXPECT_EQ(agent().ledMode(), core::LedMode::SoftAp);  // S4.1 row 1
}

TEST_F(AgentBoot, S7_2_1_PasscodeGeneratedAtFirstStartAndKept) {
  powerOn();
  runFor(hal::seconds(1));
  const std::string passcode(agent().config().passcode.view());
  EXPECT_EQ(passcode.size(), 10u);
  for (char c : passcode) EXPECT_TRUE(c >= 'A' && c <= 'Z');
  ASSERT_TRUE(softApOnboard(kHomeSsid, kHomePassword));
  runFor(hal::seconds(2));
  EXPECT_EQ(module.boots(), 2u);
  EXPECT_EQ(agent().config().passcode.view(), passcode);
}

TEST_F(AgentBoot, S4_4_2_StatusPushedEveryTenMinutesWithoutChange) {
  powerOn();
  runFor(hal::seconds(5));
  const std::size_t before = mcu.statusWords.size();
  runFor(hal::minutes(30));
  EXPECT_GE(mcu.statusWords.size() - before, 3u);
  EXPECT_LE(mcu.statusWords.size() - before, 5u);  // changes (SoftAP scans change nothing) + 3 forced
}

TEST_F(AgentBoot, S7_6_1_HeartbeatEvery55sWhenTheMcuIsQuiet) {
  powerOn();
  runFor(hal::seconds(1));
  const Millis start = now();
  runFor(hal::minutes(5));
  std::vector<Millis> beats;
  for (const auto& f : mcu.received) {
    if (f.header.cmd == McuCmd::Heartbeat && f.time > start) beats.push_back(f.time);
  }
  ASSERT_GE(beats.size(), 4u);
  for (std::size_t i = 1; i < beats.size(); ++i)
    EXPECT_EQ(beats[i] - beats[i - 1], core::McuLink::kHeartbeatAfter);
  EXPECT_EQ(module.boots(), 1u);
}

TEST_F(AgentBoot, S7_6_2_SilentMcuMakesTheModuleRebootAfter180s) {
  powerOn();
  runFor(hal::seconds(1));
  mcu.silent = true;
  const Millis silentFrom = now();
  runFor(core::McuLink::kSilenceLimit - hal::seconds(2));
  EXPECT_EQ(module.boots(), 1u);
  runFor(hal::seconds(3));
  EXPECT_EQ(module.boots(), 2u);
  ASSERT_EQ(board.system().rebootTimes().size(), 1u);
  // The last MCU data was the ACK of a status push just before `silentFrom`.
  EXPECT_LE(board.system().rebootTimes()[0] - silentFrom, core::McuLink::kSilenceLimit);
}

TEST_F(AgentBoot, S4_1_HandshakeFailureShowsBothLedsBlinking) {
  mcu.silent = true;
  powerOn();
  runFor(hal::seconds(7));
  EXPECT_EQ(agent().ledMode(), core::LedMode::HandshakeFailed);  // S4.1 row 3
}

TEST_F(AgentBoot, S12_4_TheLoopFeedsTheWatchdogForHours) {
  bootConfiguredForHomeRouter();
  runFor(hal::hours(3));
  EXPECT_EQ(module.watchdogResets(), 0u);
  EXPECT_LT(board.watchdog().starvedFor(now()), core::Agent::kWatchdogFeedInterval + 1);
}

TEST_F(AgentBoot, S12_3_RestartAfterRebootResumesFromFlash) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(30));
  const std::string did(agent().config().did.view());
  ASSERT_FALSE(did.empty());
  mcu.send(McuCmd::RestartModule);  // 0x29
  runFor(hal::seconds(30));
  EXPECT_EQ(module.boots(), 3u);
  EXPECT_EQ(agent().config().did.view(), did);
  EXPECT_TRUE(cloud.deviceOnline(did));
}

}  // namespace
}  // namespace gagent::sim
