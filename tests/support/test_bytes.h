#pragma once
// Byte helpers for the codec tests: protocol vectors are written as hex text, as the protocol reference does.
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace gagent::test {

using ByteVector = std::vector<std::uint8_t>;

// "FF FF 00 05" -> bytes; anything that is not a hex digit (spaces, dashes) is skipped.
inline ByteVector hex(std::string_view text) {
  ByteVector out;
  int high = -1;
  for (char c : text) {
    int nibble = -1;
    if (c >= '0' && c <= '9') nibble = c - '0';
    if (c >= 'A' && c <= 'F') nibble = c - 'A' + 10;
    if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
    if (nibble < 0) continue;
    if (high < 0) {
      high = nibble;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + nibble));
      high = -1;
    }
  }
  return out;
}

inline ByteVector text(std::string_view value) {
  return ByteVector(value.begin(), value.end());
}

inline ByteVector concat(std::initializer_list<ByteVector> parts) {
  ByteVector out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace gagent::test
