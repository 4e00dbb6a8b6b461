#pragma once
// The module's board: an STM32F205 with the MCU line on USART1 (9600 8N1), the log on USART2 (115200),
// SysTick time, the IWDG, config storage on flash sectors (or the RAM pair where no flash controller
// answers), LEDs on PB0/PB1 and, with no WiFi chip attached, an empty air and no network interface.

#include <optional>

#include "gagent/core/log.h"
#include "gagent/hal/hal.h"
#include "gagent/stm32f2/absent_wifi.h"
#include "gagent/stm32f2/chip_random.h"
#include "gagent/stm32f2/chip_system.h"
#include "gagent/stm32f2/gpio_leds.h"
#include "gagent/stm32f2/iwdg_watchdog.h"
#include "gagent/stm32f2/ram_flash.h"
#include "gagent/stm32f2/sector_flash.h"
#include "gagent/stm32f2/system_clock.h"
#include "gagent/stm32f2/usart_log_sink.h"
#include "gagent/stm32f2/usart_port.h"

namespace gagent::stm32f2 {

class Stm32Board {
 public:
  static constexpr std::uint32_t kMcuBaud = 9600;  // S3.2
  static constexpr std::uint32_t kLogBaud = 115200;

  Stm32Board();
  Stm32Board(const Stm32Board&) = delete;
  Stm32Board& operator=(const Stm32Board&) = delete;

  // Clocks, both USARTs, SysTick, interrupts, the log; then the storage, entropy, LEDs and the watchdog,
  // each reporting what it found in the log.
  void start(core::LogHub& logs);

  // After start().
  [[nodiscard]] hal::Board& hal() { return *board_; }
  UsartPort& mcuUart() { return mcuUart_; }
  UsartPort& logUart() { return logUart_; }
  UsartLogSink& logSink() { return logSink_; }
  IwdgWatchdog& watchdog() { return watchdog_; }
  ChipSystem& system() { return system_; }

  // From the interrupt handlers.
  static Stm32Board* instance;

 private:
  hal::Flash& chooseStorage(core::Logger& log);

  ClockSetup clocks_;
  UsartPort mcuUart_;
  UsartPort logUart_;
  UsartLogSink logSink_;
  EmptyAirRadio radio_;
  NoInterfaceNet net_;
  NoInterfaceDns dns_;
  SectorFlash sectorFlash_;
  RamFlash ramFlash_;
  GpioLeds leds_;
  IwdgWatchdog watchdog_;
  ChipRandom random_;
  ChipSystem system_;
  std::optional<hal::Board> board_;  // made in start(), once the storage is chosen
};

}  // namespace gagent::stm32f2
