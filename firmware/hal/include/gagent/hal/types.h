#pragma once
// Types shared by every HAL interface. The core never reads a clock itself: the port passes `Millis now`
// into every call that needs the time (architecture practice 3).

#include <array>
#include <cstdint>
#include <string_view>

namespace gagent::hal {

// Milliseconds since the port started the core. Monotonic; never wraps in practice (64 bits).
using Millis = std::uint64_t;

inline constexpr Millis kNever = UINT64_MAX;

constexpr Millis seconds(std::uint64_t s) {
  return s * 1000;
}
constexpr Millis minutes(std::uint64_t m) {
  return m * 60'000;
}
constexpr Millis hours(std::uint64_t h) {
  return h * 3'600'000;
}

// IPv4 address in host byte order (0x7F000001 = 127.0.0.1).
struct Ipv4 {
  std::uint32_t value = 0;
  friend constexpr bool operator==(Ipv4, Ipv4) = default;
  [[nodiscard]] constexpr bool isUnset() const { return value == 0; }
};

constexpr Ipv4 ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return Ipv4{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d};
}

// "192.168.1.2" in a fixed buffer (no heap): for logs, the 0x22 module info and the ports' text protocols.
struct Ipv4Text {
  std::array<char, 16> chars{};  // NUL-terminated
  [[nodiscard]] const char* c_str() const { return chars.data(); }
  [[nodiscard]] std::string_view view() const { return chars.data(); }
};

constexpr Ipv4Text toText(Ipv4 ip) {
  Ipv4Text out;
  std::size_t n = 0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const unsigned octet = (ip.value >> shift) & 0xFFu;
    if (octet >= 100) out.chars[n++] = static_cast<char>('0' + octet / 100);
    if (octet >= 10) out.chars[n++] = static_cast<char>('0' + octet / 10 % 10);
    out.chars[n++] = static_cast<char>('0' + octet % 10);
    if (shift != 0) out.chars[n++] = '.';
  }
  return out;
}

struct Endpoint {
  Ipv4 ip;
  std::uint16_t port = 0;
  friend constexpr bool operator==(Endpoint, Endpoint) = default;
};

// Outcome of a non-blocking I/O call: bytes moved, nothing to do now, or the channel is gone.
struct IoResult {
  enum class Kind : std::uint8_t { Done, WouldBlock, Closed, Error };
  Kind kind = Kind::WouldBlock;
  std::size_t bytes = 0;

  static constexpr IoResult done(std::size_t n) { return {Kind::Done, n}; }
  static constexpr IoResult wouldBlock() { return {Kind::WouldBlock, 0}; }
  static constexpr IoResult closed() { return {Kind::Closed, 0}; }
  static constexpr IoResult error() { return {Kind::Error, 0}; }
  [[nodiscard]] constexpr bool isDone() const { return kind == Kind::Done; }
};

}  // namespace gagent::hal
