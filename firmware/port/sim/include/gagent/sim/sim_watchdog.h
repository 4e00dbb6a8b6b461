#pragma once
// The hardware watchdog (S12.4): records when the firmware fed it. The world loop decides what starving
// means (5 minutes -> reboot) by asking starvedFor(now).

#include <vector>

#include "gagent/hal/system.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class SimWatchdog : public hal::Watchdog {
 public:
  explicit SimWatchdog(const VirtualClock& clock) : clock_(clock), armedAt_(clock.now()) {}

  void feed() override { feeds_.push_back(clock_.now()); }

  [[nodiscard]] const std::vector<Millis>& feeds() const { return feeds_; }
  // Time since the last feed, or since arming when never fed.
  [[nodiscard]] Millis starvedFor(Millis now) const;
  // A module restart re-arms it.
  void rearm() { armedAt_ = clock_.now(); }

 private:
  const VirtualClock& clock_;
  Millis armedAt_;
  std::vector<Millis> feeds_;
};

}  // namespace gagent::sim
