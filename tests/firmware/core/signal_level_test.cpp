#include "gagent/core/signal_level.h"

#include <gtest/gtest.h>

using namespace gagent::core;

TEST(SignalLevel, S4_3_BoundariesOfEveryLevel) {
  const struct {
    std::uint8_t raw, level, ordinal;
  } cases[] = {{0, 0, 0},   {1, 20, 1},  {20, 20, 1}, {21, 40, 2}, {40, 40, 2}, {41, 50, 3}, {50, 50, 3},
               {51, 60, 4}, {60, 60, 4}, {61, 70, 5}, {70, 70, 5}, {71, 80, 6}, {100, 80, 6}};
  for (const auto& c : cases) {
    EXPECT_EQ(quantiseSignal(c.raw), c.level) << int(c.raw);
    EXPECT_EQ(signalLevelOrdinal(quantiseSignal(c.raw)), c.ordinal) << int(c.raw);
  }
}

TEST(SignalLevel, S4_3_1_FromFiftyOnlyFortyOrSixtyRequantise) {
  SignalQuantiser q;
  ASSERT_TRUE(q.update(50));
  EXPECT_EQ(q.level(), 50);
  EXPECT_FALSE(q.update(51));
  EXPECT_FALSE(q.update(59));
  EXPECT_FALSE(q.update(41));
  EXPECT_EQ(q.level(), 50);
  EXPECT_TRUE(q.update(60));
  EXPECT_EQ(q.level(), 60);
  EXPECT_TRUE(q.update(50));  // moved 10 from 60, the value last used
  EXPECT_TRUE(q.update(40));
  EXPECT_EQ(q.level(), 40);
}

TEST(SignalLevel, S4_3_1_SmallDriftAccumulatesAgainstTheValueLastUsed) {
  SignalQuantiser q;
  q.update(50);
  EXPECT_FALSE(q.update(55));
  EXPECT_FALSE(q.update(58));
  EXPECT_TRUE(q.update(61));  // 11 from 50, although only 3 from the previous reading
  EXPECT_EQ(q.level(), 70);
}
