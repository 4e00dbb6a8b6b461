#pragma once
// Where things live in the module's flash: the config record in the first two sectors (A/B slots), the OTA
// image area in every sector after them (S9.6: the image is written and checked there before the FID
// changes).

#include <cstddef>

#include "gagent/hal/flash.h"

namespace gagent::core {

inline constexpr std::size_t kConfigSectors = 2;

struct FlashRegion {
  std::size_t offset = 0;
  std::size_t size = 0;
};

inline FlashRegion otaRegion(const hal::Flash& flash) {
  const std::size_t start = kConfigSectors * flash.sectorSize();
  return start < flash.size() ? FlashRegion{start, flash.size() - start} : FlashRegion{};
}

}  // namespace gagent::core
