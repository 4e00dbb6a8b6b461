#include "gagent/sim/sim_watchdog.h"

#include <algorithm>

namespace gagent::sim {

Millis SimWatchdog::starvedFor(Millis now) const {
  const Millis since = feeds_.empty() ? armedAt_ : std::max(armedAt_, feeds_.back());
  return now > since ? now - since : 0;
}

}  // namespace gagent::sim
