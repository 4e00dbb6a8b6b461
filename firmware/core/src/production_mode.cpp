#include "gagent/core/production_mode.h"

#include <array>

namespace gagent::core {

ProductionMode::ProductionMode(hal::Random& random, LogHub& logs, ProductionListener& listener)
    : random_(random), log_(logs, "production"), listener_(listener) {}

void ProductionMode::enter(Millis now) {
  state_ = State::Searching;
  window_.start(now, kSearchWindow);
  log_.info("production mode: searching for %.*s routers for 3 min", static_cast<int>(kTestSsidMarker.size()),
            kTestSsidMarker.data());
}

void ProductionMode::onScanDone(std::span<const hal::AccessPoint> results, Millis now) {
  if (state_ != State::Searching) return;
  std::array<const hal::AccessPoint*, 8> candidates{};
  std::size_t count = 0;
  for (const auto& ap : results) {
    if (ap.ssidView().find(kTestSsidMarker) != std::string_view::npos && count < candidates.size()) {
      candidates[count++] = &ap;
    }
  }
  if (count == 0) return;
  std::array<std::uint8_t, 1> pick{};
  random_.fill(pick);
  const hal::AccessPoint& chosen = *candidates[pick[0] % count];
  state_ = State::Testing;
  window_.stop();
  log_.info("production mode: joining '%.*s' (one of %zu test routers)", static_cast<int>(chosen.ssidLength),
            chosen.ssid.data(), count);
  listener_.onTestRouterChosen(chosen.ssidView(), kTestRouterPassword, now);
}

void ProductionMode::finish() {
  if (state_ == State::Off) return;
  state_ = State::Off;
  window_.stop();
  log_.info("production test finished by the test tool");
}

void ProductionMode::onTick(Millis now) {
  if (!window_.fire(now)) return;
  state_ = State::Off;
  log_.info("production mode: no test router within 3 min, leaving test mode");
  listener_.onProductionWindowExpired(now);
}

}  // namespace gagent::core
