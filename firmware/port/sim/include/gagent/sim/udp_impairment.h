#pragma once
// What a lossy WiFi does to UDP datagrams, for measuring onboarding (S6.1.2) in virtual time: each datagram
// is lost, or arrives once, or twice (a duplicate), each copy after its own delay. Reordering comes from the
// per-copy delay: a uniform jitter, plus (with probability `reorder`) a long extra delay that puts the copy
// behind datagrams sent after it. Decisions are drawn from a seeded generator, so a run repeats exactly.
//
// All probabilities 0 and no delay (the default) is an ideal network: SimNet then delivers at once, as it
// always has, and no random number is drawn.

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>

#include "gagent/hal/types.h"

namespace gagent::sim {

struct UdpImpairment {
  double loss = 0.0;         // probability a datagram never arrives
  double duplicate = 0.0;    // probability a datagram that arrives arrives twice
  double reorder = 0.0;      // probability a copy gets `reorderDelay` on top of its jitter
  hal::Millis minDelay = 0;  // every copy: at least this
  hal::Millis jitter = 0;    // plus uniform 0..jitter
  hal::Millis reorderDelay = 0;

  [[nodiscard]] bool active() const {
    return loss > 0.0 || duplicate > 0.0 || (reorder > 0.0 && reorderDelay > 0) || minDelay > 0 || jitter > 0;
  }
};

// SplitMix64 (Steele, Lea, Flood 2014): a UniformRandomBitGenerator whose seeding costs nothing. A world
// is built per trial and seeds several streams, where std::mt19937_64's 312-word state showed in profiles.
class SplitMix64 {
 public:
  using result_type = std::uint64_t;
  explicit SplitMix64(std::uint64_t seed = 0) : state_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return UINT64_MAX; }
  result_type operator()() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  void seed(std::uint64_t seed) { state_ = seed; }

 private:
  std::uint64_t state_;
};

// The fate of one datagram: `copies` arrivals (0 = lost), each `delays[i]` after it was sent.
struct DatagramFate {
  std::size_t copies = 1;
  std::array<hal::Millis, 2> delays{};
};

class UdpImpairer {
 public:
  explicit UdpImpairer(std::uint64_t seed = 0) : engine_(seed) {}
  void reseed(std::uint64_t seed) { engine_.seed(seed); }

  DatagramFate decide(const UdpImpairment& impairment);
  // One Bernoulli draw, for models built on the same generator (the one-shot air).
  bool chance(double probability);
  hal::Millis delay(const UdpImpairment& impairment);

 private:
  SplitMix64 engine_;
};

}  // namespace gagent::sim
