#include "gagent/stm32f2/stm32_board.h"

#include "gagent/stm32f2/memory_map.h"
#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {
namespace {

// The RAM pair survives a reset: start-up code neither copies nor zeroes this section.
[[gnu::section(".emulated_flash")]] RamFlash::Storage gEmulatedFlash;

}  // namespace

Stm32Board* Stm32Board::instance = nullptr;

Stm32Board::Stm32Board()
    : mcuUart_(usart::kUsart1, usart::kUsart1Irq),
      logUart_(usart::kUsart2, usart::kUsart2Irq),
      logSink_(logUart_),
      ramFlash_(gEmulatedFlash, &_storage_start),
      watchdog_(0) {
  instance = this;
}

void Stm32Board::start(core::LogHub& logs) {
  clocks_ = configureClocks();
  reg(rcc::kAhb1Enr) |= rcc::kAhb1GpioA | rcc::kAhb1GpioB;
  reg(rcc::kAhb2Enr) |= rcc::kAhb2Rng;
  reg(rcc::kApb1Enr) |= rcc::kApb1Usart2;
  reg(rcc::kApb2Enr) |= rcc::kApb2Usart1;
  // USART1 on PA9/PA10 and USART2 on PA2/PA3, alternate function 7.
  constexpr std::uint32_t kAf = 2, kAf7 = 7;
  std::uint32_t moder = reg(gpio::kPortA + gpio::kModer);
  for (unsigned pin : {2u, 3u, 9u, 10u}) moder = (moder & ~(3u << (2 * pin))) | (kAf << (2 * pin));
  reg(gpio::kPortA + gpio::kModer) = moder;
  reg(gpio::kPortA + gpio::kAfrl) |= (kAf7 << (4 * 2)) | (kAf7 << (4 * 3));
  reg(gpio::kPortA + gpio::kAfrh) |= (kAf7 << (4 * (9 - 8))) | (kAf7 << (4 * (10 - 8)));

  logUart_.start(clocks_.apb1Hz, kLogBaud);
  mcuUart_.start(clocks_.apb2Hz, kMcuBaud);
  startMillisecondTick(clocks_.coreHz);
  enableInterrupts();
  logs.attach(logSink_, core::LogLevel::Info);

  core::Logger log(logs, "board");
  if (!clocks_.rccPresent) {
    log.info("STM32F205, core at %lu MHz: no RCC answers (HSIRDY reads 0; an emulator), clocks left as given",
             static_cast<unsigned long>(clocks_.coreHz / 1'000'000));
  } else {
    log.info("STM32F205, core at %lu MHz (%s)", static_cast<unsigned long>(clocks_.coreHz / 1'000'000),
             clocks_.pllLocked ? "PLL on the 25 MHz crystal" : "HSI: the crystal or PLL did not start");
  }
  board_.emplace(
      hal::Board{mcuUart_, net_, dns_, radio_, chooseStorage(log), leds_, watchdog_, random_, system_});
  if (random_.start()) {
    log.info("entropy: the RNG peripheral");
  } else {
    log.warning(
        "entropy: the RNG peripheral never became ready; passcodes from a seeded xorshift (not for "
        "a product)");
  }
  leds_.start();
  watchdog_.start();
  log.info("watchdog: IWDG fed by the loop while the core fed it within %lu s (S12.4)",
           static_cast<unsigned long>(IwdgWatchdog::kCoreTimeout / 1000));
}

hal::Flash& Stm32Board::chooseStorage(core::Logger& log) {
  if (SectorFlash::controllerPresent()) {
    log.info("flash: config A/B in sectors 6-7, OTA area in sectors 8-11 (the flash controller)");
    return sectorFlash_;
  }
  log.warning(
      "flash: no flash controller answers (FLASH_CR reads 0; QEMU models none): config A/B in RAM "
      "at 0x%08lx, %u x %u B, %s",
      static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(ramFlash_.address())),
      static_cast<unsigned>(RamFlash::kSectors), static_cast<unsigned>(RamFlash::kSectorSize),
      ramFlash_.keptOverReset()     ? "kept over the last reset"
      : ramFlash_.seededFromImage() ? "seeded from the storage window (a saved pair)"
                                    : "blank");
  return ramFlash_;
}

}  // namespace gagent::stm32f2

extern "C" void USART1_IRQHandler() {
  gagent::stm32f2::Stm32Board::instance->mcuUart().onInterrupt();
}

extern "C" void USART2_IRQHandler() {
  gagent::stm32f2::Stm32Board::instance->logUart().onInterrupt();
}
