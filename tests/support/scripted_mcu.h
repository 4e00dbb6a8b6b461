#pragma once
// A scripted GoKit MCU for the tests of the whole firmware, over any byte transport (McuByteLink): the sim's
// UART in virtual time (sim_uart_mcu_link.h) or gagent-sim's pty in real time (pty_mcu.h). It speaks real MCU
// frames through the proto codecs: it answers the handshake with GoKit device info, ACKs heartbeats and
// status pushes (recording each status word), answers P0 control (empty 0x04, then a 0x05 report) and reads
// (0x04 with 03 + state), and sends commands on demand. The P0 is modelled minimally (the firmware forwards
// it opaquely): a control's values replace the writable bytes of the state.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gagent/hal/types.h"
#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"

namespace gagent::test {

// The MCU's end of the UART: what the module sent since the last call, and bytes to send it.
class McuByteLink {
 public:
  virtual ~McuByteLink() = default;
  virtual std::vector<std::uint8_t> receive() = 0;
  virtual void send(proto::Bytes bytes) = 0;
};

class ScriptedMcu {
 public:
  static constexpr const char* kProductKey =
      "6f3074fe43894547a4f1314bd7e3ae0b";           // GoKit demo (protocol §1.11)
  static constexpr std::size_t kWritableBytes = 6;  // cmd_byte R G B motor(2)

  struct Frame {
    hal::Millis time = 0;  // the `now` of the service() that read it (0 in real-time tests)
    proto::McuHeader header;
    std::vector<std::uint8_t> payload;
  };

  explicit ScriptedMcu(std::unique_ptr<McuByteLink> link) : link_(std::move(link)) {}

  // Reads whatever the module sent and answers it; true when it sent something.
  bool service(hal::Millis now = 0) {
    bool sent = false;
    const std::vector<std::uint8_t> bytes = link_->receive();
    decoder_.feed(bytes, [&](const proto::McuDecodeEvent& event) {
      if (!event.isFrame()) {
        ++badFrames;
        return;
      }
      const proto::McuFrame& f = event.frame;
      received.push_back({now, f.header, {f.payload.begin(), f.payload.end()}});
      if (silent) return;
      sent = answer(f) || sent;
    });
    return sent;
  }

  // Sends an MCU request (0x05 report, 0x09, 0x0B, 0x13, 0x15, 0x17, 0x21, 0x29).
  std::uint8_t send(proto::McuCmd cmd, const std::vector<std::uint8_t>& payload = {}) {
    const std::uint8_t sn = nextSn_++;
    write(proto::McuHeader{cmd, sn, 0}, payload);
    return sn;
  }
  void report() {
    std::vector<std::uint8_t> p0{0x04};
    p0.insert(p0.end(), state.begin(), state.end());
    send(proto::McuCmd::P0FromMcu, p0);
  }

  [[nodiscard]] std::size_t count(proto::McuCmd cmd) const {
    std::size_t n = 0;
    for (const Frame& f : received) n += f.header.cmd == cmd ? 1 : 0;
    return n;
  }
  [[nodiscard]] std::uint16_t lastStatus() const { return statusWords.empty() ? 0 : statusWords.back(); }

  bool silent = false;                   // answers nothing (S7.6.2 tests)
  std::string productKey = kProductKey;  // a different key = a new product (S7.8)
  std::uint16_t bindTimeout = 0;         // 0 = always bindable
  // GoKit dev_status: cmd_byte, R G B, motor raw 5, infrared, temperature raw 25, humidity 50, 2 more.
  std::vector<std::uint8_t> state{0x00, 0x10, 0x20, 0x30, 0x00, 0x05, 0x01, 0x19, 0x32, 0x00, 0x00};
  std::vector<Frame> received;
  std::vector<std::uint16_t> statusWords;           // every 0x0D push, in order
  std::vector<std::vector<std::uint8_t>> controls;  // P0 of every 0x03 received (controls and reads)
  std::size_t badFrames = 0;

 protected:
  McuByteLink& link() { return *link_; }

 private:
  bool answer(const proto::McuFrame& f) {
    using proto::McuCmd;
    const auto ack = [&](const std::vector<std::uint8_t>& payload = {}) {
      write(proto::McuHeader{proto::ackFor(f.header.cmd), f.header.sn, 0}, payload);
    };
    switch (f.header.cmd) {
      case McuCmd::GetDeviceInfo:
        ack(deviceInfo());
        return true;
      case McuCmd::Heartbeat:
        ack();
        return true;
      case McuCmd::WifiStatus: {
        const auto status = proto::parseWifiStatus(f.payload);
        if (status.ok()) statusWords.push_back(status.value.toWord());
        ack();
        return true;
      }
      case McuCmd::P0ToMcu: {
        controls.emplace_back(f.payload.begin(), f.payload.end());
        if (!f.payload.empty() && f.payload[0] == 0x02) {  // read
          std::vector<std::uint8_t> reply{0x03};
          reply.insert(reply.end(), state.begin(), state.end());
          ack(reply);
          return true;
        }
        if (!f.payload.empty() && f.payload[0] == 0x01 && f.payload.size() >= 2 + kWritableBytes) {
          // Simplified GoKit MCU: takes the whole attr_vals (tests set every byte they flag).
          for (std::size_t i = 0; i < kWritableBytes; ++i) state[i] = f.payload[2 + i];
          ack();
          report();  // protocol §1.11: control is acknowledged empty, then reported
          return true;
        }
        ack();
        return true;
      }
      default:
        return false;  // ACKs and notices from the module need no answer
    }
  }

  std::vector<std::uint8_t> deviceInfo() const {
    std::vector<std::uint8_t> out(256);
    proto::ByteWriter writer(out);
    proto::DeviceInfo info;
    info.protocolVer = "00000004";
    info.p0Ver = "00000004";
    info.hardVer = "GOKIT001";
    info.softVer = "04000001";
    info.productKey = productKey;
    info.bindTimeout = bindTimeout;
    proto::buildDeviceInfo(info, writer);
    out.resize(writer.size());
    return out;
  }

  void write(const proto::McuHeader& header, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> wire(proto::kMcuMaxWireSize);
    wire.resize(proto::encodeMcuFrame(header, payload, wire));
    link_->send(wire);
  }

  std::unique_ptr<McuByteLink> link_;
  proto::McuFrameDecoder decoder_;
  std::uint8_t nextSn_ = 0;
};

}  // namespace gagent::test
