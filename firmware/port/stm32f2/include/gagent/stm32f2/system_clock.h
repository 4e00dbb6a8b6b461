#pragma once
// The board's clocks: the PLL from the 25 MHz crystal to a 120 MHz core, and the millisecond time base the
// core runs on (SysTick, one interrupt per millisecond).

#include <cstdint>

#include "gagent/hal/types.h"

namespace gagent::stm32f2 {

inline constexpr std::uint32_t kCoreHz = 120'000'000;  // the STM32F205's maximum; QEMU's netduino2 runs at it
inline constexpr std::uint32_t kHsiHz = 16'000'000;    // the internal oscillator the chip resets to

struct ClockSetup {
  bool rccPresent = false;  // false: nothing answers at the RCC (an emulator without a clock model)
  bool pllLocked = false;
  std::uint32_t coreHz = kHsiHz;
  std::uint32_t apb1Hz = kHsiHz;
  std::uint32_t apb2Hz = kHsiHz;
};

// Every wait on a ready bit is bounded: where the RCC is not modelled the bits never come.
ClockSetup configureClocks();

// Starts the 1 kHz SysTick from the core clock.
void startMillisecondTick(std::uint32_t coreHz);

// Milliseconds since the tick started.
hal::Millis millis();

}  // namespace gagent::stm32f2
