#pragma once
// Entropy for passcodes (protocol §9) from the STM32F205's true random number generator. Where it never
// becomes ready (QEMU does not model it) a xorshift generator seeded from the unique ID and the SysTick phase
// stands in, and the board says so in its log: fine for an emulated module, not for a product.

#include <cstdint>

#include "gagent/hal/system.h"

namespace gagent::stm32f2 {

class ChipRandom : public hal::Random {
 public:
  // Enables the RNG (its AHB2 clock must run) and probes it once. False: the fallback generator is in use.
  bool start();
  void fill(std::span<std::uint8_t> out) override;

 private:
  bool nextHardwareWord(std::uint32_t& word);
  std::uint32_t nextSoftwareWord();

  bool hardware_ = false;
  std::uint32_t state_ = 0x9E3779B9;
};

}  // namespace gagent::stm32f2
