#pragma once
// Flash in memory with NOR semantics (erase -> 0xFF, programming only clears bits) and a power-cut switch:
// after a chosen number of byte operations every further erase/write fails, as if power went away mid-write.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "gagent/hal/flash.h"

namespace gagent::sim {

class SimFlash : public hal::Flash {
 public:
  SimFlash(std::size_t sectorCount, std::size_t sectorSize);

  [[nodiscard]] std::size_t size() const override { return bytes_.size(); }
  [[nodiscard]] std::size_t sectorSize() const override { return sectorSize_; }
  bool read(std::size_t offset, std::span<std::uint8_t> out) override;
  bool eraseSector(std::size_t offset) override;
  bool write(std::size_t offset, std::span<const std::uint8_t> data) override;

  // Power fails after `byteOperations` more bytes have been erased or programmed.
  void cutPowerAfter(std::size_t byteOperations) { budget_ = byteOperations; }
  void restorePower() { budget_.reset(); }
  [[nodiscard]] bool powerCut() const { return budget_ && *budget_ == 0; }
  // Bytes erased or programmed since construction (to enumerate every cut point of an operation).
  [[nodiscard]] std::size_t byteOperations() const { return operations_; }

  [[nodiscard]] const std::vector<std::uint8_t>& contents() const { return bytes_; }
  void setContents(std::vector<std::uint8_t> contents) { bytes_ = std::move(contents); }

 private:
  bool spend();
  std::vector<std::uint8_t> bytes_;
  std::size_t sectorSize_;
  std::optional<std::size_t> budget_;
  std::size_t operations_ = 0;
};

}  // namespace gagent::sim
