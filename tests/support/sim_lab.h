#pragma once
// The whole firmware in a virtual lab for the `sim` tests: one SimModule (core::Agent on a SimBoard), a
// scripted MCU on its UART, the stand-in cloud (SimCloud) and a home router in the air, plus the phone app's
// LAN side (UDP and TCP peers speaking real LAN packets). Time is virtual: hours of spec timers run in
// milliseconds.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "gagent/core/agent.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_cloud.h"
#include "gagent/sim/sim_module.h"
#include "scripted_mcu.h"
#include "sim_uart_mcu_link.h"

namespace gagent::sim {

using test::ScriptedMcu;
using Bytes = std::vector<std::uint8_t>;

inline constexpr const char* kHomeSsid = "HomeNet";
inline constexpr const char* kHomePassword = "password1";
inline constexpr hal::Ipv4 kPhoneOnHomeLan = hal::ipv4(10, 0, 0, 20);
inline constexpr hal::Ipv4 kPhoneOnSoftAp = hal::ipv4(10, 10, 100, 100);

inline Bytes lanPacket(proto::LanCmd cmd, const Bytes& payload = {}) {
  Bytes out(proto::kLanMaxPacketSize);
  out.resize(proto::encodeLanPacket(proto::toU16(cmd), payload, out));
  return out;
}

template <typename Build>
Bytes lanPacketWith(proto::LanCmd cmd, Build&& build) {
  Bytes payload(proto::kLanMaxPayload);
  proto::ByteWriter writer(payload);
  build(writer);
  payload.resize(writer.size());
  return lanPacket(cmd, payload);
}

struct LanMessage {
  proto::LanCmd cmd;
  Bytes payload;
};

// The phone app's TCP session with the module (S7.3).
class AppSession {
 public:
  explicit AppSession(PeerTcpConnection* connection) : connection_(connection) {}
  [[nodiscard]] bool connected() const { return connection_ != nullptr && !connection_->isClosed(); }
  void send(proto::LanCmd cmd, const Bytes& payload = {}) {
    ASSERT_NE(connection_, nullptr);
    connection_->send(lanPacket(cmd, payload));
  }
  void sendRaw(const Bytes& bytes) { connection_->send(bytes); }
  // Every packet received so far that was not taken yet.
  std::vector<LanMessage> receive() {
    std::vector<LanMessage> out;
    if (connection_ == nullptr) return out;
    const Bytes bytes = connection_->receiveAll();
    proto::Bytes rest(bytes);
    while (!rest.empty()) {
      rest = rest.subspan(decoder_.feed(rest));
      for (;;) {
        const proto::LanDecode decoded = decoder_.next();
        if (!decoded.ok()) break;
        out.push_back({static_cast<proto::LanCmd>(decoded.packet.cmd),
                       Bytes(decoded.packet.payload.begin(), decoded.packet.payload.end())});
      }
    }
    return out;
  }
  PeerTcpConnection* connection() { return connection_; }

 private:
  PeerTcpConnection* connection_;
  proto::LanStreamDecoder decoder_;
};

class SimLab : public ::testing::Test {
 protected:
  SimLab()
      : cloud(board.net(), board.dns()),
        mcu(test::scriptedMcuOn(board.uart())),
        module(board, logs, options()) {
    board.radio().addAccessPoint(kHomeSsid, kHomePassword, 72);
    module.addPeer({[this](Millis now) { return mcu.service(now); }, nullptr});
    module.addPeer(
        {[this](Millis now) { return cloud.service(now); }, [this] { return cloud.nextDeadline(); }});
  }

  static core::AgentOptions options() { return core::AgentOptions{}; }

  void powerOn() { module.powerOn(); }
  void runFor(Millis d) { module.runFor(d); }
  void runUntil(Millis t) { module.runUntil(t); }
  [[nodiscard]] Millis now() const { return const_cast<SimBoard&>(board).clock().now(); }
  core::Agent& agent() { return module.agent(); }

  // The module comes up configured for the home router (as after an earlier onboarding).
  void bootConfiguredForHomeRouter() {
    powerOn();
    runFor(hal::seconds(1));
    softApOnboard(kHomeSsid, kHomePassword);
    runFor(hal::seconds(2));  // reboot and join
  }

  // S6.2.5: the app, joined to the module's AP, sends 0001 to UDP 12414 and gets 0002.
  bool softApOnboard(const std::string& ssid, const std::string& password) {
    PeerUdpSocket& phone = board.net().openPeerUdp({kPhoneOnSoftAp, 0});
    phone.send({SimNet::kSoftApAddress, proto::kLanUdpConfigPort},
               lanPacketWith(proto::LanCmd::OnboardingRequest, [&](proto::ByteWriter& w) {
                 proto::buildLanOnboardingRequest({ssid, password}, w);
               }));
    runFor(10);
    bool acked = false;
    while (auto datagram = phone.receive()) {
      const proto::LanDecode decoded = proto::parseLanDatagram(datagram->bytes);
      acked = acked || (decoded.ok() && decoded.packet.cmd == proto::toU16(proto::LanCmd::OnboardingReply));
    }
    phone.close();
    return acked;
  }

  // The app on the home LAN opens a session and logs in with the passcode it asks for (S7.2, S7.3).
  AppSession loginFromHomeLan() {
    AppSession app(
        board.net().connectPeer({kPhoneOnHomeLan, 0}, {SimNet::kStationAddress, proto::kLanTcpPort}));
    app.send(proto::LanCmd::PasscodeRequest);
    runFor(10);
    std::string passcode;
    for (const auto& m : app.receive()) {
      if (m.cmd != proto::LanCmd::PasscodeReply) continue;
      const auto reply = proto::parseLanPasscodeReply(m.payload);
      if (reply.ok()) passcode = std::string(reply.value);
    }
    app.send(proto::LanCmd::Login,
             lanPayload([&](proto::ByteWriter& w) { proto::buildLanLogin(passcode, w); }));
    runFor(10);
    return app;
  }

  template <typename Build>
  static Bytes lanPayload(Build&& build) {
    Bytes payload(proto::kLanMaxPayload);
    proto::ByteWriter writer(payload);
    build(writer);
    payload.resize(writer.size());
    return payload;
  }

  // Broadcasts a listener on UDP 2415 heard (S7.1.1, S6.1.3), by command.
  std::size_t countBroadcasts(PeerUdpSocket& listener, proto::LanCmd cmd) {
    std::size_t n = 0;
    for (const auto& d : listener.receiveAll()) {
      const proto::LanDecode decoded = proto::parseLanDatagram(d.bytes);
      n += decoded.ok() && decoded.packet.cmd == proto::toU16(cmd) ? 1 : 0;
    }
    return n;
  }

  [[nodiscard]] std::size_t requestsTo(CloudEndpoint endpoint) const {
    std::size_t n = 0;
    for (const auto& r : cloud.httpRequests()) n += r.endpoint == endpoint ? 1 : 0;
    return n;
  }

  [[nodiscard]] bool statusBit(unsigned bit) const { return (mcu.lastStatus() >> bit) & 1U; }

  SimBoard board;
  core::LogHub logs;
  SimCloud cloud;
  ScriptedMcu mcu;
  SimModule module;
};

}  // namespace gagent::sim
