// gagent-sim with the real virtual air (gagent-air, docs/virtual-lab.md), driven from the control side as
// the rig's RouterPlug would: SoftAP onboarding - a phone joins the module's SoftAP and sends UDP 0001 - then
// the reboot and the JOIN of the router (S6.2.5), the AP powered off and on (link down, rejoin, S12.2), and
// one-shot onboarding (S6.3) started by the MCU's 0x09.
#include "air_lab_rt.h"

namespace gagent::test {
namespace {

using proto::LanCmd;
using proto::McuCmd;

class GagentSimAir : public AirLab {
 protected:
  void SetUp() override { startAirAndSim(); }
};

TEST_F(GagentSimAir, S6_2_1_AnUnconfiguredModuleShowsItsSoftApInTheAir) {
  EXPECT_TRUE(runUntil([&] {
    return ask("MODULES") == "OK 1 " + macLower() + " " + dotted(ip) + " - " + softApSsid() + " -";
  })) << ask("MODULES");
}

TEST_F(GagentSimAir, S6_2_5_SoftApOnboardingThenRebootAndJoinOfTheRouter) {
  softApOnboard();
  ASSERT_TRUE(runUntil([&] { return mcu.count(McuCmd::GetDeviceInfo) == 2; })) << "no reboot";
  EXPECT_TRUE(runUntil([&] { return ask("CLIENTS HomeNet") == "OK 1 " + macLower(); }));
  EXPECT_TRUE(runUntil([&] { return routerConnected(); }));
  // The SoftAP is gone after the reboot into station mode.
  EXPECT_TRUE(runUntil([&] {
    return ask("MODULES") == "OK 1 " + macLower() + " " + dotted(ip) + " HomeNet - -";
  })) << ask("MODULES");
}

TEST_F(GagentSimAir, S12_2_RouterPoweredOffIsALinkDownAndTheModuleRejoinsWhenItReturns) {
  softApOnboard();
  ASSERT_TRUE(runUntil([&] { return routerConnected(); }));
  ASSERT_EQ(ask("AP-POWER HomeNet off"), "OK");
  EXPECT_TRUE(runUntil([&] { return !routerConnected(); }));
  ASSERT_EQ(ask("AP-POWER HomeNet on"), "OK");
  EXPECT_TRUE(runUntil([&] { return routerConnected(); }));  // retried every 10 s
  EXPECT_EQ(ask("CLIENTS HomeNet"), "OK 1 " + macLower());
}

TEST_F(GagentSimAir, S6_3_OneShotStartedByTheMcuReceivesCredentialsAndJoins) {
  std::vector<std::uint8_t> payload(8);
  proto::ByteWriter writer(payload);
  proto::ConfigModeRequest request;  // AirLink
  proto::buildConfigMode(request, writer);
  payload.resize(writer.size());
  mcu.send(McuCmd::ConfigMode, payload);
  ASSERT_TRUE(runUntil([&] {
    const std::string modules = ask("MODULES");  // the listener is the last column
    return modules == "OK 1 " + macLower() + " " + dotted(ip) + " - - airlink";  // SoftAP off while listening
  })) << ask("MODULES");
  EXPECT_EQ(ask("ONESHOT-SEND HomeNet password1"), "OK 1");
  EXPECT_TRUE(runUntil([&] { return ask("CLIENTS HomeNet") == "OK 1 " + macLower(); }));
  EXPECT_TRUE(runUntil([&] { return routerConnected(); }));
}

}  // namespace
}  // namespace gagent::test
