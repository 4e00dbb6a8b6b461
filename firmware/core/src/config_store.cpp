#include "gagent/core/config_store.h"

#include <array>

namespace gagent::core {

ConfigStore::ConfigStore(hal::Flash& flash, LogHub& logs)
    : slots_(flash, kConfigOffset), log_(logs, "config") {}

namespace {

char slotName(int slot) {
  return slot == 0 ? 'A' : 'B';
}

bool damaged(SlotState state) {
  return state != SlotState::Valid && state != SlotState::Blank;
}

}  // namespace

bool ConfigStore::load() {
  std::array<std::uint8_t, kDeviceConfigMaxBytes> buffer{};
  const std::size_t length = slots_.load(buffer);
  undecodable_ = false;
  DeviceConfig loaded;
  if (length > 0 && !decodeDeviceConfig(std::span(buffer).first(length), loaded)) undecodable_ = true;
  config_ = length > 0 && !undecodable_ ? loaded : DeviceConfig{};
  if (loadHadProblems()) {
    reportLoadProblems();
  } else if (length == 0) {
    log_.info("no stored config, using defaults");
  }
  return length > 0 && !undecodable_;
}

bool ConfigStore::loadHadProblems() const {
  return undecodable_ || damaged(slots_.slotState(0)) || damaged(slots_.slotState(1));
}

void ConfigStore::reportLoadProblems() {
  if (!loadHadProblems()) return;
  for (int slot = 0; slot < 2; ++slot) logSlot(slot);
  const int used = slots_.loadedSlot();
  if (used < 0 || undecodable_) {
    log_.warning("config: using the defaults (Wi-Fi, passcode and cloud registration are lost)");
  } else {
    log_.warning("config: using slot %c, the last good save", slotName(used));
  }
}

void ConfigStore::logSlot(int slot) {
  const SlotState state = slots_.slotState(slot);
  if (damaged(state)) {
    log_.warning("config slot %c (flash 0x%X) is corrupt: %s", slotName(slot),
                 static_cast<unsigned>(slots_.slotOffset(slot)), slotStateName(state));
  } else if (state == SlotState::Valid && slot == slots_.loadedSlot() && undecodable_) {
    log_.warning("config slot %c has an unknown layout (a newer or older firmware wrote it)", slotName(slot));
  }
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
