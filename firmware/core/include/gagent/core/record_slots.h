#pragma once
// A record kept in two flash sectors (A/B) so that a power cut at any byte of a save leaves either the old or
// the new record readable, never a corrupt one.
//
// Slot layout: magic u32 | sequence u32 | length u16 | payload[length] | crc32 u32 (over everything before
// it). A save goes to the slot that does not hold the newest valid record, with sequence + 1; the CRC is
// written last, so an interrupted save leaves that slot invalid and the other one wins on the next load.

#include <cstddef>
#include <cstdint>
#include <span>

#include "gagent/hal/flash.h"

namespace gagent::core {

// What a load found in one slot (issue 16: a corrupt record used to fall back to defaults silently).
enum class SlotState : std::uint8_t {
  Blank,      // erased (magic FF FF FF FF): never written
  Valid,      // a whole record, CRC right
  ReadError,  // the flash refused the read
  Foreign,    // neither erased nor our magic: other data, or a header torn by a power cut
  BadLength,  // the length does not fit the sector
  BadCrc,     // the CRC does not match: an interrupted save, or the flash decayed
};
[[nodiscard]] const char* slotStateName(SlotState state);

class RecordSlots {
 public:
  static constexpr std::uint32_t kMagic = 0x47414346;  // "GACF"
  static constexpr std::size_t kOverhead = 4 + 4 + 2 + 4;

  // The two slots are the sectors at `firstSectorOffset` and the one after it.
  RecordSlots(hal::Flash& flash, std::size_t firstSectorOffset);

  // Copies the newest valid payload into `out` and returns its length; 0 when neither slot is valid
  // (a blank or corrupt flash: the caller uses defaults).
  std::size_t load(std::span<std::uint8_t> out);

  // Writes `payload` into the older slot. False if the flash refused or the payload does not fit a sector.
  [[nodiscard]] bool save(std::span<const std::uint8_t> payload);

  [[nodiscard]] std::size_t maxPayload() const;

  // What the last load found in slot 0 (A) or 1 (B), and which one it used (-1: none).
  [[nodiscard]] SlotState slotState(int slot) const { return states_[slot == 0 ? 0 : 1]; }
  [[nodiscard]] int loadedSlot() const { return newestSlot_; }
  [[nodiscard]] std::size_t slotOffset(int slot) const;

 private:
  struct SlotInfo {
    SlotState state = SlotState::ReadError;
    std::uint32_t sequence = 0;
    std::uint16_t length = 0;
  };
  SlotInfo inspect(int slot, std::span<std::uint8_t> payloadOut);
  // Which slot the last load/save found newest (-1: none yet), and its sequence.
  void refresh();

  hal::Flash& flash_;
  std::size_t base_;
  int newestSlot_ = -1;
  std::uint32_t newestSequence_ = 0;
  bool scanned_ = false;
  SlotState states_[2] = {SlotState::Blank, SlotState::Blank};
};

}  // namespace gagent::core
