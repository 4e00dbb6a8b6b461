// PosixDns (S11.5): dotted addresses resolve at once; names resolve on a worker that wakes the loop's fd.
#include "gagent/posix/posix_dns.h"

#include <gtest/gtest.h>
#include <poll.h>

using namespace gagent;

TEST(PosixDns, S11_5_DottedAddressResolvesAtOnce) {
  posix::PosixDns dns;
  const auto query = dns.startResolve("127.0.0.1");
  ASSERT_NE(query, hal::kNoQuery);
  hal::Ipv4 address;
  EXPECT_EQ(dns.pollResolve(query, address), hal::DnsState::Resolved);
  EXPECT_EQ(address, hal::ipv4(127, 0, 0, 1));
  EXPECT_EQ(dns.pollResolve(query, address), hal::DnsState::Failed);  // the id is free again
}

TEST(PosixDns, S11_5_NameResolvesOnAWorkerAndWakesTheLoop) {
  posix::PosixDns dns;
  const auto query = dns.startResolve("localhost");
  ASSERT_NE(query, hal::kNoQuery);
  pollfd p{dns.fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 20000), 1);  // the worker's wake-up
  dns.drain();
  hal::Ipv4 address;
  EXPECT_EQ(dns.pollResolve(query, address), hal::DnsState::Resolved);
  EXPECT_EQ(address.value >> 24, 127u);
}

TEST(PosixDns, BadNamesFailWithoutBlocking) {
  posix::PosixDns dns;
  EXPECT_EQ(dns.startResolve(""), hal::kNoQuery);
  EXPECT_EQ(dns.startResolve(std::string(300, 'a')), hal::kNoQuery);
  const auto query = dns.startResolve("no-such-host.invalid");  // RFC 6761: never resolves
  ASSERT_NE(query, hal::kNoQuery);
  hal::Ipv4 address;
  hal::DnsState state = hal::DnsState::Pending;
  for (int i = 0; i < 2000 && state == hal::DnsState::Pending; ++i) {
    state = dns.pollResolve(query, address);
    if (state == hal::DnsState::Pending) ::poll(nullptr, 0, 10);
  }
  EXPECT_EQ(state, hal::DnsState::Failed);
}
