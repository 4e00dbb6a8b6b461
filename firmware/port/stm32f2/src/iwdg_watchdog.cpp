#include "gagent/stm32f2/iwdg_watchdog.h"

#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {

void IwdgWatchdog::start() {
  reg(iwdg::kKr) = iwdg::kKeyStart;  // starts the LSI too
  reg(iwdg::kKr) = iwdg::kKeyUnlock;
  reg(iwdg::kPr) = 6;  // divide by 256
  reg(iwdg::kRlr) = 0xFFF;
  reg(iwdg::kKr) = iwdg::kKeyFeed;
}

bool IwdgWatchdog::service(hal::Millis now) {
  if (fed_) {
    fed_ = false;
    lastFeed_ = now;
  }
  if (now - lastFeed_ < kCoreTimeout) reg(iwdg::kKr) = iwdg::kKeyFeed;
  return now - lastFeed_ >= kBackstop;
}

}  // namespace gagent::stm32f2
