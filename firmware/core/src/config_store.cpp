#include "gagent/core/config_store.h"

#include <array>

namespace gagent::core {

ConfigStore::ConfigStore(hal::Flash& flash, LogHub& logs)
    : slots_(flash, kConfigOffset), log_(logs, "config") {}

bool ConfigStore::load() {
  std::array<std::uint8_t, kDeviceConfigMaxBytes> buffer{};
  const std::size_t length = slots_.load(buffer);
  if (length == 0) {
    log_.info("no stored config, using defaults");
    config_ = DeviceConfig{};
    return false;
  }
  DeviceConfig loaded;
  if (!decodeDeviceConfig(std::span(buffer).first(length), loaded)) {
    log_.warning("stored config has an unknown layout, using defaults");
    config_ = DeviceConfig{};
    return false;
  }
  config_ = loaded;
  return true;
}

bool ConfigStore::save() {
  std::array<std::uint8_t, kDeviceConfigMaxBytes> buffer{};
  const std::size_t length = encodeDeviceConfig(config_, buffer);
  if (length == 0 || !slots_.save(std::span(buffer).first(length))) {
    log_.error("config save failed");
    return false;
  }
  return true;
}

}  // namespace gagent::core
