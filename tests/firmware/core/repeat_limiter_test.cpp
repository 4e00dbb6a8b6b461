#include "gagent/core/repeat_limiter.h"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

using namespace gagent;
using namespace gagent::core;

namespace {

using Limiter = RepeatLimiter<int, 3, 2, 1000>;  // 2 kinds of their own + the shared bucket, 2 per second
using Report = std::tuple<int, std::uint8_t, unsigned>;

std::vector<Report> roll(Limiter& limiter, Millis now) {
  std::vector<Report> out;
  limiter.roll(now, [&](int key, std::uint8_t tag, unsigned count) { out.emplace_back(key, tag, count); });
  return out;
}

}  // namespace

TEST(RepeatLimiter, Issue16_EachKindGetsItsBurstThenIsCounted) {
  Limiter limiter;
  EXPECT_TRUE(limiter.admit(7, 0));
  EXPECT_TRUE(limiter.admit(7, 10));
  EXPECT_FALSE(limiter.admit(7, 20));
  EXPECT_FALSE(limiter.admit(7, 30));
  EXPECT_TRUE(limiter.admit(8, 40));  // the first of another kind is never lost to the flood of the first
  EXPECT_EQ(limiter.nextDeadline(), 1000u);
  EXPECT_TRUE(roll(limiter, 999).empty());
  EXPECT_EQ(roll(limiter, 1000), (std::vector<Report>{{7, 0, 2}}));
  EXPECT_EQ(limiter.nextDeadline(), hal::kNever);
  EXPECT_TRUE(limiter.admit(7, 1000));  // a fresh window
}

TEST(RepeatLimiter, Issue16_KindsBeyondTheTableShareOneBucket) {
  Limiter limiter;
  EXPECT_TRUE(limiter.admit(1, 0, 5));
  EXPECT_TRUE(limiter.admit(2, 0, 5));
  EXPECT_TRUE(limiter.admit(3, 0, 9));  // the shared bucket
  EXPECT_TRUE(limiter.admit(4, 0, 9));
  EXPECT_FALSE(limiter.admit(5, 0, 9));
  EXPECT_FALSE(limiter.admit(6, 0, 9));
  EXPECT_EQ(roll(limiter, 1000), (std::vector<Report>{{0, 9, 2}}));
}

TEST(RepeatLimiter, Issue16_CountsAfterTheWindowEndedAreNotLostBeforeTheReport) {
  Limiter limiter;
  for (int i = 0; i < 5; ++i) limiter.admit(7, 0);
  EXPECT_FALSE(limiter.admit(7, 1500));  // the window is over but not reported yet: still counted in it
  EXPECT_EQ(roll(limiter, 1500), (std::vector<Report>{{7, 0, 4}}));
  EXPECT_TRUE(limiter.admit(7, 1500));
}

TEST(RepeatLimiter, Issue16_TheCountSaturatesInsteadOfWrapping) {
  Limiter limiter;
  for (int i = 0; i < 70'000; ++i) limiter.admit(7, 0);
  EXPECT_EQ(roll(limiter, 1000), (std::vector<Report>{{7, 0, 0xFFFFu}}));
}
