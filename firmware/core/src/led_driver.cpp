#include "gagent/core/led_driver.h"

namespace gagent::core {

Millis LedDriver::blinkPeriod() const {
  switch (mode_) {
    case LedMode::SoftAp:
    case LedMode::AirLink:
    case LedMode::HandshakeFailed:
      return kFastBlink;
    case LedMode::NoCredentials:
    case LedMode::CloudConnected:
      return kSlowBlink;
    case LedMode::NotConnected:
    case LedMode::RouterConnected:
      return 0;  // steady
  }
  return 0;
}

void LedDriver::setMode(LedMode mode, Millis now) {
  if (started_ && mode == mode_) return;
  started_ = true;
  mode_ = mode;
  phase_ = true;
  dark_ = false;
  const Millis period = blinkPeriod();
  if (period > 0) {
    toggle_.start(now, period);
  } else {
    toggle_.stop();
  }
  if (mode == LedMode::CloudConnected) {
    lightsOff_.start(now, kCloudLightsOff);
  } else {
    lightsOff_.stop();
  }
  apply();
}

void LedDriver::onTick(Millis now) {
  if (lightsOff_.fire(now)) {
    dark_ = true;
    toggle_.stop();
    apply();
    return;
  }
  if (toggle_.fire(now)) {
    phase_ = !phase_;
    toggle_.start(now, blinkPeriod());
    apply();
  }
}

void LedDriver::apply() {
  if (dark_) {
    leds_.set(false, false);
    return;
  }
  switch (mode_) {
    case LedMode::SoftAp:
      leds_.set(phase_, false);
      break;
    case LedMode::AirLink:
      leds_.set(false, phase_);
      break;
    case LedMode::HandshakeFailed:
      leds_.set(phase_, phase_);
      break;
    case LedMode::NotConnected:
      leds_.set(false, true);
      break;
    case LedMode::NoCredentials:
      leds_.set(true, phase_);
      break;
    case LedMode::RouterConnected:
      leds_.set(true, true);
      break;
    case LedMode::CloudConnected:
      leds_.set(phase_, !phase_);
      break;
  }
}

}  // namespace gagent::core
