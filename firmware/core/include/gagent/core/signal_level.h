#pragma once
// S4.3: the raw 0-100 signal is quantised to 0/20/40/50/60/70/80, carried in status bits 8-10 as the level's
// ordinal 0..6 (protocol §9), with a hysteresis: re-quantise only when the raw value moved >= 10 from the
// value last used (S4.3.1).

#include <cstdint>

namespace gagent::core {

// The S4.3 level for a raw signal: 0 (s = 0), 20 (0 < s <= 20), 40, 50, 60, 70, 80 (70 < s <= 100).
std::uint8_t quantiseSignal(std::uint8_t raw);
// The ordinal 0..6 of a quantised level, as the status word carries it.
std::uint8_t signalLevelOrdinal(std::uint8_t level);

class SignalQuantiser {
 public:
  static constexpr std::uint8_t kHysteresis = 10;  // S4.3.1

  // Feeds a new raw reading. Returns true when the level was re-quantised (the caller reports status, S4.4.1,
  // if the level changed).
  bool update(std::uint8_t raw);
  [[nodiscard]] std::uint8_t level() const { return level_; }
  [[nodiscard]] std::uint8_t ordinal() const { return signalLevelOrdinal(level_); }
  void reset() { hasValue_ = false, level_ = 0, lastUsed_ = 0; }

 private:
  bool hasValue_ = false;
  std::uint8_t lastUsed_ = 0;
  std::uint8_t level_ = 0;
};

}  // namespace gagent::core
