#include "gagent/sim/sim_flash.h"

namespace gagent::sim {

SimFlash::SimFlash(std::size_t sectorCount, std::size_t sectorSize)
    : bytes_(sectorCount * sectorSize, 0xFF), sectorSize_(sectorSize) {}

bool SimFlash::spend() {
  if (budget_) {
    if (*budget_ == 0) return false;
    --*budget_;
  }
  ++operations_;
  return true;
}

bool SimFlash::read(std::size_t offset, std::span<std::uint8_t> out) {
  if (offset > bytes_.size() || out.size() > bytes_.size() - offset) return false;
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = bytes_[offset + i];
  return true;
}

bool SimFlash::eraseSector(std::size_t offset) {
  if (offset % sectorSize_ != 0 || offset >= bytes_.size()) return false;
  for (std::size_t i = 0; i < sectorSize_; ++i) {
    if (!spend()) return false;
    bytes_[offset + i] = 0xFF;
  }
  return true;
}

bool SimFlash::write(std::size_t offset, std::span<const std::uint8_t> data) {
  if (offset > bytes_.size() || data.size() > bytes_.size() - offset) return false;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!spend()) return false;
    bytes_[offset + i] &= data[i];  // NOR: programming can only clear bits
  }
  return true;
}

}  // namespace gagent::sim
