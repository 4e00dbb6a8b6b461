#include "gagent/sim/sim_system.h"

namespace gagent::sim {

void SimSystem::reboot() {
  rebootRequested_ = true;
  rebootTimes_.push_back(clock_.now());
}

bool SimSystem::takeRebootRequest() {
  const bool requested = rebootRequested_;
  rebootRequested_ = false;
  return requested;
}

}  // namespace gagent::sim
