#include "gagent/stm32f2/gpio_leds.h"

#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {
namespace {
constexpr unsigned kRedPin = 0;
constexpr unsigned kGreenPin = 1;
}  // namespace

void GpioLeds::start() {
  constexpr std::uint32_t kOutput = 1;
  std::uint32_t moder = reg(gpio::kPortB + gpio::kModer);
  moder &= ~((3u << (2 * kRedPin)) | (3u << (2 * kGreenPin)));
  moder |= (kOutput << (2 * kRedPin)) | (kOutput << (2 * kGreenPin));
  reg(gpio::kPortB + gpio::kModer) = moder;
  set(false, false);
}

void GpioLeds::set(bool redOn, bool greenOn) {
  red_ = redOn;
  green_ = greenOn;
  // BSRR: the low half sets pins, the high half resets them, in one write.
  const auto bit = [](unsigned pin, bool on) { return on ? 1u << pin : 1u << (pin + 16); };
  reg(gpio::kPortB + gpio::kBsrr) = bit(kRedPin, redOn) | bit(kGreenPin, greenOn);
}

}  // namespace gagent::stm32f2
