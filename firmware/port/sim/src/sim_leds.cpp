#include "gagent/sim/sim_leds.h"

namespace gagent::sim {

void SimLeds::set(bool redOn, bool greenOn) {
  ++calls_;
  if (redOn == red_ && greenOn == green_ && !changes_.empty()) return;
  red_ = redOn;
  green_ = greenOn;
  changes_.push_back({clock_.now(), red_, green_});
}

std::vector<Millis> SimLeds::toggles(Color color) const {
  std::vector<Millis> times;
  bool previous = false;
  for (std::size_t i = 0; i < changes_.size(); ++i) {
    const bool on = color == Color::Red ? changes_[i].red : changes_[i].green;
    if (i == 0 || on != previous) times.push_back(changes_[i].time);
    previous = on;
  }
  return times;
}

}  // namespace gagent::sim
