#pragma once
// The module's DeviceConfig in flash: loaded once at boot (defaults when blank or corrupt), saved on change.

#include <cstddef>

#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/record_slots.h"
#include "gagent/hal/flash.h"

namespace gagent::core {

class ConfigStore {
 public:
  // The config occupies the first two sectors of the flash.
  static constexpr std::size_t kConfigOffset = 0;

  ConfigStore(hal::Flash& flash, LogHub& logs);

  // Reads flash; returns false (and keeps defaults) when no valid record exists.
  bool load();
  [[nodiscard]] bool save();

  [[nodiscard]] const DeviceConfig& config() const { return config_; }
  DeviceConfig& edit() { return config_; }

 private:
  RecordSlots slots_;
  Logger log_;
  DeviceConfig config_;
};

}  // namespace gagent::core
