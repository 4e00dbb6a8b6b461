#pragma once
// One boot of the module's hardware: the parts a reset starts afresh (sockets, radio, resolver, LEDs,
// entropy, identity) owned here, and the parts that survive a reset (the flash file, the serial line, the
// watchdog) borrowed from the process. gagent-sim builds a PosixBoard and a core::Agent for every boot.

#include <optional>

#include "gagent/core/log.h"
#include "gagent/hal/hal.h"
#include "gagent/posix/file_flash.h"
#include "gagent/posix/posix_dns.h"
#include "gagent/posix/posix_leds.h"
#include "gagent/posix/posix_net.h"
#include "gagent/posix/posix_radio.h"
#include "gagent/posix/posix_random.h"
#include "gagent/posix/posix_system.h"
#include "gagent/posix/posix_uart.h"

namespace gagent::posix {

struct PosixBoardSettings {
  hal::Ipv4 address;  // the module's 127.0.0.N
  hal::MacAddress mac{};
  std::optional<hal::Endpoint> air;   // the virtual air; none = an empty field
  std::optional<std::uint64_t> seed;  // deterministic entropy for tests
};

class PosixBoard {
 public:
  PosixBoard(const PosixBoardSettings& settings, FileFlash& flash, hal::Uart& uart, hal::Watchdog& watchdog,
             core::LogHub& logs, hal::Millis now);
  PosixBoard(const PosixBoard&) = delete;
  PosixBoard& operator=(const PosixBoard&) = delete;

  [[nodiscard]] hal::Board& hal() { return board_; }

  PosixNet& net() { return net_; }
  PosixDns& dns() { return dns_; }
  PosixRadio& radio() { return radio_; }
  PosixSystem& system() { return system_; }
  hal::Uart& uart() { return uart_; }

 private:
  hal::Uart& uart_;  // the pty, or the pty paced at the baud rate (paced_uart.h)
  PosixNet net_;
  PosixDns dns_;
  PosixRadio radio_;
  PosixLeds leds_;
  PosixRandom random_;
  PosixSystem system_;
  hal::Board board_;
};

}  // namespace gagent::posix
