#pragma once
// The fixture of the gagent-sim rt tests: a scratch directory, the real gagent-sim on a leased 127.0.B.C with
// its pty driven by a PtyMcu, and the phone app's side on plain loopback sockets (PosixNet on 127.0.0.1,
// packets built and parsed with the proto codecs). Waiting is real time and always bounded by kPatience.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "gagent/posix/posix_net.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "pty_mcu.h"
#include "sim_process.h"

namespace gagent::test {

using Bytes = std::vector<std::uint8_t>;
inline constexpr hal::Ipv4 kAppAddress = hal::ipv4(127, 0, 0, 1);
inline constexpr std::uint16_t kWebPort = 8080;

inline Bytes lanPacket(proto::LanCmd cmd, const Bytes& payload = {}) {
  Bytes out(proto::kLanMaxPacketSize);
  out.resize(proto::encodeLanPacket(proto::toU16(cmd), payload, out));
  return out;
}

template <typename Build>
Bytes lanPayload(Build&& build) {
  Bytes payload(proto::kLanMaxPayload);
  proto::ByteWriter writer(payload);
  build(writer);
  payload.resize(writer.size());
  return payload;
}

struct LanMessage {
  proto::LanCmd cmd;
  Bytes payload;
};

class RealTimeLab : public ::testing::Test {
 protected:
  RealTimeLab() : lease(leaseModuleAddress(kWebPort)), ip{lease ? lease->address() : 0}, app(kAppAddress) {}

  void TearDown() override {
    if (HasFailure() && sim)
      std::cerr << "---- gagent-sim log ----\n" << sim->log() << "------------------------\n";
  }

  [[nodiscard]] std::string ptyPath() const { return dir.file("uart.pty"); }

  std::vector<std::string> baseArgs() const {
    return {
        "--uart", "pty:" + ptyPath(), "--ip",  dotted(ip), "--flash",    dir.file("module.flash"), "--seed",
        "7",      "--log-level",      "debug", "--api",    "127.0.0.1:9"};
  }

  // Starts gagent-sim, checks its ready line and opens the pty as the MCU.
  void startSim(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = baseArgs();
    args.insert(args.end(), extra.begin(), extra.end());
    sim = std::make_unique<SimProcess>(args, dir.file("sim.log"));
    ready = sim->readLine();
    ASSERT_EQ(ready.rfind("gagent-sim ready uart=" + ptyPath() + " ip=" + dotted(ip) + " mac=", 0), 0u)
        << "ready line: '" << ready << "'";
    ASSERT_TRUE(mcu.open(ptyPath()));
  }

  // Services the MCU (and whatever `step` does) until `done` holds; false after kPatience.
  template <typename Done>
  bool runUntil(Done&& done, std::chrono::milliseconds patience = kPatience) {
    const auto end = Clock::now() + patience;
    while (Clock::now() < end) {
      mcu.service();
      if (done()) return true;
      ::poll(nullptr, 0, 5);
    }
    return false;
  }
  void runFor(std::chrono::milliseconds duration) {
    runUntil([] { return false; }, duration);
  }

  bool handshakeDone() {
    return runUntil([&] { return mcu.count(proto::McuCmd::GetDeviceInfo) >= 1 && !mcu.statusWords.empty(); });
  }

  // The phone app on the LAN.
  std::vector<LanMessage> receiveUdp(hal::SocketId socket, hal::Endpoint& from) {
    std::vector<LanMessage> out;
    runUntil([&] {
      Bytes buffer(proto::kLanMaxPacketSize);
      const auto result = app.udpReceive(socket, buffer, from);
      if (!result.isDone()) return false;
      const proto::LanDecode decoded = proto::parseLanDatagram({buffer.data(), result.bytes});
      if (decoded.ok()) {
        out.push_back({static_cast<proto::LanCmd>(decoded.packet.cmd),
                       Bytes(decoded.packet.payload.begin(), decoded.packet.payload.end())});
      }
      return true;
    });
    return out;
  }

  hal::SocketId connectTcp() {
    const hal::SocketId socket = app.tcpConnect({ip, proto::kLanTcpPort});
    runUntil([&] { return app.tcpState(socket) != hal::TcpState::Connecting; });
    return socket;
  }

  void sendTcp(hal::SocketId socket, proto::LanCmd cmd, const Bytes& payload = {}) {
    const Bytes packet = lanPacket(cmd, payload);
    ASSERT_TRUE(app.tcpSend(socket, packet).isDone());
  }

  // Waits for the next packet of `cmd` on the session (others are kept in `other`).
  std::optional<LanMessage> awaitTcp(hal::SocketId socket, proto::LanCmd cmd) {
    std::optional<LanMessage> found;
    runUntil([&] {
      Bytes buffer(2048);
      const auto result = app.tcpReceive(socket, buffer);
      if (result.isDone()) {
        proto::Bytes rest(buffer.data(), result.bytes);
        while (!rest.empty()) {
          rest = rest.subspan(decoder_.feed(rest));
          for (proto::LanDecode d = decoder_.next(); d.status != proto::ParseStatus::NeedMore;
               d = decoder_.next()) {
            if (d.ok())
              pending_.push_back({static_cast<proto::LanCmd>(d.packet.cmd),
                                  Bytes(d.packet.payload.begin(), d.packet.payload.end())});
          }
        }
      }
      for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->cmd == cmd) {
          found = *it;
          pending_.erase(it);
          return true;
        }
      }
      return false;
    });
    return found;
  }

  // S7.2, S7.3: passcode request, then login with it.
  std::string login(hal::SocketId socket) {
    sendTcp(socket, proto::LanCmd::PasscodeRequest);
    const auto reply = awaitTcp(socket, proto::LanCmd::PasscodeReply);
    if (!reply) return "";
    const auto passcode = proto::parseLanPasscodeReply(reply->payload);
    if (!passcode.ok()) return "";
    const std::string code(passcode.value);
    sendTcp(socket, proto::LanCmd::Login,
            lanPayload([&](proto::ByteWriter& w) { proto::buildLanLogin(code, w); }));
    const auto result = awaitTcp(socket, proto::LanCmd::LoginResult);
    if (!result) return "";
    const auto parsed = proto::parseLanLoginResult(result->payload);
    return parsed.ok() && parsed.value == proto::LanLoginResult::Ok ? code : "";
  }

  TempDir dir;
  std::optional<ModuleAddressLease> lease;  // held while the test runs
  hal::Ipv4 ip;
  std::unique_ptr<SimProcess> sim;
  std::string ready;
  PtyMcu mcu;
  posix::PosixNet app;

 private:
  proto::LanStreamDecoder decoder_;
  std::vector<LanMessage> pending_;
};

}  // namespace gagent::test
