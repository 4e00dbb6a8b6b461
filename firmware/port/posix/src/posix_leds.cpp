#include "gagent/posix/posix_leds.h"

namespace gagent::posix {

void PosixLeds::set(bool redOn, bool greenOn) {
  if (known_ && redOn == red_ && greenOn == green_) return;
  known_ = true;
  red_ = redOn;
  green_ = greenOn;
  // Debug: blinking patterns change the LEDs several times a second.
  log_.debug("red %s green %s", redOn ? "on" : "off", greenOn ? "on" : "off");
}

}  // namespace gagent::posix
