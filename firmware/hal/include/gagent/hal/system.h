#pragma once
// The rest of the board: LEDs, watchdog, entropy, identity and reboot.

#include <array>
#include <cstdint>
#include <span>

namespace gagent::hal {

class Leds {
 public:
  virtual ~Leds() = default;
  virtual void set(bool redOn, bool greenOn) = 0;
};

class Watchdog {
 public:
  virtual ~Watchdog() = default;
  virtual void feed() = 0;
};

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` from a cryptographically secure source where the platform has one (passcodes, §9).
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

using MacAddress = std::array<std::uint8_t, 6>;

class System {
 public:
  virtual ~System() = default;
  virtual MacAddress mac() = 0;
  // Restarts the module. The port decides what that means (a real reset, or a fresh core on the same flash).
  virtual void reboot() = 0;
};

}  // namespace gagent::hal
