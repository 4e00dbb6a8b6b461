#include "gagent/core/login_throttle.h"

#include <gtest/gtest.h>

using namespace gagent;
using gagent::core::LoginThrottle;

namespace {

constexpr hal::Ipv4 kGuesser = hal::ipv4(10, 0, 0, 66);

// The back-off after `failures` wrong passcodes in a row at t = 0.
std::uint32_t backoffAfter(int failures) {
  LoginThrottle throttle;
  std::uint32_t last = 0;
  for (int i = 0; i < failures; ++i) last = throttle.recordFailure(kGuesser, 0);
  return last;
}

}  // namespace

TEST(LoginThrottle, S10_2_FirstMistakesAreFreeThenTheBackoffDoublesUpToItsCap) {
  EXPECT_EQ(backoffAfter(1), 0u);
  EXPECT_EQ(backoffAfter(LoginThrottle::kFreeFailures), 0u);
  EXPECT_EQ(backoffAfter(LoginThrottle::kFreeFailures + 1), 1u);
  EXPECT_EQ(backoffAfter(LoginThrottle::kFreeFailures + 2), 2u);
  EXPECT_EQ(backoffAfter(LoginThrottle::kFreeFailures + 4), 8u);
  EXPECT_EQ(backoffAfter(LoginThrottle::kFreeFailures + 7), LoginThrottle::kMaxBackoffSeconds);
  EXPECT_EQ(backoffAfter(300), LoginThrottle::kMaxBackoffSeconds);  // the counter saturates, no overflow
}

TEST(LoginThrottle, S10_2_ABackoffLastsAtLeastItsWholeSeconds) {
  LoginThrottle throttle;
  for (int i = 0; i <= LoginThrottle::kFreeFailures; ++i) throttle.recordFailure(kGuesser, 1999);
  EXPECT_GT(throttle.waitSeconds(kGuesser, 1999), 0u);
  EXPECT_GT(throttle.waitSeconds(kGuesser, 2999), 0u);  // 1 s after the failure: still waiting
  EXPECT_EQ(throttle.waitSeconds(kGuesser, 3000), 0u);
}

TEST(LoginThrottle, S10_2_ARightPasscodeClearsTheAddress) {
  LoginThrottle throttle;
  for (int i = 0; i < 6; ++i) throttle.recordFailure(kGuesser, 0);
  EXPECT_GT(throttle.waitSeconds(kGuesser, 0), 0u);
  throttle.recordSuccess(kGuesser);
  EXPECT_EQ(throttle.waitSeconds(kGuesser, 0), 0u);
  EXPECT_EQ(throttle.failures(kGuesser), 0u);
}

TEST(LoginThrottle, S10_2_AFloodOfNewAddressesDoesNotFreeThePersistentGuesser) {
  LoginThrottle throttle;
  for (int i = 0; i < 10; ++i) throttle.recordFailure(kGuesser, 0);  // the longest back-off
  for (std::uint8_t host = 1; host < 200; ++host) throttle.recordFailure(hal::ipv4(10, 0, 1, host), 0);
  EXPECT_EQ(throttle.failures(kGuesser), 10u);
  EXPECT_GT(throttle.waitSeconds(kGuesser, 0), 0u);
  EXPECT_EQ(throttle.waitSeconds(hal::ipv4(10, 0, 0, 67), 0), 0u);  // an address never seen may try
}
