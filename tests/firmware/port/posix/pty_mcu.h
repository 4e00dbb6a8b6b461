#pragma once
// A scripted MCU on gagent-sim's pty, speaking real MCU frames through the proto codecs: it answers the
// handshake (0x01 -> 0x02 with GoKit device info), heartbeats and status pushes (recording each status word),
// and P0 control (an empty 0x04 ACK, then a 0x05 report of its new state), and sends requests on demand.

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"

namespace gagent::test {

class PtyMcu {
 public:
  static constexpr const char* kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";  // GoKit demo
  static constexpr std::size_t kWritableBytes = 6;

  struct Frame {
    proto::McuHeader header;
    std::vector<std::uint8_t> payload;
  };

  ~PtyMcu() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Opens the pty the simulator linked at `path` (raw, non-blocking).
  bool open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) return false;
    termios tio{};
    if (::tcgetattr(fd_, &tio) != 0) return false;
    ::cfmakeraw(&tio);
    return ::tcsetattr(fd_, TCSANOW, &tio) == 0;
  }

  // Reads whatever the module sent and answers it.
  void service() {
    std::uint8_t buffer[512];
    for (;;) {
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) return;
      decoder_.feed(proto::Bytes(buffer, static_cast<std::size_t>(n)),
                    [&](const proto::McuDecodeEvent& event) {
                      if (!event.isFrame()) {
                        ++badFrames;
                        return;
                      }
                      const proto::McuFrame& f = event.frame;
                      received.push_back({f.header, {f.payload.begin(), f.payload.end()}});
                      answer(f);
                    });
    }
  }

  std::uint8_t send(proto::McuCmd cmd, const std::vector<std::uint8_t>& payload = {}) {
    const std::uint8_t sn = nextSn_++;
    write(proto::McuHeader{cmd, sn, 0}, payload);
    return sn;
  }

  [[nodiscard]] std::size_t count(proto::McuCmd cmd) const {
    std::size_t n = 0;
    for (const Frame& f : received) n += f.header.cmd == cmd ? 1 : 0;
    return n;
  }

  std::vector<std::uint8_t> state{0x00, 0x10, 0x20, 0x30, 0x00, 0x05, 0x01, 0x19, 0x32, 0x00, 0x00};
  std::vector<Frame> received;
  std::vector<std::uint16_t> statusWords;
  std::vector<std::vector<std::uint8_t>> controls;  // P0 of every 0x03
  std::size_t badFrames = 0;

 private:
  void answer(const proto::McuFrame& f) {
    using proto::McuCmd;
    const auto ack = [&](const std::vector<std::uint8_t>& payload = {}) {
      write(proto::McuHeader{proto::ackFor(f.header.cmd), f.header.sn, 0}, payload);
    };
    switch (f.header.cmd) {
      case McuCmd::GetDeviceInfo:
        ack(deviceInfo());
        return;
      case McuCmd::Heartbeat:
        ack();
        return;
      case McuCmd::WifiStatus: {
        const auto status = proto::parseWifiStatus(f.payload);
        if (status.ok()) statusWords.push_back(status.value.toWord());
        ack();
        return;
      }
      case McuCmd::P0ToMcu: {
        controls.emplace_back(f.payload.begin(), f.payload.end());
        ack();
        if (f.payload.size() >= 2 + kWritableBytes && f.payload[0] == 0x01) {
          for (std::size_t i = 0; i < kWritableBytes; ++i) state[i] = f.payload[2 + i];
          std::vector<std::uint8_t> report{0x04};
          report.insert(report.end(), state.begin(), state.end());
          send(McuCmd::P0FromMcu, report);
        }
        return;
      }
      default:
        return;
    }
  }

  static std::vector<std::uint8_t> deviceInfo() {
    std::vector<std::uint8_t> out(256);
    proto::ByteWriter writer(out);
    proto::DeviceInfo info;
    info.protocolVer = "00000004";
    info.p0Ver = "00000004";
    info.hardVer = "GOKIT001";
    info.softVer = "04000001";
    info.productKey = kProductKey;
    info.bindTimeout = 0;  // always bindable
    proto::buildDeviceInfo(info, writer);
    out.resize(writer.size());
    return out;
  }

  void write(const proto::McuHeader& header, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> wire(proto::kMcuMaxWireSize);
    wire.resize(proto::encodeMcuFrame(header, payload, wire));
    std::size_t done = 0;
    for (int attempt = 0; done < wire.size() && attempt < 2000; ++attempt) {
      const ssize_t n = ::write(fd_, wire.data() + done, wire.size() - done);
      if (n > 0)
        done += static_cast<std::size_t>(n);
      else
        ::usleep(1000);  // the pty is full for a moment
    }
  }

  int fd_ = -1;
  proto::McuFrameDecoder decoder_;
  std::uint8_t nextSn_ = 0;
};

}  // namespace gagent::test
