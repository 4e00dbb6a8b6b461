#pragma once
// What the stand-in Gizwits cloud knows: registered devices (§3.2-3.4) and published firmware (§3.5). Pure
// data, no network: SimCloud's HTTP API and M2M broker both consult it, and tests may fill it directly (a
// module that boots with a DID the cloud already knows).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/hal/types.h"

namespace gagent::sim {

struct SimCloudDevice {
  std::string did;  // 22 letters/digits (S8.1)
  std::string passcode;
  std::string productKey;
  std::string mac;  // 12 upper-case hex characters, as §3.2 sends it
  hal::Millis registeredAt = 0;
};

struct SimCloudFirmware {
  std::string hardwareVersion;
  std::string softwareVersion;
  std::uint32_t fid = 0;
  std::string name;  // the download path is /fw/<name>
  std::vector<std::uint8_t> bytes;
  std::string md5Hex;  // lower-case, as the Firmware-MD5 header carries it
};

class SimCloudRegistry {
 public:
  static constexpr std::size_t kDidLength = 22;  // S8.1

  // References returned below stay valid until the registry next changes.
  // §3.2. A MAC already registered for the same product key gets its DID back with the new passcode (the
  // module re-registers after 9016 / CONNACK 0x04, S8.4.4 and S8.9, and must then be able to log in);
  // anything else gets a new DID. DIDs are "simdid" + 16 decimal digits, counting up: readable in logs and
  // never reused, so a stale DID stays unknown.
  const SimCloudDevice& registerDevice(std::string_view mac, std::string_view productKey,
                                       std::string_view passcode, hal::Millis now);
  // For tests: a device with a chosen DID (replacing one with the same DID).
  const SimCloudDevice& addDevice(SimCloudDevice device);
  [[nodiscard]] const SimCloudDevice* find(std::string_view did) const;
  [[nodiscard]] bool authenticates(std::string_view did, std::string_view passcode) const;
  // §3.4. False when the DID is unknown.
  bool remove(std::string_view did);
  [[nodiscard]] const std::vector<SimCloudDevice>& devices() const { return devices_; }

  // §3.5. The name is "<hardware>_<software>_<fid>.bin" with anything but letters, digits, '.', '-' and '_'
  // replaced by '_'. A later publication for the same hardware version is the one offered.
  const SimCloudFirmware& publishFirmware(std::string_view hardwareVersion, std::string_view softwareVersion,
                                          std::uint32_t fid, std::vector<std::uint8_t> bytes);
  // The newest firmware for `hardwareVersion` when its FID differs from `currentFid` (S9.6), else nullptr.
  [[nodiscard]] const SimCloudFirmware* offer(std::string_view hardwareVersion,
                                              std::uint32_t currentFid) const;
  [[nodiscard]] const SimCloudFirmware* firmwareNamed(std::string_view name) const;
  [[nodiscard]] const std::vector<SimCloudFirmware>& firmware() const { return firmware_; }

 private:
  std::string nextDid();

  std::vector<SimCloudDevice> devices_;
  std::vector<SimCloudFirmware> firmware_;
  std::uint64_t didCounter_ = 0;
};

}  // namespace gagent::sim
