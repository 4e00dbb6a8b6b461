#pragma once
// A one-shot deadline on the core's injected clock. Modules keep one per timeout and report the earliest
// armed one as their next deadline, so a real loop sleeps exactly that long and a virtual loop jumps to it.

#include "gagent/hal/types.h"

namespace gagent::core {

using hal::Millis;

class Timer {
 public:
  void start(Millis now, Millis delay) { at_ = now + delay; }
  void startAt(Millis at) { at_ = at; }
  void stop() { at_ = hal::kNever; }
  [[nodiscard]] bool armed() const { return at_ != hal::kNever; }
  [[nodiscard]] bool due(Millis now) const { return armed() && now >= at_; }
  // True once when due; disarms itself.
  bool fire(Millis now) {
    if (!due(now)) return false;
    stop();
    return true;
  }
  [[nodiscard]] Millis deadline() const { return at_; }

 private:
  Millis at_ = hal::kNever;
};

inline Millis earliest(Millis a, Millis b) {
  return a < b ? a : b;
}

}  // namespace gagent::core
