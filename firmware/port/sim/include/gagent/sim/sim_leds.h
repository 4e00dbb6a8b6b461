#pragma once
// The two indicator LEDs, recording every change with its time so tests can check S4.1 blink periods.

#include <cstdint>
#include <vector>

#include "gagent/hal/system.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class SimLeds : public hal::Leds {
 public:
  enum class Color : std::uint8_t { Red, Green };
  struct Change {
    Millis time = 0;
    bool red = false;
    bool green = false;
    friend bool operator==(const Change&, const Change&) = default;
  };

  explicit SimLeds(const VirtualClock& clock) : clock_(clock) {}

  // The first call is recorded; later calls that change nothing are only counted.
  void set(bool redOn, bool greenOn) override;

  [[nodiscard]] bool red() const { return red_; }
  [[nodiscard]] bool green() const { return green_; }
  [[nodiscard]] const std::vector<Change>& changes() const { return changes_; }
  [[nodiscard]] std::size_t setCalls() const { return calls_; }
  // When one LED was first set, then each time it switched: the differences are its blink half-periods.
  [[nodiscard]] std::vector<Millis> toggles(Color color) const;
  void clear() { changes_.clear(); }

 private:
  const VirtualClock& clock_;
  bool red_ = false;
  bool green_ = false;
  std::size_t calls_ = 0;
  std::vector<Change> changes_;
};

}  // namespace gagent::sim
