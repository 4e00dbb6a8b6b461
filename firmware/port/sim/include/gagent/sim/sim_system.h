#pragma once
// Identity and reboot. reboot() only raises a flag: the world loop sees it, then builds a fresh core on the
// same flash (the sim port's meaning of a restart).

#include <vector>

#include "gagent/hal/system.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class SimSystem : public hal::System {
 public:
  static constexpr hal::MacAddress kDefaultMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};  // locally administered

  explicit SimSystem(const VirtualClock& clock) : clock_(clock) {}

  hal::MacAddress mac() override { return mac_; }
  void reboot() override;

  void setMac(hal::MacAddress mac) { mac_ = mac; }
  [[nodiscard]] bool rebootRequested() const { return rebootRequested_; }
  // Returns whether a reboot was requested, and clears the request.
  bool takeRebootRequest();
  [[nodiscard]] std::size_t rebootCount() const { return rebootTimes_.size(); }
  [[nodiscard]] const std::vector<Millis>& rebootTimes() const { return rebootTimes_; }

 private:
  const VirtualClock& clock_;
  hal::MacAddress mac_ = kDefaultMac;
  bool rebootRequested_ = false;
  std::vector<Millis> rebootTimes_;
};

}  // namespace gagent::sim
