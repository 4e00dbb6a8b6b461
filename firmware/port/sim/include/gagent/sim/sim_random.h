#pragma once
// Seeded entropy, so passcodes (S7.2.1) and random choices (S5.3) repeat from run to run.

#include <cstdint>
#include <random>

#include "gagent/hal/system.h"

namespace gagent::sim {

class SimRandom : public hal::Random {
 public:
  static constexpr std::uint64_t kDefaultSeed = std::mt19937_64::default_seed;

  explicit SimRandom(std::uint64_t seed = kDefaultSeed) : engine_(seed) {}

  void fill(std::span<std::uint8_t> out) override;
  void reseed(std::uint64_t seed) { engine_.seed(seed); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace gagent::sim
