// gagent-sim's radio against a scripted air inside the test (the air protocol of docs/virtual-lab.md):
// HELLO, the SoftAP of an unconfigured module, SoftAP onboarding over UDP 12414 followed by a reboot and the
// JOIN of the router (S6.2.5), a link-down event and the rejoin (S12.2), and the air going away.
#include "scripted_air.h"
#include "sim_lab_rt.h"

namespace gagent::test {
namespace {

using proto::LanCmd;
using proto::McuCmd;

constexpr std::uint16_t kRouterConnectedBit = 0x0010;  // S4.2 bit 4

class GagentSimRadio : public RealTimeLab {
 protected:
  void startWithAir() {
    air.reply = [this](const std::string& line) { return answer(line); };
    startSim({"--air", air.address()});
  }

  // A home router "HomeNet" / "password1" at signal 72.
  std::string answer(const std::string& line) {
    if (line == "SCAN") return "OK 1 HomeNet 72";
    if (line.rfind("JOIN ", 0) == 0) {
      if (line == "JOIN HomeNet password1") return "OK";
      return line.rfind("JOIN HomeNet ", 0) == 0 ? "ERROR wrong-password" : "ERROR no-ap";
    }
    if (line == "SIGNAL") return "OK 72";
    return "OK";
  }

  bool runWithAirUntil(const std::function<bool()>& done) {
    return runUntil([&] {
      air.service();
      return done();
    });
  }

  std::string macHex() const {
    char text[13];
    std::snprintf(text, sizeof text, "02477f%02x%02x%02x", (ip.value >> 16) & 0xFF, (ip.value >> 8) & 0xFF,
                  ip.value & 0xFF);
    return text;
  }

  // S6.2.5: the phone on the module's SoftAP sends 0001 to UDP 12414 and expects 0002.
  bool softApOnboard(const std::string& ssid, const std::string& password) {
    const hal::SocketId phone = app.udpOpen(0, false);
    app.udpSend(phone, {ip, proto::kLanUdpConfigPort},
                lanPacket(LanCmd::OnboardingRequest, lanPayload([&](proto::ByteWriter& w) {
                            proto::buildLanOnboardingRequest({ssid, password}, w);
                          })));
    bool acked = false;
    runWithAirUntil([&] {
      Bytes buffer(proto::kLanMaxPacketSize);
      hal::Endpoint from;
      const auto result = app.udpReceive(phone, buffer, from);
      if (!result.isDone()) return false;
      const proto::LanDecode decoded = proto::parseLanDatagram({buffer.data(), result.bytes});
      acked = decoded.ok() && decoded.packet.cmd == proto::toU16(LanCmd::OnboardingReply);
      return true;
    });
    app.close(phone);
    return acked;
  }

  ScriptedAir air;
};

TEST_F(GagentSimRadio, HelloThenTheSoftApOfAnUnconfiguredModule) {
  startWithAir();
  ASSERT_TRUE(runWithAirUntil([&] { return air.requests.size() >= 2; }));
  EXPECT_EQ(air.requests[0], "HELLO " + macHex() + " " + dotted(ip));
  // S6.2.1: XPG-GAgent- + the last 4 hex digits of the MAC, password 123456789.
  char softAp[64];
  std::snprintf(softAp, sizeof softAp, "SOFTAP XPG-GAgent-%02X%02X 123456789", (ip.value >> 8) & 0xFF,
                ip.value & 0xFF);
  EXPECT_EQ(air.requests[1], softAp);
}

TEST_F(GagentSimRadio, S6_2_5_SoftApOnboardingRebootsAndJoinsTheRouter) {
  startWithAir();
  ASSERT_TRUE(handshakeDone());
  ASSERT_TRUE(runWithAirUntil([&] { return air.count("SOFTAP ") == 1; }));
  ASSERT_TRUE(softApOnboard("HomeNet", "password1"));
  // The module reboots: a new core says HELLO on a new connection and joins the stored router.
  ASSERT_TRUE(runWithAirUntil([&] { return air.count("JOIN ") >= 1; })) << "no JOIN";
  EXPECT_GE(air.connections, 2);
  EXPECT_EQ(air.count("HELLO "), 2u);
  EXPECT_EQ(mcu.count(McuCmd::GetDeviceInfo), 2u);
  EXPECT_EQ(air.count("JOIN HomeNet password1"), 1u);
  // S4.2 bit 4: router connected, reported to the MCU.
  EXPECT_TRUE(runWithAirUntil(
      [&] { return !mcu.statusWords.empty() && (mcu.statusWords.back() & kRouterConnectedBit); }));
}

TEST_F(GagentSimRadio, S12_2_LinkDownEventDropsTheRouterAndTheModuleRejoins) {
  startWithAir();
  ASSERT_TRUE(handshakeDone());
  ASSERT_TRUE(runWithAirUntil([&] { return air.count("SOFTAP ") == 1; }));
  ASSERT_TRUE(softApOnboard("HomeNet", "password1"));
  ASSERT_TRUE(runWithAirUntil(
      [&] { return !mcu.statusWords.empty() && (mcu.statusWords.back() & kRouterConnectedBit); }));
  const std::size_t joins = air.count("JOIN ");
  air.push("EVENT link-down HomeNet");
  EXPECT_TRUE(runWithAirUntil([&] { return (mcu.statusWords.back() & kRouterConnectedBit) == 0; }));
  // S12.2: retried every 10 s.
  EXPECT_TRUE(runWithAirUntil([&] { return air.count("JOIN ") > joins; }));
  EXPECT_TRUE(runWithAirUntil([&] { return (mcu.statusWords.back() & kRouterConnectedBit) != 0; }));
}

TEST_F(GagentSimRadio, AirGoingAwayIsALinkDownAndTheRadioReconnects) {
  startWithAir();
  ASSERT_TRUE(handshakeDone());
  ASSERT_TRUE(runWithAirUntil([&] { return air.count("SOFTAP ") == 1; }));
  ASSERT_TRUE(softApOnboard("HomeNet", "password1"));
  ASSERT_TRUE(runWithAirUntil(
      [&] { return !mcu.statusWords.empty() && (mcu.statusWords.back() & kRouterConnectedBit); }));
  const int connections = air.connections;
  air.dropModule();
  EXPECT_TRUE(runWithAirUntil([&] { return (mcu.statusWords.back() & kRouterConnectedBit) == 0; }));
  EXPECT_TRUE(runWithAirUntil([&] { return air.connections > connections && air.moduleConnected(); }));
  EXPECT_TRUE(runWithAirUntil([&] { return (mcu.statusWords.back() & kRouterConnectedBit) != 0; }));
}

TEST_F(GagentSimRadio, WithoutAnAirTheModuleStillRunsAndShutsDownCleanly) {
  startSim({"--air", "127.0.0.1:1"});  // nothing listens there
  ASSERT_TRUE(handshakeDone());
  runFor(1500ms);  // a few reconnection attempts
  const auto status = sim->terminate();
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

}  // namespace
}  // namespace gagent::test
