#pragma once
// Entropy for passcodes (S7.2.1): the kernel's getrandom, or a fixed-seed stream (--seed N) so a test can
// predict what a module generates.

#include <cstdint>
#include <optional>

#include "gagent/hal/system.h"

namespace gagent::posix {

class PosixRandom : public hal::Random {
 public:
  explicit PosixRandom(std::optional<std::uint64_t> seed = std::nullopt) : seeded_(seed.has_value()) {
    if (seed) state_ = *seed;
  }

  void fill(std::span<std::uint8_t> out) override;

 private:
  std::uint64_t next();  // splitmix64

  bool seeded_;
  std::uint64_t state_ = 0;
};

}  // namespace gagent::posix
