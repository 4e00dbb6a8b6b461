#pragma once
// Everything the firmware core needs from a board, gathered for injection into the core.

#include "gagent/hal/dns.h"
#include "gagent/hal/flash.h"
#include "gagent/hal/net.h"
#include "gagent/hal/radio.h"
#include "gagent/hal/system.h"
#include "gagent/hal/types.h"
#include "gagent/hal/uart.h"

namespace gagent::hal {

struct Board {
  Uart& uart;
  Net& net;
  Dns& dns;
  Radio& radio;
  Flash& flash;
  Leds& leds;
  Watchdog& watchdog;
  Random& random;
  System& system;
};

}  // namespace gagent::hal
