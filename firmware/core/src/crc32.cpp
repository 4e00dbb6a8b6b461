#include "gagent/core/crc32.h"

namespace gagent::core {

std::uint32_t crc32(std::span<const std::uint8_t> data, std::uint32_t seed) {
  // Bitwise form: records are small and written rarely, so a 1 KiB table is not worth its RAM here.
  std::uint32_t crc = ~seed;
  for (std::uint8_t byte : data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace gagent::core
