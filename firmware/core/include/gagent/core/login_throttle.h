#pragma once
// Wrong-passcode back-off per source address (issue 16, S10.2). A client gets one login attempt per
// connection (a wrong passcode closes it, S7.3.2), so a guesser reconnects; this makes each reconnect cost
// it time instead of costing the module work. The first kFreeFailures wrong passcodes from an address are
// free (an app with a stale passcode, a typo); after that the address waits kFirstBackoff, doubling with
// each further failure up to kMaxBackoff, before a login from it is even compared. A right passcode clears
// the address. kSources addresses are tracked; a new one takes the entry whose back-off ends first, so a
// flood from many addresses cannot free the one that is guessing hardest.
//
// Memory: 12 bytes per address (times kept in whole seconds: the back-off is coarse and the module's RAM is
// scarce). A back-off of n seconds lasts at least n seconds (the partial second it starts in is not counted).

#include <array>
#include <cstdint>

#include "gagent/hal/types.h"

namespace gagent::core {

class LoginThrottle {
 public:
  static constexpr std::size_t kSources = 4;
  static constexpr std::uint8_t kFreeFailures = 3;
  static constexpr std::uint32_t kFirstBackoffSeconds = 1;
  static constexpr std::uint32_t kMaxBackoffSeconds = 64;

  // Seconds this address must still wait before a login from it is compared (0: it may try now).
  [[nodiscard]] std::uint32_t waitSeconds(hal::Ipv4 source, hal::Millis now) const;
  // A wrong passcode from this address; returns the back-off it now has, in seconds (0: still free).
  std::uint32_t recordFailure(hal::Ipv4 source, hal::Millis now);
  // A right passcode: the address starts afresh.
  void recordSuccess(hal::Ipv4 source);
  [[nodiscard]] std::uint8_t failures(hal::Ipv4 source) const;

 private:
  struct Source {
    hal::Ipv4 ip;
    std::uint32_t allowedAtSecond = 0;  // since boot
    std::uint8_t failures = 0;
  };
  // The index of this address's entry, kSources when it has none.
  [[nodiscard]] std::size_t indexOf(hal::Ipv4 source) const;
  Source& entryFor(hal::Ipv4 source);

  std::array<Source, kSources> sources_{};
};

}  // namespace gagent::core
