#pragma once
// The config pair in RAM, for boards where no flash controller answers (QEMU's netduino2 maps its flash as
// ROM and models no controller). It keeps the hal::Flash rules (erase to 0xFF, program clears bits only) and
// lives in a section start-up code leaves alone, so a module reboot (SYSRESETREQ keeps SRAM) finds its
// config again. On a cold start it is seeded from the first bytes of the storage window, which is where
// scripts/qemu-module --flash loads a saved pair.

#include <array>
#include <cstddef>
#include <cstdint>

#include "gagent/hal/flash.h"

namespace gagent::stm32f2 {

class RamFlash : public hal::Flash {
 public:
  static constexpr std::size_t kSectorSize = 1024;  // > the config record's 512 B payload and its framing
  static constexpr std::size_t kSectors = 2;        // config A/B; no OTA area in the emulated run

  struct Storage {
    std::uint32_t magic;  // kMagic once seeded: survives a reset, not a power cycle
    std::array<std::uint8_t, kSectors * kSectorSize> bytes;
  };
  static constexpr std::uint32_t kMagic = 0x52414D46;  // "RAMF"

  // Seeds `storage` from `coldImage` unless it already holds a pair from before the last reset. `coldImage`
  // reading as all zeros (QEMU's unloaded ROM) counts as erased flash.
  RamFlash(Storage& storage, const std::uint8_t* coldImage);

  [[nodiscard]] bool seededFromImage() const { return seeded_; }
  [[nodiscard]] bool keptOverReset() const { return kept_; }
  [[nodiscard]] const void* address() const { return storage_.bytes.data(); }

  [[nodiscard]] std::size_t size() const override { return storage_.bytes.size(); }
  [[nodiscard]] std::size_t sectorSize() const override { return kSectorSize; }
  bool read(std::size_t offset, std::span<std::uint8_t> out) override;
  bool eraseSector(std::size_t offset) override;
  bool write(std::size_t offset, std::span<const std::uint8_t> data) override;

 private:
  Storage& storage_;
  bool seeded_ = false;
  bool kept_ = false;
};

}  // namespace gagent::stm32f2
