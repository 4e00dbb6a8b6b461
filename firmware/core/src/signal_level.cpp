#include "gagent/core/signal_level.h"

namespace gagent::core {

std::uint8_t quantiseSignal(std::uint8_t raw) {
  if (raw == 0) return 0;
  if (raw <= 20) return 20;
  if (raw <= 40) return 40;
  if (raw <= 50) return 50;
  if (raw <= 60) return 60;
  if (raw <= 70) return 70;
  return 80;
}

std::uint8_t signalLevelOrdinal(std::uint8_t level) {
  switch (level) {
    case 0:
      return 0;
    case 20:
      return 1;
    case 40:
      return 2;
    case 50:
      return 3;
    case 60:
      return 4;
    case 70:
      return 5;
    default:
      return 6;
  }
}

bool SignalQuantiser::update(std::uint8_t raw) {
  if (raw > 100) raw = 100;
  if (hasValue_) {
    const int moved = raw > lastUsed_ ? raw - lastUsed_ : lastUsed_ - raw;
    if (moved < kHysteresis) return false;
  }
  hasValue_ = true;
  lastUsed_ = raw;
  level_ = quantiseSignal(raw);
  return true;
}

}  // namespace gagent::core
