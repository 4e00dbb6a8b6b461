#include "gagent/core/mcu_request_queue.h"

#include <gtest/gtest.h>

#include <vector>

using gagent::core::McuRequestQueue;
using gagent::proto::McuCmd;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes payloadOf(gagent::proto::Bytes bytes) {
  return {bytes.begin(), bytes.end()};
}

}  // namespace

TEST(McuRequestQueue, PayloadsShareOneBufferInQueueOrder) {
  McuRequestQueue<4, 8> q;
  ASSERT_TRUE(q.push(McuCmd::P0ToMcu, 1, Bytes{1, 2, 3}));
  ASSERT_TRUE(q.push(McuCmd::Heartbeat, 0, {}));
  ASSERT_TRUE(q.push(McuCmd::WifiStatus, 0, Bytes{4, 5}));
  EXPECT_EQ(q.freeBytes(), 3u);
  EXPECT_EQ(payloadOf(q.payload(0)), (Bytes{1, 2, 3}));
  EXPECT_TRUE(q.payload(1).empty());
  EXPECT_EQ(payloadOf(q.payload(2)), (Bytes{4, 5}));
  q.pop();
  EXPECT_EQ(q.front().cmd, McuCmd::Heartbeat);
  EXPECT_EQ(payloadOf(q.payload(1)), (Bytes{4, 5}));  // moved down to follow the front
  EXPECT_EQ(q.freeBytes(), 6u);
}

TEST(McuRequestQueue, RefusesWhatDoesNotFitWholeAndRecovers) {
  McuRequestQueue<2, 4> q;
  ASSERT_TRUE(q.push(McuCmd::P0ToMcu, 1, Bytes{1, 2, 3}));
  EXPECT_FALSE(q.push(McuCmd::P0ToMcu, 2, Bytes{4, 5}));  // 2 bytes, 1 free: refused, nothing kept
  ASSERT_TRUE(q.push(McuCmd::P0ToMcu, 3, Bytes{6}));
  EXPECT_FALSE(q.push(McuCmd::Heartbeat, 0, {}));  // every entry taken
  EXPECT_EQ(q.size(), 2u);
  q.pop();
  ASSERT_TRUE(q.push(McuCmd::P0ToMcu, 4, Bytes{7, 8, 9}));
  EXPECT_EQ(q.at(1).tag, 4u);
  EXPECT_EQ(payloadOf(q.payload(0)), (Bytes{6}));
  EXPECT_EQ(payloadOf(q.payload(1)), (Bytes{7, 8, 9}));
}

TEST(McuRequestQueue, AWaitingPayloadIsOverwrittenInPlace) {
  McuRequestQueue<3, 8> q;
  ASSERT_TRUE(q.push(McuCmd::P0ToMcu, 1, Bytes{1}));
  ASSERT_TRUE(q.push(McuCmd::WifiStatus, 0, Bytes{0x00, 0x01}));
  const auto waiting = q.mutablePayload(1);
  waiting[1] = 0x42;
  EXPECT_EQ(payloadOf(q.payload(1)), (Bytes{0x00, 0x42}));
  EXPECT_EQ(payloadOf(q.payload(0)), (Bytes{1}));
}
