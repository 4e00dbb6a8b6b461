#include "gagent/stm32f2/chip_random.h"

#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {
namespace {
constexpr std::uint32_t kReadyPolls = 10'000;  // a word takes 40 periods of the 48 MHz clock
}  // namespace

bool ChipRandom::start() {
  reg(rng::kCr) = rng::kCrEnable;
  std::uint32_t probe = 0;
  hardware_ = nextHardwareWord(probe);
  for (int i = 0; i < 3; ++i) state_ ^= reg(kUniqueId + 4u * static_cast<std::uint32_t>(i));
  state_ ^= reg(systick::kVal) << 8;
  if (state_ == 0) state_ = 0x9E3779B9;
  return hardware_;
}

bool ChipRandom::nextHardwareWord(std::uint32_t& word) {
  for (std::uint32_t i = 0; i < kReadyPolls; ++i) {
    const std::uint32_t status = reg(rng::kSr);
    if ((status & rng::kSrErrors) != 0) return false;
    if ((status & rng::kSrReady) != 0) {
      word = reg(rng::kDr);
      return true;
    }
  }
  return false;
}

std::uint32_t ChipRandom::nextSoftwareWord() {
  // xorshift32, stirred with the SysTick phase at each call (the moment the app asks is not predictable).
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return state_ ^ reg(systick::kVal);
}

void ChipRandom::fill(std::span<std::uint8_t> out) {
  for (std::size_t i = 0; i < out.size(); i += 4) {
    std::uint32_t word = 0;
    if (!hardware_ || !nextHardwareWord(word)) word = nextSoftwareWord();
    for (std::size_t b = 0; b < 4 && i + b < out.size(); ++b)
      out[i + b] = static_cast<std::uint8_t>(word >> (8 * b));
  }
}

}  // namespace gagent::stm32f2
