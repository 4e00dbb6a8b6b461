// Production mode end to end (S5): the MCU's 0x13, the test routers, the test tool's LAN commands.
#include <set>

#include "sim_lab.h"

namespace gagent::sim {
namespace {

using proto::LanCmd;
using proto::McuCmd;

class AgentProduction : public SimLab {
 protected:
  AgentProduction() {
    board.radio().addAccessPoint("GIZWITS_TEST_1", "GIZWITS_TEST_PASS", 80);
    board.radio().addAccessPoint("GIZWITS_TEST_2", "GIZWITS_TEST_PASS", 75);
  }
};

TEST_F(AgentProduction, S5_3_TestRouterFoundJoinsItWithTheProductionFlags) {
  powerOn();  // a fresh module: SoftAP
  runFor(hal::seconds(1));
  mcu.send(McuCmd::ProductionTest);
  runFor(hal::seconds(3));
  const std::string joined = board.radio().stationSsid();
  EXPECT_TRUE(joined == "GIZWITS_TEST_1" || joined == "GIZWITS_TEST_2");
  EXPECT_TRUE(statusBit(12));                  // production
  EXPECT_TRUE(statusBit(1));                   // station on
  EXPECT_FALSE(statusBit(0));                  // SoftAP off
  EXPECT_FALSE(statusBit(2));                  // onboarding off
  EXPECT_TRUE(statusBit(3));                   // binding on
  EXPECT_TRUE(statusBit(4));                   // router connected (the MCU's light test, protocol §5.1)
  EXPECT_TRUE(agent().config().ssid.empty());  // the test router is not stored
}

TEST_F(AgentProduction, S5_3_TheTestRouterIsChosenAtRandom) {
  std::set<std::string> chosen;
  for (std::uint64_t seed = 1; seed <= 8 && chosen.size() < 2; ++seed) {
    SimBoardOptions options;
    options.randomSeed = seed;
    SimBoard b(options);
    b.radio().addAccessPoint("GIZWITS_TEST_1", "GIZWITS_TEST_PASS", 80);
    b.radio().addAccessPoint("GIZWITS_TEST_2", "GIZWITS_TEST_PASS", 75);
    ScriptedMcu m = test::scriptedMcuOn(b.uart());
    core::LogHub hub;
    SimModule mod(b, hub);
    mod.addPeer({[&](Millis t) { return m.service(t); }, nullptr});
    mod.powerOn();
    mod.runFor(hal::seconds(1));
    m.send(McuCmd::ProductionTest);
    mod.runFor(hal::seconds(3));
    chosen.insert(b.radio().stationSsid());
  }
  EXPECT_EQ(chosen, (std::set<std::string>{"GIZWITS_TEST_1", "GIZWITS_TEST_2"}));
}

TEST_F(AgentProduction, S5_5_S5_6_TestToolControlsThenExitReturnsToSoftAp) {
  powerOn();
  runFor(hal::seconds(1));
  mcu.send(McuCmd::ProductionTest);
  runFor(hal::seconds(3));
  AppSession tool = loginFromHomeLan();  // S5.5: the test tool on the test router's LAN
  tool.send(LanCmd::P0ToDevice, Bytes{0x02});
  runFor(hal::seconds(1));
  bool answered = false;
  for (const auto& m : tool.receive()) answered = answered || m.cmd == LanCmd::P0FromDevice;
  EXPECT_TRUE(answered);
  tool.send(LanCmd::ExitProductionTest);
  runFor(hal::seconds(1));
  EXPECT_TRUE(board.radio().softApOn());  // S5.6: SoftAP on
  EXPECT_TRUE(statusBit(0));
  EXPECT_FALSE(statusBit(1));   // station off
  EXPECT_FALSE(statusBit(2));   // onboarding off
  EXPECT_FALSE(statusBit(3));   // binding off
  EXPECT_FALSE(statusBit(12));  // test mode over
  EXPECT_FALSE(statusBit(4));
}

TEST_F(AgentProduction, S5_2_S5_4_ScansEvery10sAndLeavesTestModeQuietlyAfterThreeMinutes) {
  board.radio().removeAccessPoint("GIZWITS_TEST_1");
  board.radio().removeAccessPoint("GIZWITS_TEST_2");
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  mcu.send(McuCmd::ProductionTest);
  runFor(hal::seconds(1));
  EXPECT_TRUE(statusBit(12));
  board.radio().clearEvents();
  runFor(hal::minutes(3));
  EXPECT_FALSE(statusBit(12));
  EXPECT_TRUE(statusBit(4));  // the working state is untouched
  EXPECT_TRUE(statusBit(5));
  std::size_t scans = 0;
  for (const auto& e : board.radio().events()) scans += e.what == "scan" ? 1 : 0;
  EXPECT_GE(scans, 18u);  // S5.2: every 10 s (plus the 3-minute signal reads)
  EXPECT_LE(scans, 20u);
  runFor(hal::minutes(1));
  scans = 0;
  for (const auto& e : board.radio().events()) scans += e.what == "scan" ? 1 : 0;
  EXPECT_LE(scans, 21u);  // no more 10 s scans after the window
}

}  // namespace
}  // namespace gagent::sim
