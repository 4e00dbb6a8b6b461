#include "gagent/core/dns_cache.h"

#include <gtest/gtest.h>

#include "gagent/sim/sim_board.h"

using namespace gagent;
using namespace gagent::core;

namespace {

constexpr hal::Ipv4 kApiIp = hal::ipv4(203, 0, 113, 1);
constexpr hal::Ipv4 kM2mIp = hal::ipv4(203, 0, 113, 2);

struct DnsCacheTest : ::testing::Test {
  sim::SimBoard board;
  LogHub logs;
  DnsCache cache{board.dns(), logs};

  DnsCacheTest() {
    board.dns().setHost("api.gizwits.com", kApiIp);
    board.dns().setHost("m2m.gizwits.com", kM2mIp);
  }
  void advance(Millis d) {
    const Millis end = board.clock().now() + d;
    while (true) {
      cache.poll(board.clock().now());
      const Millis next = std::min(cache.nextDeadline(), board.clock().nextEventTime());
      if (next > end) break;
      board.clock().advanceTo(std::max(next, board.clock().now() + 1));
    }
    board.clock().advanceTo(end);
    cache.poll(board.clock().now());
  }
};

}  // namespace

TEST(DottedIpv4, ParsesOnlyFourDecimalParts) {
  EXPECT_EQ(parseDottedIpv4("127.0.0.2"), hal::ipv4(127, 0, 0, 2));
  EXPECT_EQ(parseDottedIpv4("255.255.255.255"), hal::ipv4(255, 255, 255, 255));
  EXPECT_FALSE(parseDottedIpv4("api.gizwits.com"));
  EXPECT_FALSE(parseDottedIpv4("127.0.0"));
  EXPECT_FALSE(parseDottedIpv4("127.0.0.256"));
  EXPECT_FALSE(parseDottedIpv4("127.0.0.1.5"));
  EXPECT_FALSE(parseDottedIpv4("127..0.1"));
  EXPECT_FALSE(parseDottedIpv4("1234.0.0.1"));
  EXPECT_FALSE(parseDottedIpv4("127.0.0.1 "));
  EXPECT_FALSE(parseDottedIpv4(""));
}

TEST_F(DnsCacheTest, S11_2_S11_5_ResolvesWithoutBlockingAndCaches) {
  board.dns().setLatency(200);
  cache.setName(CloudHost::Api, "api.gizwits.com");
  cache.resolve(CloudHost::Api, 0);
  EXPECT_EQ(cache.state(CloudHost::Api), DnsCache::State::Resolving);  // returned at once (S11.5)
  EXPECT_FALSE(cache.address(CloudHost::Api));
  advance(199);
  EXPECT_EQ(cache.state(CloudHost::Api), DnsCache::State::Resolving);
  advance(1);
  EXPECT_EQ(cache.state(CloudHost::Api), DnsCache::State::Resolved);
  EXPECT_EQ(cache.address(CloudHost::Api), kApiIp);  // S11.2
  EXPECT_EQ(cache.state(CloudHost::M2m), DnsCache::State::Unresolved);
  EXPECT_EQ(board.dns().queries().size(), 1u);
}

TEST_F(DnsCacheTest, S11_3_FailureIsReported) {
  board.dns().setFailing(true);
  cache.setName(CloudHost::M2m, "m2m.gizwits.com");
  cache.resolve(CloudHost::M2m, 0);
  advance(1);
  EXPECT_EQ(cache.state(CloudHost::M2m), DnsCache::State::Failed);
  EXPECT_FALSE(cache.address(CloudHost::M2m));
}

TEST_F(DnsCacheTest, S11_3_QueryThatNeverEndsTimesOut) {
  board.dns().setLatency(hal::minutes(5));
  cache.setName(CloudHost::Api, "api.gizwits.com");
  cache.resolve(CloudHost::Api, 0);
  EXPECT_EQ(cache.nextDeadline(), DnsCache::kQueryTimeout);
  advance(DnsCache::kQueryTimeout);
  EXPECT_EQ(cache.state(CloudHost::Api), DnsCache::State::Failed);
  EXPECT_EQ(cache.nextDeadline(), hal::kNever);
}

TEST_F(DnsCacheTest, S11_DottedIpNeedsNoQuery) {
  cache.setName(CloudHost::Api, "127.0.0.2");
  cache.resolve(CloudHost::Api, 0);
  EXPECT_EQ(cache.state(CloudHost::Api), DnsCache::State::Resolved);
  EXPECT_EQ(cache.address(CloudHost::Api), hal::ipv4(127, 0, 0, 2));
  EXPECT_TRUE(board.dns().queries().empty());
}

TEST_F(DnsCacheTest, S11_4_ReResolveKeepsTheOldAddressUntilANewOneArrives) {
  cache.setName(CloudHost::M2m, "m2m.gizwits.com");
  cache.resolve(CloudHost::M2m, 0);
  advance(1);
  ASSERT_EQ(cache.address(CloudHost::M2m), kM2mIp);

  board.dns().failNext(1);
  cache.resolve(CloudHost::M2m, board.clock().now());
  advance(1);
  EXPECT_EQ(cache.state(CloudHost::M2m), DnsCache::State::Failed);
  EXPECT_EQ(cache.address(CloudHost::M2m), kM2mIp);  // the working address stays

  board.dns().setLatency(50);
  board.dns().setHost("m2m.gizwits.com", hal::ipv4(203, 0, 113, 9));
  cache.resolve(CloudHost::M2m, board.clock().now());
  EXPECT_EQ(cache.address(CloudHost::M2m), kM2mIp);  // still usable while the query runs
  advance(50);
  EXPECT_EQ(cache.address(CloudHost::M2m), hal::ipv4(203, 0, 113, 9));
}

TEST_F(DnsCacheTest, S7_7_1_ClearForgetsAddressesAndANewNameDropsTheOld) {
  cache.setName(CloudHost::Api, "api.gizwits.com");
  cache.setName(CloudHost::M2m, "m2m.gizwits.com");
  cache.resolve(CloudHost::Api, 0);
  cache.resolve(CloudHost::M2m, 0);
  advance(1);
  ASSERT_TRUE(cache.address(CloudHost::Api));
  cache.setName(CloudHost::M2m, "m2m.gizwits.com");  // same name: kept
  EXPECT_EQ(cache.address(CloudHost::M2m), kM2mIp);
  cache.setName(CloudHost::M2m, "sandbox.gizwits.com");
  EXPECT_FALSE(cache.address(CloudHost::M2m));
  EXPECT_EQ(cache.state(CloudHost::M2m), DnsCache::State::Unresolved);
  cache.clear();
  EXPECT_FALSE(cache.address(CloudHost::Api));
  EXPECT_EQ(cache.state(CloudHost::Api), DnsCache::State::Unresolved);
  EXPECT_EQ(cache.name(CloudHost::Api), "api.gizwits.com");
}

TEST_F(DnsCacheTest, NamesThatCannotBeStoredAreRefused) {
  EXPECT_FALSE(cache.setName(CloudHost::M2m, std::string(DnsCache::kMaxHostName + 1, 'a')));
  EXPECT_EQ(cache.state(CloudHost::M2m), DnsCache::State::Failed);
  cache.resolve(CloudHost::M2m, 0);
  EXPECT_EQ(cache.state(CloudHost::M2m), DnsCache::State::Failed);
  EXPECT_TRUE(board.dns().queries().empty());
}
