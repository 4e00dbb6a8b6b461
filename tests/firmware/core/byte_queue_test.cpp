#include "gagent/core/byte_queue.h"

#include <gtest/gtest.h>

#include <vector>

using gagent::core::ByteQueue;

TEST(ByteQueue, WrapsAroundAndRefusesWhatDoesNotFitWhole) {
  ByteQueue<8> q;
  const std::vector<std::uint8_t> six{1, 2, 3, 4, 5, 6};
  ASSERT_TRUE(q.push(six));
  q.pop(4);
  const std::vector<std::uint8_t> five{7, 8, 9, 10, 11};
  ASSERT_TRUE(q.push(five));  // 2 left + 5 = 7 of 8, wrapping
  EXPECT_FALSE(q.push(std::vector<std::uint8_t>{12, 13}));
  EXPECT_EQ(q.size(), 7u);
  std::vector<std::uint8_t> drained;
  while (!q.empty()) {
    const auto run = q.front();
    drained.insert(drained.end(), run.begin(), run.end());
    q.pop(run.size());
  }
  EXPECT_EQ(drained, (std::vector<std::uint8_t>{5, 6, 7, 8, 9, 10, 11}));
}
