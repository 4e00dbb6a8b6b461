#pragma once
// The two status LEDs (S4.1) on push-pull GPIO outputs, active high: red on PB0, green on PB1.

#include "gagent/hal/system.h"

namespace gagent::stm32f2 {

class GpioLeds : public hal::Leds {
 public:
  void start();  // the GPIOB clock must run
  void set(bool redOn, bool greenOn) override;

  [[nodiscard]] bool red() const { return red_; }
  [[nodiscard]] bool green() const { return green_; }

 private:
  bool red_ = false;
  bool green_ = false;
};

}  // namespace gagent::stm32f2
