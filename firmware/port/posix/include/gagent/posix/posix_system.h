#pragma once
// Identity and reboot: the MAC comes from the command line (--mac); reboot() only raises a flag, because the
// core must not be destroyed from inside its own call stack. The main loop sees the flag and restarts it.

#include "gagent/hal/system.h"

namespace gagent::posix {

class PosixSystem : public hal::System {
 public:
  explicit PosixSystem(hal::MacAddress mac) : mac_(mac) {}

  hal::MacAddress mac() override { return mac_; }
  void reboot() override { rebootRequested_ = true; }

  [[nodiscard]] bool rebootRequested() const { return rebootRequested_; }

 private:
  hal::MacAddress mac_;
  bool rebootRequested_ = false;
};

}  // namespace gagent::posix
