#pragma once
// One simulated module and its surroundings: the virtual clock, one of each fake, and the hal::Board the
// core is built on. Tests and the rig's virtual-time mode reach the test side through the accessors.

#include <cstddef>
#include <cstdint>

#include "gagent/hal/hal.h"
#include "gagent/sim/sim_dns.h"
#include "gagent/sim/sim_flash.h"
#include "gagent/sim/sim_leds.h"
#include "gagent/sim/sim_net.h"
#include "gagent/sim/sim_radio.h"
#include "gagent/sim/sim_random.h"
#include "gagent/sim/sim_system.h"
#include "gagent/sim/sim_uart.h"
#include "gagent/sim/sim_watchdog.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

struct SimBoardOptions {
  std::size_t flashSectors = 16;
  std::size_t flashSectorSize = 4096;
  std::uint64_t randomSeed = SimRandom::kDefaultSeed;
  Millis startTime = 0;
};

class SimBoard {
 public:
  explicit SimBoard(const SimBoardOptions& options = {});
  SimBoard(const SimBoard&) = delete;
  SimBoard& operator=(const SimBoard&) = delete;

  [[nodiscard]] hal::Board& hal() { return board_; }

  VirtualClock& clock() { return clock_; }
  SimUart& uart() { return uart_; }
  SimNet& net() { return net_; }
  SimDns& dns() { return dns_; }
  SimRadio& radio() { return radio_; }
  SimFlash& flash() { return flash_; }
  SimLeds& leds() { return leds_; }
  SimWatchdog& watchdog() { return watchdog_; }
  SimRandom& random() { return random_; }
  SimSystem& system() { return system_; }

  // What a reset does to the hardware before a fresh core starts on the same flash: module sockets gone
  // (their connections break), radio back to idle, UART buffers empty, watchdog re-armed, reboot request
  // cleared. The air, the peers, the flash and all records are kept.
  void restartModule();

 private:
  // Declaration order matters: the clock outlives every fake that schedules on it.
  VirtualClock clock_;
  SimUart uart_;
  SimNet net_;
  SimDns dns_;
  SimRadio radio_;
  SimFlash flash_;
  SimLeds leds_;
  SimWatchdog watchdog_;
  SimRandom random_;
  SimSystem system_;
  hal::Board board_;
};

}  // namespace gagent::sim
