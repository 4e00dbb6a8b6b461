#pragma once
// Who this module is, as the LAN and the cloud see it: its own ids and versions plus what the MCU reported in
// its 0x02 device info. The agent fills it at boot (and after each handshake); LAN, cloud and OTA code read
// it.

#include <array>
#include <cstdint>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/hal/system.h"

namespace gagent::core {

inline constexpr std::size_t kVersionLength = 8;  // S2.1-S2.3: every version string is 8 characters

struct ModuleIdentity {
  hal::MacAddress mac{};
  StoredText<kVersionLength> wifiHardwareVersion;  // S2.1
  StoredText<kVersionLength> wifiSoftwareVersion;  // S2.2 ("04..." for protocol V4)

  // From the MCU's device info (protocol §1.8); empty until the handshake succeeded.
  bool mcuKnown = false;
  StoredText<kVersionLength> mcuProtocolVersion;
  StoredText<kVersionLength> p0Version;
  StoredText<kVersionLength> mcuHardwareVersion;
  StoredText<kVersionLength> mcuSoftwareVersion;
  StoredText<32> productKey;
  std::uint16_t bindTimeoutSeconds = 0;  // S7.2.2; 0 = always bindable
  std::array<std::uint8_t, 8> deviceAttributes{};

  // The MAC as 12 upper-case hex digits (protocol §3.2), written into `out`.
  [[nodiscard]] std::string_view macText(std::array<char, 12>& out) const {
    constexpr char kHex[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < mac.size(); ++i) {
      out[2 * i] = kHex[mac[i] >> 4];
      out[2 * i + 1] = kHex[mac[i] & 0x0F];
    }
    return {out.data(), out.size()};
  }
};

}  // namespace gagent::core
