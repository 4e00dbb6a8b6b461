#pragma once
// hal::Flash on the STM32F2's own flash controller: the storage window of equal 128 KiB sectors (6-11) after
// the firmware. Erase and program go through the controller (unlock, SER/PG, BSY, lock); reads are plain
// loads from the memory-mapped flash. Every wait on BSY is bounded.

#include <cstddef>
#include <cstdint>

#include "gagent/hal/flash.h"

namespace gagent::stm32f2 {

class SectorFlash : public hal::Flash {
 public:
  static constexpr std::uint32_t kWindowBase = 0x08040000;  // sector 6
  static constexpr unsigned kFirstSector = 6;
  static constexpr std::size_t kSectorSize = 128 * 1024;
  static constexpr std::size_t kSectors = 6;

  // After a reset the controller is locked: LOCK reads 1. Zero means there is no controller to drive.
  static bool controllerPresent();

  [[nodiscard]] std::size_t size() const override { return kSectors * kSectorSize; }
  [[nodiscard]] std::size_t sectorSize() const override { return kSectorSize; }
  bool read(std::size_t offset, std::span<std::uint8_t> out) override;
  bool eraseSector(std::size_t offset) override;
  bool write(std::size_t offset, std::span<const std::uint8_t> data) override;

 private:
  [[nodiscard]] bool inWindow(std::size_t offset, std::size_t length) const {
    return offset <= size() && length <= size() - offset;
  }
};

}  // namespace gagent::stm32f2
