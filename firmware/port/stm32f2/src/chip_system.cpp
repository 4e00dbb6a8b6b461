#include "gagent/stm32f2/chip_system.h"

#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {

hal::MacAddress ChipSystem::mac() {
  // FNV-1a over the unique ID; 02:xx: locally administered, unicast. (QEMU's ID reads zero: a fixed MAC.)
  std::uint32_t hash = 2166136261u;
  for (std::uint32_t i = 0; i < 12; ++i) {
    const auto byte = static_cast<std::uint8_t>(reg(kUniqueId + (i & ~3u)) >> (8 * (i & 3u)));
    hash = (hash ^ byte) * 16777619u;
  }
  return {0x02,
          0x47,
          0x41,
          static_cast<std::uint8_t>(hash >> 16),
          static_cast<std::uint8_t>(hash >> 8),
          static_cast<std::uint8_t>(hash)};
}

}  // namespace gagent::stm32f2
