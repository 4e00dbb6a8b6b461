#pragma once
// A scripted GoKit MCU on gagent-sim's pty for the rig's rt tests (MCU frames through the proto codecs): it
// answers the handshake with the GoKit demo's device info, ACKs everything that needs an ACK, answers a read
// (P0 02) with 03 + its state in the ACK, and a control with an empty ACK then a 04 report of its new state.
// The test calls service() from its event-loop spin.

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"

namespace gizrig::core::rt {

class RtPtyMcu {
 public:
  static constexpr const char* kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";  // GoKit demo
  static constexpr std::size_t kWritableBytes = 6;

  ~RtPtyMcu() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) return false;
    termios tio{};
    if (::tcgetattr(fd_, &tio) != 0) return false;
    ::cfmakeraw(&tio);
    return ::tcsetattr(fd_, TCSANOW, &tio) == 0;
  }

  void service() {
    if (fd_ < 0) return;
    std::uint8_t buffer[512];
    for (;;) {
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) return;
      decoder_.feed(gagent::proto::Bytes(buffer, static_cast<std::size_t>(n)),
                    [&](const gagent::proto::McuDecodeEvent& event) {
                      if (event.isFrame()) answer(event.frame);
                    });
    }
  }

  int handshakes = 0;
  std::vector<std::vector<std::uint8_t>> p0s;  // every P0 the module forwarded
  // GoKit dev_status: on, purple, R G B, motor raw 5, infrared, temperature raw 25, humidity 50.
  std::vector<std::uint8_t> state{0x05, 0x10, 0x20, 0x30, 0x00, 0x05, 0x01, 0x19, 0x32, 0x00, 0x00};

 private:
  void answer(const gagent::proto::McuFrame& f) {
    using gagent::proto::McuCmd;
    const auto ack = [&](const std::vector<std::uint8_t>& payload = {}) {
      write({gagent::proto::ackFor(f.header.cmd), f.header.sn, 0}, payload);
    };
    switch (f.header.cmd) {
      case McuCmd::GetDeviceInfo:
        ++handshakes;
        ack(deviceInfo());
        return;
      case McuCmd::P0ToMcu: {
        p0s.emplace_back(f.payload.begin(), f.payload.end());
        if (f.payload.size() == 1 && f.payload[0] == 0x02) {
          std::vector<std::uint8_t> reply{0x03};
          reply.insert(reply.end(), state.begin(), state.end());
          ack(reply);
          return;
        }
        ack();
        if (f.payload.size() == 2 + kWritableBytes && f.payload[0] == 0x01) {
          // Simplified GoKit MCU: takes the whole attr_vals (the test sets every byte it flags).
          for (std::size_t i = 0; i < kWritableBytes; ++i) state[i] = f.payload[2 + i];
          std::vector<std::uint8_t> report{0x04};
          report.insert(report.end(), state.begin(), state.end());
          write({McuCmd::P0FromMcu, nextSn_++, 0}, report);
        }
        return;
      }
      case McuCmd::Heartbeat:
      case McuCmd::WifiStatus:
        ack();
        return;
      default:
        return;
    }
  }

  static std::vector<std::uint8_t> deviceInfo() {
    std::vector<std::uint8_t> out(256);
    gagent::proto::ByteWriter writer(out);
    gagent::proto::DeviceInfo info;
    info.protocolVer = "00000004";
    info.p0Ver = "00000004";
    info.hardVer = "GOKIT001";
    info.softVer = "04000001";
    info.productKey = kProductKey;
    info.bindTimeout = 0;  // always bindable
    gagent::proto::buildDeviceInfo(info, writer);
    out.resize(writer.size());
    return out;
  }

  void write(const gagent::proto::McuHeader& header, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> wire(gagent::proto::kMcuMaxWireSize);
    wire.resize(gagent::proto::encodeMcuFrame(header, payload, wire));
    std::size_t done = 0;
    for (int attempt = 0; done < wire.size() && attempt < 2000; ++attempt) {
      const ssize_t n = ::write(fd_, wire.data() + done, wire.size() - done);
      if (n > 0)
        done += static_cast<std::size_t>(n);
      else
        ::usleep(1000);
    }
  }

  int fd_ = -1;
  gagent::proto::McuFrameDecoder decoder_;
  std::uint8_t nextSn_ = 0x40;
};

}  // namespace gizrig::core::rt
