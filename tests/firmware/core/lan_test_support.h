#pragma once
// Shared helpers for the LAN tests (lan_udp, lan_server, lan_log, bind_window): a module identity, raw
// packet building and decoding with the proto codecs, and a virtual-time loop.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/core/device_config.h"
#include "gagent/core/module_identity.h"
#include "gagent/hal/types.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gagent/sim/sim_board.h"

namespace lantest {

using gagent::hal::Millis;
using Bytes = std::vector<std::uint8_t>;

inline constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";  // 32
inline constexpr std::string_view kDid = "vGXhLnmPoQkxcJAPyJC9ZZ";                   // 22
inline constexpr std::string_view kPasscode = "DATPBPIFOG";                          // protocol §2.3 session
inline constexpr gagent::hal::MacAddress kMac = {0xAC, 0xCF, 0x23, 0x12, 0x34, 0x56};
inline constexpr std::array<std::uint8_t, 8> kAttrs = {0, 0, 0, 0, 0, 0, 0, 2};

inline gagent::core::ModuleIdentity makeIdentity() {
  gagent::core::ModuleIdentity identity;
  identity.mac = kMac;
  identity.wifiHardwareVersion = "ESP_8266";
  identity.wifiSoftwareVersion = "04020026";
  identity.mcuKnown = true;
  identity.mcuProtocolVersion = "00000004";
  identity.p0Version = "00000002";
  identity.mcuHardwareVersion = "HW000001";
  identity.mcuSoftwareVersion = "SW000001";
  identity.productKey = kProductKey;
  identity.deviceAttributes = kAttrs;
  return identity;
}

inline gagent::core::DeviceConfig makeConfig() {
  gagent::core::DeviceConfig config;
  config.did = kDid;
  config.passcode = kPasscode;
  config.firmwareVersion = "";  // what Appendix B's startup broadcast carries (fwLen 0)
  return config;
}

// Concatenates byte runs and texts: cat({0x00, 0x16}, text(kDid)).
inline Bytes text(std::string_view s) {
  return {s.begin(), s.end()};
}
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

inline Bytes packet(std::uint16_t cmd, const Bytes& payload = {}) {
  Bytes out(gagent::proto::kLanMaxPacketSize);
  const std::size_t n = gagent::proto::encodeLanPacket(cmd, payload, out);
  out.resize(n);
  return out;
}
inline Bytes packet(gagent::proto::LanCmd cmd, const Bytes& payload = {}) {
  return packet(gagent::proto::toU16(cmd), payload);
}

struct Packet {
  std::uint16_t cmd = 0;
  Bytes payload;
  friend bool operator==(const Packet&, const Packet&) = default;
};

// Splits a received byte stream into packets; a malformed stream fails the test via `ok`.
inline std::vector<Packet> decodeStream(const Bytes& stream, bool* ok = nullptr) {
  gagent::proto::LanStreamDecoder decoder;
  std::vector<Packet> out;
  gagent::proto::Bytes data(stream);
  if (ok != nullptr) *ok = true;
  while (!data.empty()) {
    data = data.subspan(decoder.feed(data));
    for (auto d = decoder.next(); d.status != gagent::proto::ParseStatus::NeedMore; d = decoder.next()) {
      if (!d.ok()) {
        if (ok != nullptr) *ok = false;
        continue;
      }
      out.push_back({d.packet.cmd, Bytes(d.packet.payload.begin(), d.packet.payload.end())});
    }
  }
  if (decoder.buffered() != 0 && ok != nullptr) *ok = false;
  return out;
}

inline std::vector<std::uint16_t> commands(const std::vector<Packet>& packets) {
  std::vector<std::uint16_t> out;
  for (const Packet& p : packets) out.push_back(p.cmd);
  return out;
}

// The world loop of virtual-time tests: poll the module at now, jump to the earliest deadline (module or
// sim event), until `until`. `poll` polls every module under test, `deadline` returns their earliest.
inline void runUntil(gagent::sim::VirtualClock& clock, Millis until, const std::function<void(Millis)>& poll,
                     const std::function<Millis()>& deadline) {
  poll(clock.now());
  for (int guard = 0; guard < 100000; ++guard) {
    const Millis next = std::min(deadline(), clock.nextEventTime());
    if (next > until) break;
    clock.advanceTo(std::max(next, clock.now() + (next <= clock.now() ? 1 : 0)));
    poll(clock.now());
  }
  if (clock.now() < until) {
    clock.advanceTo(until);
    poll(clock.now());
  }
}

}  // namespace lantest
