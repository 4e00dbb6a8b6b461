// gagent-sim with the real virtual air (gagent-air, docs/virtual-lab.md), driven from the control side as
// the rig's RouterPlug would: SoftAP onboarding - a phone joins the module's SoftAP and sends UDP 0001 - then
// the reboot and the JOIN of the router (S6.2.5), the AP powered off and on (link down, rejoin, S12.2), and
// one-shot onboarding (S6.3) started by the MCU's 0x09.
#include "gagent/air/air_client.h"
#include "sim_lab_rt.h"

#ifndef GAGENT_AIR_BINARY
#error "GAGENT_AIR_BINARY must name the gagent-air executable"
#endif

namespace gagent::test {
namespace {

using proto::LanCmd;
using proto::McuCmd;

constexpr std::uint16_t kRouterConnectedBit = 0x0010;  // S4.2 bit 4

class GagentSimAir : public RealTimeLab {
 protected:
  void SetUp() override {
    air_ = std::make_unique<SimProcess>(std::vector<std::string>{"--ap", "HomeNet:password1:72"},
                                        dir.file("air.log"), GAGENT_AIR_BINARY);
    const std::string line = air_->readLine();
    ASSERT_EQ(line.rfind("gagent-air ready port=", 0), 0u) << line;
    airPort_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.find('=') + 1)));
    ASSERT_TRUE(control.connect("127.0.0.1", airPort_, 5s)) << control.lastError();
    startSim({"--air", "127.0.0.1:" + std::to_string(airPort_)});
    ASSERT_TRUE(handshakeDone());
  }

  void TearDown() override {
    RealTimeLab::TearDown();
    if (HasFailure() && air_) std::cerr << "---- gagent-air log ----\n" << air_->log();
  }

  std::string ask(const std::string& line) { return control.request(line, 5s).value_or("(no reply)"); }

  [[nodiscard]] std::string macLower() const {
    char text[13];
    std::snprintf(text, sizeof text, "02477f%02x%02x%02x", (ip.value >> 16) & 0xFF, (ip.value >> 8) & 0xFF,
                  ip.value & 0xFF);
    return text;
  }
  [[nodiscard]] std::string softApSsid() const {
    char text[32];
    std::snprintf(text, sizeof text, "XPG-GAgent-%02X%02X", (ip.value >> 8) & 0xFF, ip.value & 0xFF);
    return text;
  }

  bool routerConnected() {
    return !mcu.statusWords.empty() && (mcu.statusWords.back() & kRouterConnectedBit);
  }

  // S6.2.5 as a phone does it: join the module's SoftAP, learn its address, send 0001, expect 0002.
  void softApOnboard() {
    ASSERT_TRUE(runUntil([&] { return ask("SOFTAP-JOIN " + softApSsid() + " 123456789") != "ERROR no-ap"; }));
    ASSERT_EQ(ask("SOFTAP-JOIN " + softApSsid() + " 123456789"), "OK " + dotted(ip));
    const hal::SocketId phone = app.udpOpen(0, false);
    ASSERT_TRUE(app.udpSend(phone, {ip, proto::kLanUdpConfigPort},
                            lanPacket(LanCmd::OnboardingRequest, lanPayload([](proto::ByteWriter& w) {
                                        proto::buildLanOnboardingRequest({"HomeNet", "password1"}, w);
                                      })))
                    .isDone());
    hal::Endpoint from;
    const auto replies = receiveUdp(phone, from);
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(replies[0].cmd, LanCmd::OnboardingReply);
    app.close(phone);
  }

  air::AirClient control;

 private:
  std::unique_ptr<SimProcess> air_;
  std::uint16_t airPort_ = 0;
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
