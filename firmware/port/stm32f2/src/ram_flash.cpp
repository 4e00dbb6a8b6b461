#include "gagent/stm32f2/ram_flash.h"

#include <algorithm>
#include <cstring>

namespace gagent::stm32f2 {

RamFlash::RamFlash(Storage& storage, const std::uint8_t* coldImage) : storage_(storage) {
  if (storage_.magic == kMagic) {
    kept_ = true;
    return;
  }
  const std::uint8_t* end = coldImage + storage_.bytes.size();
  if (std::all_of(coldImage, end, [](std::uint8_t b) { return b == 0; })) {
    storage_.bytes.fill(0xFF);
  } else {
    std::copy(coldImage, end, storage_.bytes.begin());
    seeded_ = true;
  }
  storage_.magic = kMagic;
}

bool RamFlash::read(std::size_t offset, std::span<std::uint8_t> out) {
  if (offset > size() || out.size() > size() - offset) return false;
  std::memcpy(out.data(), storage_.bytes.data() + offset, out.size());
  return true;
}

bool RamFlash::eraseSector(std::size_t offset) {
  if (offset % kSectorSize != 0 || offset >= size()) return false;
  std::fill_n(storage_.bytes.begin() + static_cast<std::ptrdiff_t>(offset), kSectorSize, std::uint8_t{0xFF});
  return true;
}

bool RamFlash::write(std::size_t offset, std::span<const std::uint8_t> data) {
  if (offset > size() || data.size() > size() - offset) return false;
  // Programming flash can only clear bits.
  for (std::size_t i = 0; i < data.size(); ++i) storage_.bytes[offset + i] &= data[i];
  return true;
}

}  // namespace gagent::stm32f2
