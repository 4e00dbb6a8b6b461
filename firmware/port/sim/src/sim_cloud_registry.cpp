#include "gagent/sim/sim_cloud_registry.h"

#include <algorithm>
#include <cstdio>

#include "gagent/core/md5.h"

namespace gagent::sim {
namespace {

bool isPlainNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

std::string md5Hex(const std::vector<std::uint8_t>& bytes) {
  core::Md5 md5;
  md5.update(bytes);
  const auto hex = core::Md5::toHex(md5.finish());
  return {hex.data(), hex.size()};
}

}  // namespace

std::string SimCloudRegistry::nextDid() {
  char digits[17];
  std::snprintf(digits, sizeof(digits), "%016llu", static_cast<unsigned long long>(++didCounter_));
  return std::string("simdid") + digits;  // 6 + 16 = kDidLength
}

const SimCloudDevice& SimCloudRegistry::registerDevice(std::string_view mac, std::string_view productKey,
                                                       std::string_view passcode, hal::Millis now) {
  for (SimCloudDevice& device : devices_) {
    if (device.mac == mac && device.productKey == productKey) {
      device.passcode = passcode;
      return device;
    }
  }
  SimCloudDevice device;
  device.did = nextDid();
  device.passcode = passcode;
  device.productKey = productKey;
  device.mac = mac;
  device.registeredAt = now;
  devices_.push_back(std::move(device));
  return devices_.back();
}

const SimCloudDevice& SimCloudRegistry::addDevice(SimCloudDevice device) {
  remove(device.did);
  devices_.push_back(std::move(device));
  return devices_.back();
}

const SimCloudDevice* SimCloudRegistry::find(std::string_view did) const {
  const auto it =
      std::find_if(devices_.begin(), devices_.end(), [did](const auto& d) { return d.did == did; });
  return it == devices_.end() ? nullptr : &*it;
}

bool SimCloudRegistry::authenticates(std::string_view did, std::string_view passcode) const {
  const SimCloudDevice* device = find(did);
  return device != nullptr && device->passcode == passcode;
}

bool SimCloudRegistry::remove(std::string_view did) {
  return std::erase_if(devices_, [did](const auto& d) { return d.did == did; }) > 0;
}

const SimCloudFirmware& SimCloudRegistry::publishFirmware(std::string_view hardwareVersion,
                                                          std::string_view softwareVersion, std::uint32_t fid,
                                                          std::vector<std::uint8_t> bytes) {
  SimCloudFirmware firmware;
  firmware.hardwareVersion = hardwareVersion;
  firmware.softwareVersion = softwareVersion;
  firmware.fid = fid;
  firmware.name =
      std::string(hardwareVersion) + "_" + std::string(softwareVersion) + "_" + std::to_string(fid);
  std::replace_if(
      firmware.name.begin(), firmware.name.end(), [](char c) { return !isPlainNameChar(c); }, '_');
  firmware.name += ".bin";
  firmware.md5Hex = md5Hex(bytes);
  firmware.bytes = std::move(bytes);
  // The same name again replaces the old image, so a download always gets what the check offered.
  std::erase_if(firmware_, [&](const auto& f) { return f.name == firmware.name; });
  firmware_.push_back(std::move(firmware));
  return firmware_.back();
}

const SimCloudFirmware* SimCloudRegistry::offer(std::string_view hardwareVersion,
                                                std::uint32_t currentFid) const {
  const auto newest = std::find_if(firmware_.rbegin(), firmware_.rend(),
                                   [&](const auto& f) { return f.hardwareVersion == hardwareVersion; });
  if (newest == firmware_.rend() || newest->fid == currentFid) return nullptr;
  return &*newest;
}

const SimCloudFirmware* SimCloudRegistry::firmwareNamed(std::string_view name) const {
  const auto it =
      std::find_if(firmware_.begin(), firmware_.end(), [name](const auto& f) { return f.name == name; });
  return it == firmware_.end() ? nullptr : &*it;
}

}  // namespace gagent::sim
