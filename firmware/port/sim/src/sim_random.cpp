#include "gagent/sim/sim_random.h"

namespace gagent::sim {

void SimRandom::fill(std::span<std::uint8_t> out) {
  // One 64-bit draw per 8 bytes, least significant byte first; a partial tail discards the rest.
  for (std::size_t i = 0; i < out.size(); i += 8) {
    std::uint64_t word = engine_();
    for (std::size_t j = i; j < out.size() && j < i + 8; ++j) {
      out[j] = static_cast<std::uint8_t>(word & 0xFF);
      word >>= 8;
    }
  }
}

}  // namespace gagent::sim
