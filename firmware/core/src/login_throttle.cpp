#include "gagent/core/login_throttle.h"

#include <algorithm>

namespace gagent::core {

namespace {

std::uint32_t secondsOf(hal::Millis now) {
  return static_cast<std::uint32_t>(now / 1000);
}

std::uint32_t backoffAfter(std::uint8_t failures) {
  if (failures <= LoginThrottle::kFreeFailures) return 0;
  const unsigned doublings = failures - LoginThrottle::kFreeFailures - 1U;
  if (doublings >= 7) return LoginThrottle::kMaxBackoffSeconds;  // 1 << 7 > 64: no shift overflow either
  return std::min(LoginThrottle::kFirstBackoffSeconds << doublings, LoginThrottle::kMaxBackoffSeconds);
}

}  // namespace

std::size_t LoginThrottle::indexOf(hal::Ipv4 source) const {
  const auto it = std::find_if(sources_.begin(), sources_.end(),
                               [&](const Source& s) { return s.failures > 0 && s.ip == source; });
  return static_cast<std::size_t>(it - sources_.begin());
}

LoginThrottle::Source& LoginThrottle::entryFor(hal::Ipv4 source) {
  const std::size_t known = indexOf(source);
  if (known < kSources) return sources_[known];
  // A free entry, else the one whose back-off ends first (the least persistent guesser).
  Source& victim = *std::min_element(sources_.begin(), sources_.end(), [](const Source& a, const Source& b) {
    if ((a.failures == 0) != (b.failures == 0)) return a.failures == 0;
    return a.allowedAtSecond < b.allowedAtSecond;
  });
  victim = Source{source, 0, 0};
  return victim;
}

std::uint32_t LoginThrottle::waitSeconds(hal::Ipv4 source, hal::Millis now) const {
  const std::size_t known = indexOf(source);
  if (known == kSources) return 0;
  const std::uint32_t second = secondsOf(now);
  const std::uint32_t allowedAt = sources_[known].allowedAtSecond;
  return allowedAt > second ? allowedAt - second : 0;
}

std::uint32_t LoginThrottle::recordFailure(hal::Ipv4 source, hal::Millis now) {
  Source& entry = entryFor(source);
  if (entry.failures < 0xFF) ++entry.failures;
  const std::uint32_t backoff = backoffAfter(entry.failures);
  // +1: the second `now` is in has partly gone, so n whole seconds start with the next one.
  entry.allowedAtSecond = backoff == 0 ? 0 : secondsOf(now) + backoff + 1;
  return backoff;
}

void LoginThrottle::recordSuccess(hal::Ipv4 source) {
  const std::size_t known = indexOf(source);
  if (known < kSources) sources_[known] = Source{};
}

std::uint8_t LoginThrottle::failures(hal::Ipv4 source) const {
  const std::size_t known = indexOf(source);
  return known == kSources ? 0 : sources_[known].failures;
}

}  // namespace gagent::core
