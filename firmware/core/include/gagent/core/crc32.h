#pragma once
// CRC-32 (IEEE 802.3, reflected, as zlib) for stored records.

#include <cstdint>
#include <span>

namespace gagent::core {

std::uint32_t crc32(std::span<const std::uint8_t> data, std::uint32_t seed = 0);

}  // namespace gagent::core
