#pragma once
// The length varint shared by the LAN "Hi" framing and MQTT's remaining length: 7 bits per byte,
// least-significant group first, 0x80 = more bytes follow, at most 4 bytes (max 268'435'455).

#include <cstddef>
#include <cstdint>

#include "gagent/proto/bytes.h"

namespace gagent::proto {

inline constexpr std::size_t kVarintMaxBytes = 4;
inline constexpr std::uint32_t kVarintMaxValue = 268'435'455;

struct VarintDecode {
  ParseStatus status = ParseStatus::NeedMore;
  std::uint32_t value = 0;
  std::size_t consumed = 0;  // bytes of the varint, valid when status == Ok
  // False when the value had fitted in fewer bytes (`83 80 00` for 3). MQTT 3.1.1 tolerates that; the LAN
  // framing refuses it (issue 16): one value, one encoding, so a filter or a log cannot be fooled.
  bool shortest = true;
};

// Decodes a varint at the start of `in`. Malformed if a fifth byte would be needed.
VarintDecode decodeVarint(Bytes in);

// Number of bytes encodeVarint writes for `value` (0 if value > kVarintMaxValue).
std::size_t varintSize(std::uint32_t value);

// Appends the varint to the writer; sets the writer's error flag if value > kVarintMaxValue.
void encodeVarint(ByteWriter& out, std::uint32_t value);

}  // namespace gagent::proto
