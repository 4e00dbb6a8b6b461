#include "gagent/stm32f2/system_clock.h"

#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {
namespace {

volatile hal::Millis gMillis = 0;

// Enough for the crystal (a few ms) and the PLL (< 1 ms) at 16 MHz; a dead crystal must not hang the boot.
constexpr std::uint32_t kReadyPolls = 200'000;

bool waitFor(std::uint32_t address, std::uint32_t mask, std::uint32_t value) {
  for (std::uint32_t i = 0; i < kReadyPolls; ++i) {
    if ((reg(address) & mask) == value) return true;
  }
  return false;
}

}  // namespace

ClockSetup configureClocks() {
  ClockSetup setup;
  // After reset the chip runs on the HSI, so a real RCC reads HSIRDY set; zero means no RCC is there.
  setup.rccPresent = (reg(rcc::kCr) & rcc::kCrHsiRdy) != 0;
  if (!setup.rccPresent) {
    // QEMU's netduino2 clocks its core (and SysTick) at a fixed 120 MHz whatever the RCC is told.
    setup.coreHz = kCoreHz;
    setup.apb1Hz = kCoreHz / 4;
    setup.apb2Hz = kCoreHz / 2;
    return setup;
  }
  reg(rcc::kCr) |= rcc::kCrHseOn;
  if (!waitFor(rcc::kCr, rcc::kCrHseRdy, rcc::kCrHseRdy)) return setup;  // no crystal: stay on the HSI
  // HSE 25 MHz / M 25 * N 240 / P 2 = 120 MHz core; / Q 5 = 48 MHz for USB and the RNG.
  constexpr std::uint32_t kM = 25, kN = 240, kPBits = 0, kQ = 5, kSourceHse = 1u << 22;
  reg(rcc::kPllCfgr) = kM | (kN << 6) | (kPBits << 16) | kSourceHse | (kQ << 24);
  reg(rcc::kCr) |= rcc::kCrPllOn;
  if (!waitFor(rcc::kCr, rcc::kCrPllRdy, rcc::kCrPllRdy)) return setup;
  // Three wait states at 120 MHz and 3.3 V (RM0033 table 3) before the switch, then APB1 /4, APB2 /2.
  reg(flash::kAcr) = flash::kAcrLatency3 | flash::kAcrCaches;
  constexpr std::uint32_t kApb1Div4 = 5u << 10, kApb2Div2 = 4u << 13;
  reg(rcc::kCfgr) = kApb1Div4 | kApb2Div2 | rcc::kCfgrSwPll;
  if (!waitFor(rcc::kCfgr, rcc::kCfgrSwsMask, rcc::kCfgrSwsPll)) return setup;
  setup.pllLocked = true;
  setup.coreHz = kCoreHz;
  setup.apb1Hz = kCoreHz / 4;
  setup.apb2Hz = kCoreHz / 2;
  return setup;
}

void startMillisecondTick(std::uint32_t coreHz) {
  reg(systick::kLoad) = coreHz / 1000 - 1;
  reg(systick::kVal) = 0;
  reg(systick::kCtrl) = systick::kEnable | systick::kTickInt | systick::kCoreClock;
}

hal::Millis millis() {
  InterruptGuard guard;  // 64 bits are two loads on a Cortex-M3: the tick must not land between them
  return gMillis;
}

}  // namespace gagent::stm32f2

extern "C" void SysTick_Handler() {
  gagent::stm32f2::gMillis = gagent::stm32f2::gMillis + 1;
}
