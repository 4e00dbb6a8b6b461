#pragma once
// S5 production (factory test) mode: after the MCU's 0x13 the module scans every 10 s (S5.2); a test SSID
// seen within 3 minutes -> join one of the visible test routers at random (S5.3); none -> leave test mode
// quietly (S5.4). The test tool's LAN 0x0017 ends the test (S5.6). The agent applies the mode flags.

#include <cstdint>
#include <span>
#include <string_view>

#include "gagent/core/log.h"
#include "gagent/core/timer.h"
#include "gagent/hal/radio.h"
#include "gagent/hal/system.h"

namespace gagent::core {

inline constexpr std::string_view kTestSsidMarker = "GIZWITS_TEST_";          // S5.3
inline constexpr std::string_view kTestRouterPassword = "GIZWITS_TEST_PASS";  // S5.1

class ProductionListener {
 public:
  virtual ~ProductionListener() = default;
  // S5.3: join this router and start up normally with the production flags.
  virtual void onTestRouterChosen(std::string_view ssid, std::string_view password, Millis now) = 0;
  // S5.4: no test router within the window; the working state is left as it was.
  virtual void onProductionWindowExpired(Millis now) = 0;
};

class ProductionMode {
 public:
  enum class State : std::uint8_t { Off, Searching, Testing };

  static constexpr Millis kScanInterval = hal::seconds(10);  // S5.2
  static constexpr Millis kSearchWindow = hal::minutes(3);   // S5.3, S5.4

  ProductionMode(hal::Random& random, LogHub& logs, ProductionListener& listener);

  // S5.2: the MCU's production command. Starts the search window (again, if already searching).
  void enter(Millis now);
  // Scan results while searching (the agent runs the scanner every kScanInterval while searching()).
  void onScanDone(std::span<const hal::AccessPoint> results, Millis now);
  // S5.6: the test tool's "disconnect router" ends the test.
  void finish();

  void onTick(Millis now);
  [[nodiscard]] Millis nextDeadline() const { return window_.deadline(); }
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] bool searching() const { return state_ == State::Searching; }
  [[nodiscard]] bool active() const { return state_ != State::Off; }

 private:
  hal::Random& random_;
  Logger log_;
  ProductionListener& listener_;
  State state_ = State::Off;
  Timer window_;
};

}  // namespace gagent::core
