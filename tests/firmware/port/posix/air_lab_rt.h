#pragma once
// The fixture of the gagent-sim rt tests that need the real virtual air (gagent-air, docs/virtual-lab.md):
// the air with one router (HomeNet), the module in it, the air's control side as the rig's RouterPlug uses
// it, and SoftAP onboarding as a phone does it.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gagent/air/air_client.h"
#include "sim_lab_rt.h"

#ifndef GAGENT_AIR_BINARY
#error "GAGENT_AIR_BINARY must name the gagent-air executable"
#endif

namespace gagent::test {

using namespace std::chrono_literals;

constexpr std::uint16_t kRouterConnectedBit = 0x0010;  // S4.2 bit 4

class AirLab : public RealTimeLab {
 protected:
  // gagent-air with one router, HomeNet, then gagent-sim in its air (`extra`: more gagent-sim options).
  void startAirAndSim(const std::vector<std::string>& extra = {}) {
    air_ = std::make_unique<SimProcess>(std::vector<std::string>{"--ap", "HomeNet:password1:72"},
                                        dir.file("air.log"), GAGENT_AIR_BINARY);
    const std::string line = air_->readLine();
    ASSERT_EQ(line.rfind("gagent-air ready port=", 0), 0u) << line;
    airPort_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.find('=') + 1)));
    ASSERT_TRUE(control.connect("127.0.0.1", airPort_, 5s)) << control.lastError();
    std::vector<std::string> args{"--air", "127.0.0.1:" + std::to_string(airPort_)};
    args.insert(args.end(), extra.begin(), extra.end());
    startSim(args);
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
                            lanPacket(proto::LanCmd::OnboardingRequest, lanPayload([](proto::ByteWriter& w) {
                                        proto::buildLanOnboardingRequest({"HomeNet", "password1"}, w);
                                      })))
                    .isDone());
    hal::Endpoint from;
    const auto replies = receiveUdp(phone, from);
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(replies[0].cmd, proto::LanCmd::OnboardingReply);
    app.close(phone);
  }

  air::AirClient control;

 private:
  std::unique_ptr<SimProcess> air_;
  std::uint16_t airPort_ = 0;
};

}  // namespace gagent::test
