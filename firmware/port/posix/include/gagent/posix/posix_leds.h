#pragma once
// The module's two LEDs on the host: a change of either is logged (the lab has no lamps to look at).

#include "gagent/core/log.h"
#include "gagent/hal/system.h"

namespace gagent::posix {

class PosixLeds : public hal::Leds {
 public:
  explicit PosixLeds(core::LogHub& logs) : log_(logs, "leds") {}

  void set(bool redOn, bool greenOn) override;

  [[nodiscard]] bool red() const { return red_; }
  [[nodiscard]] bool green() const { return green_; }

 private:
  core::Logger log_;
  bool known_ = false;  // the first set() is always logged
  bool red_ = false;
  bool green_ = false;
};

}  // namespace gagent::posix
