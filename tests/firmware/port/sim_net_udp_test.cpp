#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "gagent/sim/sim_net.h"

using namespace gagent::hal;
using gagent::sim::NetRecord;
using gagent::sim::SimNet;
using gagent::sim::VirtualClock;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr Ipv4 kModule = ipv4(10, 0, 0, 50);
constexpr Ipv4 kPhone = ipv4(10, 0, 0, 7);
constexpr Ipv4 kTablet = ipv4(10, 0, 0, 8);
constexpr std::uint16_t kAnnouncePort = 2415;  // S7.1.1
constexpr std::uint16_t kDiscoveryPort = 12414;

const Bytes kHello{0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x03};

}  // namespace

TEST(SimNetUdp, UnicastReachesOnlyThePeerBoundThere) {
  VirtualClock clock(40);
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  auto& tablet = net.openPeerUdp({kTablet, kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  ASSERT_NE(socket, kNoSocket);

  EXPECT_EQ(net.udpSend(socket, {kPhone, kAnnouncePort}, kHello).bytes, kHello.size());
  ASSERT_EQ(phone.pending(), 1u);
  EXPECT_EQ(tablet.pending(), 0u);
  const auto datagram = phone.receive();
  EXPECT_EQ(datagram->time, 40u);
  EXPECT_EQ(datagram->from, (Endpoint{kModule, kDiscoveryPort}));
  EXPECT_EQ(datagram->to, (Endpoint{kPhone, kAnnouncePort}));
  EXPECT_EQ(datagram->bytes, kHello);

  // Nobody bound there: sent all the same, recorded as undelivered.
  EXPECT_TRUE(net.udpSend(socket, {kPhone, 9999}, kHello).isDone());
  ASSERT_EQ(net.record().size(), 2u);
  EXPECT_TRUE(net.record()[0].delivered);
  EXPECT_FALSE(net.record()[1].delivered);
}

TEST(SimNetUdp, S7_1_1_BroadcastReachesEveryPeerOnThatPort) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  auto& tablet = net.openPeerUdp({kTablet, kAnnouncePort});
  auto& otherPort = net.openPeerUdp({kTablet, 2416});
  const SocketId socket = net.udpOpen(0, true);

  EXPECT_TRUE(net.udpSend(socket, {SimNet::kLimitedBroadcast, kAnnouncePort}, kHello).isDone());
  EXPECT_TRUE(net.udpSend(socket, {ipv4(10, 0, 0, 255), kAnnouncePort}, kHello).isDone());  // subnet
  EXPECT_EQ(phone.pending(), 2u);
  EXPECT_EQ(tablet.pending(), 2u);
  EXPECT_EQ(otherPort.pending(), 0u);
  EXPECT_EQ(tablet.receiveAll()[0].to, (Endpoint{SimNet::kLimitedBroadcast, kAnnouncePort}));

  const NetRecord& first = net.record()[0];
  EXPECT_EQ(first.kind, NetRecord::Kind::Udp);
  EXPECT_EQ(first.from, (Endpoint{kModule, 49152}));  // the first ephemeral port
  EXPECT_EQ(first.to, (Endpoint{SimNet::kLimitedBroadcast, kAnnouncePort}));
  EXPECT_EQ(first.bytes, kHello);
}

TEST(SimNetUdp, BroadcastNeedsAllowBroadcast) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  EXPECT_EQ(net.udpSend(socket, {SimNet::kLimitedBroadcast, kAnnouncePort}, kHello).kind,
            IoResult::Kind::Error);
  EXPECT_EQ(phone.pending(), 0u);
  EXPECT_TRUE(net.record().empty());
}

TEST(SimNetUdp, ConfiguredBroadcastAddressReplacesTheLimitedOne) {
  VirtualClock clock;
  SimNet net(clock, ipv4(127, 0, 0, 2));
  net.setSubnetMask(ipv4(255, 0, 0, 0));
  net.setBroadcastAddress(ipv4(127, 255, 255, 255));
  auto& phone = net.openPeerUdp({ipv4(127, 0, 0, 9), kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, true);
  net.udpSend(socket, {ipv4(127, 255, 255, 255), kAnnouncePort}, kHello);
  net.udpSend(socket, {SimNet::kLimitedBroadcast, kAnnouncePort}, kHello);  // now a plain unicast
  EXPECT_EQ(phone.pending(), 1u);
}

TEST(SimNetUdp, PeerDatagramsArriveOnePerCallWithTheSender) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, 0});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  EXPECT_TRUE(phone.send({kModule, kDiscoveryPort}, Bytes{1, 2, 3}));
  EXPECT_TRUE(phone.send({kModule, kDiscoveryPort}, Bytes{4, 5}));

  std::array<std::uint8_t, 16> buffer{};
  Endpoint from;
  IoResult r = net.udpReceive(socket, buffer, from);
  EXPECT_EQ(r.bytes, 3u);
  EXPECT_EQ(from, phone.local());
  EXPECT_EQ(from.port, 49152);
  EXPECT_EQ(net.udpReceive(socket, buffer, from).bytes, 2u);
  EXPECT_EQ(buffer[0], 4);
  EXPECT_EQ(net.udpReceive(socket, buffer, from).kind, IoResult::Kind::WouldBlock);

  // A datagram larger than the buffer: the part that fits, reported as an error, the rest dropped.
  phone.send({kModule, kDiscoveryPort}, Bytes{9, 8, 7, 6});
  std::array<std::uint8_t, 2> small{};
  EXPECT_EQ(net.udpReceive(socket, small, from).kind, IoResult::Kind::Error);
  EXPECT_EQ(small, (std::array<std::uint8_t, 2>{9, 8}));
  EXPECT_EQ(net.udpReceive(socket, buffer, from).kind, IoResult::Kind::WouldBlock);
}

TEST(SimNetUdp, PeerBroadcastReachesModuleSocketsThatAllowItAndOtherPeers) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, kDiscoveryPort});
  auto& tablet = net.openPeerUdp({kTablet, kDiscoveryPort});
  const SocketId listening = net.udpOpen(kDiscoveryPort, true);
  const SocketId deaf = net.udpOpen(kAnnouncePort, false);

  EXPECT_TRUE(phone.send({SimNet::kLimitedBroadcast, kDiscoveryPort}, kHello));
  EXPECT_TRUE(phone.send({SimNet::kLimitedBroadcast, kAnnouncePort}, kHello));
  std::array<std::uint8_t, 16> buffer{};
  Endpoint from;
  EXPECT_EQ(net.udpReceive(listening, buffer, from).bytes, kHello.size());
  EXPECT_EQ(net.udpReceive(deaf, buffer, from).kind, IoResult::Kind::WouldBlock);
  EXPECT_EQ(tablet.pending(), 1u);
  EXPECT_EQ(phone.pending(), 0u);  // not its own
}

TEST(SimNetUdp, AddressChangeMovesTheModule) {
  VirtualClock clock;
  SimNet net(clock);
  auto& phone = net.openPeerUdp({ipv4(10, 10, 100, 100), 0});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  // No interface yet: cannot send, cannot be reached.
  EXPECT_EQ(net.udpSend(socket, phone.local(), kHello).kind, IoResult::Kind::Error);
  phone.send({SimNet::kSoftApAddress, kDiscoveryPort}, kHello);

  net.setModuleAddress(SimNet::kSoftApAddress);
  phone.send({kModule, kDiscoveryPort}, kHello);  // the old station address: nobody
  phone.send({SimNet::kSoftApAddress, kDiscoveryPort}, Bytes{7});
  std::array<std::uint8_t, 16> buffer{};
  Endpoint from;
  EXPECT_EQ(net.udpReceive(socket, buffer, from).bytes, 1u);
  EXPECT_EQ(net.udpReceive(socket, buffer, from).kind, IoResult::Kind::WouldBlock);
  EXPECT_TRUE(net.udpSend(socket, phone.local(), kHello).isDone());
  EXPECT_EQ(phone.receive()->from, (Endpoint{SimNet::kSoftApAddress, kDiscoveryPort}));
}

TEST(SimNetUdp, APortIsBoundOnceAndSocketsAreCounted) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  const SocketId first = net.udpOpen(kDiscoveryPort, false);
  EXPECT_EQ(net.udpOpen(kDiscoveryPort, true), kNoSocket);
  net.close(first);
  EXPECT_NE(net.udpOpen(kDiscoveryPort, true), kNoSocket);
  EXPECT_EQ(net.udpSend(first, {kPhone, 1}, kHello).kind, IoResult::Kind::Error);  // ids are not reused
  EXPECT_EQ(net.openSocketCount(), 1u);
}

TEST(SimNetUdp, LanDownFailsSendsBothWays) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, true);
  net.setLanUp(false);
  EXPECT_EQ(net.udpSend(socket, phone.local(), kHello).kind, IoResult::Kind::Error);
  EXPECT_FALSE(phone.send({kModule, kDiscoveryPort}, kHello));
  net.setLanUp(true);
  EXPECT_TRUE(net.udpSend(socket, phone.local(), kHello).isDone());
  EXPECT_EQ(phone.pending(), 1u);
}

TEST(SimNetUdp, SilentDropLosesDatagramsWithoutAnError) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  net.setSilentDrop(true);
  EXPECT_TRUE(net.udpSend(socket, phone.local(), kHello).isDone());
  EXPECT_TRUE(phone.send({kModule, kDiscoveryPort}, kHello));
  std::array<std::uint8_t, 16> buffer{};
  Endpoint from;
  EXPECT_EQ(net.udpReceive(socket, buffer, from).kind, IoResult::Kind::WouldBlock);
  EXPECT_EQ(phone.pending(), 0u);
  ASSERT_EQ(net.record().size(), 2u);
  EXPECT_FALSE(net.record()[0].delivered);
  EXPECT_FALSE(net.record()[1].delivered);
}

// ---- the impairment (S6.1.2 measurements) -------------------------------------------------------------

using gagent::sim::UdpImpairment;

TEST(SimNetUdpImpairment, AllLostIsRecordedAsNotDelivered) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  net.setUdpImpairment({.loss = 1.0}, {.loss = 1.0}, 7);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  net.udpSend(socket, {kPhone, kAnnouncePort}, kHello);
  phone.send({kModule, kDiscoveryPort}, kHello);
  clock.advanceBy(1000);
  EXPECT_EQ(phone.pending(), 0u);
  std::array<std::uint8_t, 16> buffer{};
  Endpoint from;
  EXPECT_EQ(net.udpReceive(socket, buffer, from).kind, IoResult::Kind::WouldBlock);
  ASSERT_EQ(net.record().size(), 2u);
  EXPECT_FALSE(net.record()[0].delivered);
  EXPECT_TRUE(net.record()[0].fromModule);
  EXPECT_FALSE(net.record()[1].delivered);
}

TEST(SimNetUdpImpairment, DuplicatesArriveTwiceEachAfterItsDelay) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  net.setUdpImpairment({}, {.duplicate = 1.0, .minDelay = 10, .jitter = 20}, 7);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  net.udpSend(socket, {kPhone, kAnnouncePort}, kHello);
  EXPECT_EQ(phone.pending(), 0u);  // nothing at once: every copy is delayed
  clock.advanceBy(9);
  EXPECT_EQ(phone.pending(), 0u);
  clock.advanceBy(21);
  ASSERT_EQ(phone.pending(), 2u);
  for (const auto& d : phone.receiveAll()) {
    EXPECT_GE(d.time, 10u);
    EXPECT_LE(d.time, 30u);
    EXPECT_EQ(d.bytes, kHello);
  }
  EXPECT_EQ(net.record().size(), 2u);  // one record per copy, at its arrival
}

TEST(SimNetUdpImpairment, AHeldBackDatagramArrivesAfterLaterOnes) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto& phone = net.openPeerUdp({kPhone, 0});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  // Half the datagrams from the phone are held back 100 ms; of 50 sent 10 ms apart some must arrive after
  // later ones.
  net.setUdpImpairment({.reorder = 0.5, .minDelay = 1, .reorderDelay = 100}, {}, 11);
  for (std::uint8_t i = 0; i < 50; ++i) {
    phone.send({kModule, kDiscoveryPort}, Bytes{i});
    clock.advanceBy(10);
  }
  clock.advanceBy(200);
  std::vector<std::uint8_t> order;
  std::array<std::uint8_t, 4> buffer{};
  Endpoint from;
  while (net.udpReceive(socket, buffer, from).isDone()) order.push_back(buffer[0]);
  ASSERT_EQ(order.size(), 50u);  // nothing lost, nothing doubled
  EXPECT_FALSE(std::is_sorted(order.begin(), order.end()));
  std::sort(order.begin(), order.end());
  EXPECT_EQ(std::adjacent_find(order.begin(), order.end()), order.end());
}

TEST(SimNetUdpImpairment, AnInterfaceTakenDownFlushesWhatTheModuleHadNotSentYet) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  net.setUdpImpairment({}, {.minDelay = 5}, 3);
  auto& phone = net.openPeerUdp({kPhone, kAnnouncePort});
  const SocketId socket = net.udpOpen(kDiscoveryPort, false);
  net.udpSend(socket, {kPhone, kAnnouncePort}, kHello);
  net.setModuleAddress(ipv4(10, 10, 100, 254));  // e.g. the SoftAP stopped at once
  clock.advanceBy(10);
  EXPECT_EQ(phone.pending(), 0u);
  ASSERT_EQ(net.record().size(), 1u);
  EXPECT_FALSE(net.record()[0].delivered);
}

TEST(SimNetUdpImpairment, TheSameSeedGivesTheSameFates) {
  const auto run = [](std::uint64_t seed) {
    VirtualClock clock;
    SimNet net(clock, kModule);
    net.setUdpImpairment({.loss = 0.3, .duplicate = 0.3, .minDelay = 1, .jitter = 50}, {}, seed);
    auto& phone = net.openPeerUdp({kPhone, 0});
    net.udpOpen(kDiscoveryPort, false);
    for (std::uint8_t i = 0; i < 40; ++i) phone.send({kModule, kDiscoveryPort}, Bytes{i});
    clock.advanceBy(100);
    std::vector<std::pair<gagent::hal::Millis, bool>> fates;
    for (const auto& r : net.record()) fates.emplace_back(r.time, r.delivered);
    return fates;
  };
  EXPECT_EQ(run(5), run(5));
  EXPECT_NE(run(5), run(6));
}
