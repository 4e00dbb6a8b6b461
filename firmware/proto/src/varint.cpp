#include "gagent/proto/varint.h"

namespace gagent::proto {

VarintDecode decodeVarint(Bytes in) {
  VarintDecode result;
  std::uint32_t multiplier = 1;
  for (std::size_t i = 0; i < kVarintMaxBytes; ++i) {
    if (i >= in.size()) return result;  // NeedMore
    const std::uint8_t byte = in[i];
    result.value += static_cast<std::uint32_t>(byte & 0x7F) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) == 0) {
      result.status = ParseStatus::Ok;
      result.consumed = i + 1;
      result.shortest = byte != 0 || i == 0;
      return result;
    }
  }
  result.status = ParseStatus::Malformed;
  result.value = 0;
  return result;
}

std::size_t varintSize(std::uint32_t value) {
  if (value > kVarintMaxValue) return 0;
  std::size_t n = 1;
  while (value >= 128) {
    value /= 128;
    ++n;
  }
  return n;
}

void encodeVarint(ByteWriter& out, std::uint32_t value) {
  if (value > kVarintMaxValue) {
    out.fail();
    return;
  }
  do {
    auto byte = static_cast<std::uint8_t>(value % 128);
    value /= 128;
    if (value > 0) byte |= 0x80;
    out.u8(byte);
  } while (value > 0);
}

}  // namespace gagent::proto
