#pragma once
// Types shared by every HAL interface. The core never reads a clock itself: the port passes `Millis now`
// into every call that needs the time (architecture practice 3).

#include <cstdint>

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
