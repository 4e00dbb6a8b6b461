#pragma once
// The module's DeviceConfig in flash: loaded once at boot (defaults when blank or corrupt), saved on change.
// A slot found corrupt is logged with the slot and the reason, and what the module fell back to (the other
// slot or the defaults); reportLoadProblems() says it again later, for a LAN log client that subscribes
// after boot (S13.3, issue 16).

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
  // Logs, as a warning, what the boot's load found wrong (nothing when both slots were fine or blank).
  void reportLoadProblems();

  [[nodiscard]] const DeviceConfig& config() const { return config_; }
  DeviceConfig& edit() { return config_; }

 private:
  // The boot's load: which slots were damaged, and whether the record that was read was unusable.
  [[nodiscard]] bool loadHadProblems() const;
  void logSlot(int slot);

  RecordSlots slots_;
  Logger log_;
  DeviceConfig config_;
  bool undecodable_ = false;  // the newest valid record had an unknown layout
};

}  // namespace gagent::core
