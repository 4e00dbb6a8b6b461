#pragma once
// Incremental MD5 (RFC 1321) for the OTA image check of S9.6: the image streams through in pieces and is
// never held whole in memory.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace gagent::core {

class Md5 {
 public:
  using Digest = std::array<std::uint8_t, 16>;

  void update(std::span<const std::uint8_t> data);
  Digest finish();
  // Lower-case hex of a digest, as the Firmware-MD5 header carries it.
  static std::array<char, 32> toHex(const Digest& digest);
  // Compares a digest with 32 hex characters, either case.
  static bool matchesHex(const Digest& digest, std::string_view hex);

 private:
  void transform(const std::uint8_t* block);
  std::array<std::uint32_t, 4> state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  std::array<std::uint8_t, 64> buffer_{};
  std::uint64_t length_ = 0;  // bytes hashed so far
};

}  // namespace gagent::core
