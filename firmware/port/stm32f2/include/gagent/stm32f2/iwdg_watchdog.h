#pragma once
// S12.4 on the independent watchdog. The IWDG cannot wait 5 minutes (at most ~32 s on its ~32 kHz LSI), so
// the loop keeps it fed for as long as the core fed this watchdog within the last 5 minutes: a stuck loop
// resets through the IWDG within ~30 s, a core that stops feeding resets 5 minutes after its last feed.
// Where no IWDG is modelled (QEMU), a reset is asked of the core directly once the IWDG should have fired.

#include "gagent/hal/system.h"
#include "gagent/hal/types.h"

namespace gagent::stm32f2 {

class IwdgWatchdog : public hal::Watchdog {
 public:
  static constexpr hal::Millis kCoreTimeout = hal::minutes(5);  // S12.4
  static constexpr hal::Millis kIwdgTimeout = 32'768;           // LSI 32 kHz / 256 * 4096
  // Past the IWDG's worst case (a slow LSI, 17 kHz: ~62 s): the hardware did not reset us.
  static constexpr hal::Millis kBackstop = kCoreTimeout + hal::seconds(70);

  explicit IwdgWatchdog(hal::Millis now) : lastFeed_(now) {}

  void start();
  void feed() override { fed_ = true; }

  // From the loop, every pass: feeds the IWDG while the core's last feed is recent. True when the backstop
  // expired and the module must reset.
  bool service(hal::Millis now);

 private:
  hal::Millis lastFeed_;
  bool fed_ = false;
};

}  // namespace gagent::stm32f2
