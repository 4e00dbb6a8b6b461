#pragma once
// Flood control by kind (issue 16): garbage on the UART once produced 345,000 log lines and 207,953 0x11
// notices in one run. Per fixed window, the first Burst messages of each kind go; the rest are counted, and
// when the window has ended the owner reports each kind's count once ("N more like this suppressed").
// Kinds beyond Kinds - 1 share the last entry (an "other" bucket) with a budget of its own, SharedBurst, so a
// flood of distinct kinds is limited too while the many one-off messages of a busy second (a boot logs some
// twenty kinds once each, then perhaps "rebooting") still go: the first of a kind is lost only once the
// shared budget is spent.
//
// Memory: 8 bytes per kind for a pointer key on the module (plus the window's start). No time of its own:
// the owner passes `now` (the core's clock is an input).

#include <array>
#include <cstdint>

#include "gagent/core/timer.h"

namespace gagent::core {

template <typename Key, std::size_t Kinds, std::uint8_t Burst, Millis Window,
          std::uint8_t SharedBurst = Burst>
class RepeatLimiter {
  static_assert(Kinds >= 2, "one entry is the shared bucket of kinds that found no entry");

 public:
  // True when one more message of `key` may go now; false counts it as suppressed. `tag` rides along with
  // the kind for the report (e.g. a log line's level).
  bool admit(Key key, Millis now, std::uint8_t tag = 0) {
    // An ended window with counts still to report stays open until roll() reports them: none is lost.
    if (now >= windowEnd_ && !suppressedAny_) startWindow(now);
    Kind& kind = kindFor(key, tag);
    const bool shared = &kind == &kinds_[Kinds - 1];
    if (kind.sent < (shared ? SharedBurst : Burst)) {
      ++kind.sent;
      return true;
    }
    if (kind.suppressed < 0xFFFF) ++kind.suppressed;
    suppressedAny_ = true;
    return false;
  }

  // Once the window has ended: report(key, tag, count) for each kind that had messages suppressed in it
  // (key is Key{} for the shared bucket), then a fresh window starts. The owner calls it from its loop
  // (before the messages of that pass).
  template <typename Report>
  void roll(Millis now, Report&& report) {
    if (!suppressedAny_ || now < windowEnd_) return;
    for (const Kind& kind : kinds_) {
      if (kind.suppressed > 0) report(kind.key, kind.tag, kind.suppressed);
    }
    startWindow(now);
  }

  // When roll has something to report (kNever: nothing suppressed).
  [[nodiscard]] Millis nextDeadline() const { return suppressedAny_ ? windowEnd_ : hal::kNever; }

 private:
  struct Kind {
    Key key{};
    std::uint8_t sent = 0;
    std::uint8_t tag = 0;
    std::uint16_t suppressed = 0;
  };

  void startWindow(Millis now) {
    kinds_ = {};
    suppressedAny_ = false;
    windowEnd_ = now + Window;
  }

  Kind& kindFor(Key key, std::uint8_t tag) {
    for (std::size_t i = 0; i + 1 < Kinds; ++i) {
      Kind& kind = kinds_[i];
      if (kind.sent > 0 && kind.key == key) return kind;
      if (kind.sent == 0) {
        kind.key = key;
        kind.tag = tag;
        return kind;
      }
    }
    Kind& shared = kinds_[Kinds - 1];  // key stays Key{}
    if (shared.sent == 0) shared.tag = tag;
    return shared;
  }

  std::array<Kind, Kinds> kinds_{};
  Millis windowEnd_ = 0;
  bool suppressedAny_ = false;
};

}  // namespace gagent::core
