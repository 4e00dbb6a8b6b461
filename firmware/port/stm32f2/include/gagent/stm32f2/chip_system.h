#pragma once
// The module's identity and reboot: a locally administered MAC derived from the chip's 96-bit unique ID,
// and a reboot that the loop carries out with SYSRESETREQ once the core's pass is over.

#include "gagent/hal/system.h"

namespace gagent::stm32f2 {

class ChipSystem : public hal::System {
 public:
  hal::MacAddress mac() override;
  void reboot() override { rebootRequested_ = true; }
  [[nodiscard]] bool rebootRequested() const { return rebootRequested_; }

 private:
  bool rebootRequested_ = false;
};

}  // namespace gagent::stm32f2
