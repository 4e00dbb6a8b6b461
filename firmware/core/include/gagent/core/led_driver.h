#pragma once
// S4.1: the red/green indicator patterns, and S4.1.1: both off after 10 minutes of cloud connection.
// "Fast blink 100 ms" toggles every 100 ms; "blink 2 s" toggles every 2 s.

#include <cstdint>

#include "gagent/core/timer.h"
#include "gagent/hal/system.h"

namespace gagent::core {

enum class LedMode : std::uint8_t {
  SoftAp,           // 1: red fast blink, green off
  AirLink,          // 2: red off, green fast blink
  HandshakeFailed,  // 3: both fast blink
  NotConnected,     // 4: has SSID/password, not connected to the router: red off, green on
  NoCredentials,    // 5: red on, green blinks 2 s
  RouterConnected,  // 6: joined the AP, not yet the cloud: both on
  CloudConnected,   // 7: both blink 2 s, alternating; off after 10 minutes (S4.1.1)
};

class LedDriver {
 public:
  static constexpr Millis kFastBlink = 100;
  static constexpr Millis kSlowBlink = 2000;
  static constexpr Millis kCloudLightsOff = hal::minutes(10);

  explicit LedDriver(hal::Leds& leds) : leds_(leds) {}

  // Applies a mode at once; setting the current mode again changes nothing (the blink phase is kept).
  void setMode(LedMode mode, Millis now);
  void onTick(Millis now);
  [[nodiscard]] Millis nextDeadline() const { return earliest(toggle_.deadline(), lightsOff_.deadline()); }
  [[nodiscard]] LedMode mode() const { return mode_; }

 private:
  void apply();
  [[nodiscard]] Millis blinkPeriod() const;

  hal::Leds& leds_;
  LedMode mode_ = LedMode::NoCredentials;
  bool started_ = false;
  bool phase_ = false;  // toggles each blink period
  bool dark_ = false;   // S4.1.1 power saving
  Timer toggle_;
  Timer lightsOff_;
};

}  // namespace gagent::core
