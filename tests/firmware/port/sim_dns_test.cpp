#include "gagent/sim/sim_dns.h"

#include <gtest/gtest.h>

using namespace gagent::hal;
using gagent::sim::SimDns;
using gagent::sim::VirtualClock;

namespace {

constexpr Ipv4 kApi = ipv4(203, 0, 113, 10);
constexpr Ipv4 kM2m = ipv4(203, 0, 113, 20);

}  // namespace

TEST(SimDns, ZeroLatencyAnswersAtTheFirstPoll) {
  VirtualClock clock;
  SimDns dns(clock);
  dns.setHost("api.gizwits.com", kApi);
  const DnsQueryId query = dns.startResolve("api.gizwits.com");
  ASSERT_NE(query, kNoQuery);
  Ipv4 address;
  EXPECT_EQ(dns.pollResolve(query, address), DnsState::Resolved);
  EXPECT_EQ(address, kApi);
  EXPECT_EQ(dns.pollResolve(query, address), DnsState::Failed);  // the id ended with the answer
  EXPECT_EQ(dns.openQueries(), 0u);
}

TEST(SimDns, S11_5_LatencyKeepsTheQueryPendingWithoutBlocking) {
  VirtualClock clock(10);
  SimDns dns(clock);
  dns.setHost("m2m.gizwits.com", kM2m);
  dns.setLatency(250);
  const DnsQueryId query = dns.startResolve("m2m.gizwits.com");
  EXPECT_EQ(clock.nextEventTime(), 260u);  // a world loop wakes up for the answer
  Ipv4 address;
  clock.advanceTo(259);
  EXPECT_EQ(dns.pollResolve(query, address), DnsState::Pending);
  EXPECT_TRUE(address.isUnset());
  clock.advanceTo(260);
  EXPECT_EQ(dns.pollResolve(query, address), DnsState::Resolved);
  EXPECT_EQ(address, kM2m);
  ASSERT_EQ(dns.queries().size(), 1u);
  EXPECT_EQ(dns.queries()[0].time, 10u);
  EXPECT_EQ(dns.queries()[0].host, "m2m.gizwits.com");
}

TEST(SimDns, S11_3_UnknownAndRemovedNamesFail) {
  VirtualClock clock;
  SimDns dns(clock);
  Ipv4 address;
  EXPECT_EQ(dns.pollResolve(dns.startResolve("nowhere.example"), address), DnsState::Failed);

  dns.setHost("api.gizwits.com", kApi);
  dns.setLatency(100);
  const DnsQueryId query = dns.startResolve("api.gizwits.com");
  dns.removeHost("api.gizwits.com");  // before the answer: the table at completion decides
  clock.advanceTo(100);
  EXPECT_EQ(dns.pollResolve(query, address), DnsState::Failed);
}

TEST(SimDns, InjectedFailures) {
  VirtualClock clock;
  SimDns dns(clock);
  dns.setHost("api.gizwits.com", kApi);
  Ipv4 address;
  dns.failNext(2);
  EXPECT_EQ(dns.pollResolve(dns.startResolve("api.gizwits.com"), address), DnsState::Failed);
  EXPECT_EQ(dns.pollResolve(dns.startResolve("api.gizwits.com"), address), DnsState::Failed);
  EXPECT_EQ(dns.pollResolve(dns.startResolve("api.gizwits.com"), address), DnsState::Resolved);

  dns.setFailing(true);
  EXPECT_EQ(dns.pollResolve(dns.startResolve("api.gizwits.com"), address), DnsState::Failed);
  dns.setFailing(false);
  EXPECT_EQ(dns.pollResolve(dns.startResolve("api.gizwits.com"), address), DnsState::Resolved);
}

TEST(SimDns, S11_4_AChangedAddressIsSeenByTheNextQuery) {
  VirtualClock clock;
  SimDns dns(clock);
  dns.setHost("m2m.gizwits.com", kM2m);
  Ipv4 address;
  dns.pollResolve(dns.startResolve("m2m.gizwits.com"), address);
  dns.setHost("m2m.gizwits.com", ipv4(198, 51, 100, 7));
  dns.pollResolve(dns.startResolve("m2m.gizwits.com"), address);
  EXPECT_EQ(address, ipv4(198, 51, 100, 7));
}

TEST(SimDns, QueriesInFlightAreIndependent) {
  VirtualClock clock;
  SimDns dns(clock);
  dns.setHost("api.gizwits.com", kApi);
  dns.setHost("m2m.gizwits.com", kM2m);
  dns.setLatency(50);
  const DnsQueryId api = dns.startResolve("api.gizwits.com");
  clock.advanceTo(20);
  const DnsQueryId m2m = dns.startResolve("m2m.gizwits.com");
  EXPECT_NE(api, m2m);
  clock.advanceTo(50);
  Ipv4 address;
  EXPECT_EQ(dns.pollResolve(m2m, address), DnsState::Pending);
  EXPECT_EQ(dns.pollResolve(api, address), DnsState::Resolved);
  EXPECT_EQ(address, kApi);
  clock.advanceTo(70);
  EXPECT_EQ(dns.pollResolve(m2m, address), DnsState::Resolved);
  EXPECT_EQ(address, kM2m);
}
