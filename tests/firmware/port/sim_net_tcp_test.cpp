#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "gagent/sim/sim_net.h"

using namespace gagent::hal;
using gagent::sim::NetRecord;
using gagent::sim::PeerTcpConnection;
using gagent::sim::SimNet;
using gagent::sim::VirtualClock;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr Ipv4 kModule = ipv4(10, 0, 0, 50);
constexpr Ipv4 kPhone = ipv4(10, 0, 0, 7);
constexpr Endpoint kCloud{ipv4(203, 0, 113, 10), 1883};
constexpr std::uint16_t kLanPort = 12416;  // S7.3.1

Bytes receive(SimNet& net, SocketId socket, std::size_t bufferSize = 64) {
  std::vector<std::uint8_t> buffer(bufferSize);
  const IoResult r = net.tcpReceive(socket, buffer);
  if (!r.isDone()) return {};
  buffer.resize(r.bytes);
  return buffer;
}

struct Connected {
  SocketId socket;
  PeerTcpConnection* peer;
};

Connected connectToCloud(SimNet& net) {
  auto& listener = net.listenPeer(kCloud);
  const SocketId socket = net.tcpConnect(kCloud);
  return {socket, listener.accept()};
}

}  // namespace

TEST(SimNetTcp, ModuleConnectsToAPeerListenerAfterTheLatency) {
  VirtualClock clock(1000);
  SimNet net(clock, kModule);
  net.setConnectLatency(30);
  auto& listener = net.listenPeer(kCloud);
  const SocketId socket = net.tcpConnect(kCloud);
  ASSERT_NE(socket, kNoSocket);
  EXPECT_EQ(net.tcpState(socket), TcpState::Connecting);
  EXPECT_EQ(net.tcpSend(socket, Bytes{1}).kind, IoResult::Kind::Error);
  EXPECT_EQ(net.tcpReceive(socket, std::span<std::uint8_t>{}).kind, IoResult::Kind::WouldBlock);
  EXPECT_EQ(listener.accept(), nullptr);
  EXPECT_EQ(clock.nextEventTime(), 1030u);

  clock.advanceTo(1029);
  EXPECT_EQ(net.tcpState(socket), TcpState::Connecting);
  clock.advanceTo(1030);
  EXPECT_EQ(net.tcpState(socket), TcpState::Connected);
  PeerTcpConnection* peer = listener.accept();
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(peer->local(), kCloud);
  EXPECT_EQ(peer->remote(), (Endpoint{kModule, 49152}));

  ASSERT_EQ(net.record().size(), 1u);
  EXPECT_EQ(net.record()[0].time, 1030u);
  EXPECT_EQ(net.record()[0].kind, NetRecord::Kind::TcpOpen);
  EXPECT_EQ(net.record()[0].from, (Endpoint{kModule, 49152}));
  EXPECT_EQ(net.record()[0].to, kCloud);
}

TEST(SimNetTcp, ZeroLatencyConnectsInsideTheCall) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  EXPECT_EQ(net.tcpState(socket), TcpState::Connected);
  EXPECT_NE(peer, nullptr);
}

TEST(SimNetTcp, ConnectionRefusedWhenNobodyListensOrTheListenerRefuses) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  const SocketId nobody = net.tcpConnect(kCloud);
  EXPECT_EQ(net.tcpState(nobody), TcpState::Failed);
  EXPECT_EQ(net.tcpReceive(nobody, std::span<std::uint8_t>{}).kind, IoResult::Kind::Error);

  auto& listener = net.listenPeer(kCloud);
  listener.setRefusing(true);
  EXPECT_EQ(net.tcpState(net.tcpConnect(kCloud)), TcpState::Failed);
  listener.setRefusing(false);
  EXPECT_EQ(net.tcpState(net.tcpConnect(kCloud)), TcpState::Connected);
  PeerTcpConnection* accepted = listener.accept();

  listener.close();  // an accepted connection outlives its listener
  EXPECT_FALSE(accepted->isClosed());
  EXPECT_EQ(net.tcpState(net.tcpConnect(kCloud)), TcpState::Failed);
  ASSERT_EQ(net.record().size(), 4u);
  EXPECT_FALSE(net.record()[0].delivered);
  EXPECT_TRUE(net.record()[2].delivered);
  EXPECT_FALSE(net.record()[3].delivered);
}

TEST(SimNetTcp, TheOutcomeIsDecidedWhenTheLatencyEnds) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  net.setConnectLatency(100);
  const SocketId early = net.tcpConnect(kCloud);
  clock.advanceTo(50);
  auto& listener = net.listenPeer(kCloud);  // comes up while the SYN is under way
  clock.advanceTo(100);
  EXPECT_EQ(net.tcpState(early), TcpState::Connected);
  EXPECT_NE(listener.accept(), nullptr);
}

TEST(SimNetTcp, DataFlowsAsStreamsBothWays) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(net.tcpSend(socket, Bytes{0x10, 0x0C}).bytes, 2u);
  EXPECT_EQ(net.tcpSend(socket, Bytes{0x00, 0x04}).bytes, 2u);
  EXPECT_EQ(peer->receiveAll(), (Bytes{0x10, 0x0C, 0x00, 0x04}));
  EXPECT_TRUE(peer->receiveAll().empty());

  EXPECT_EQ(net.tcpReceive(socket, std::span<std::uint8_t>{}).kind, IoResult::Kind::WouldBlock);
  EXPECT_TRUE(peer->send(Bytes{0x20, 0x02}));
  EXPECT_TRUE(peer->send(Bytes{0x00, 0x00}));
  EXPECT_EQ(receive(net, socket), (Bytes{0x20, 0x02, 0x00, 0x00}));  // coalesced, as a stream
  EXPECT_EQ(net.tcpReceive(socket, std::span<std::uint8_t>{}).kind, IoResult::Kind::WouldBlock);

  // The record says which side spoke, whatever address the module has (the rig's wire tap relies on it).
  std::vector<bool> fromModule;
  for (const NetRecord& r : net.record()) fromModule.push_back(r.fromModule);
  EXPECT_EQ(fromModule, (std::vector<bool>{true, true, true, false, false}));  // open, 2 sends, 2 peer sends
  net.close(socket);
  EXPECT_EQ(net.record().back().kind, NetRecord::Kind::TcpClose);
  EXPECT_TRUE(net.record().back().fromModule);
}

TEST(SimNetTcp, MaxSegmentSizeFeedsTheModuleInPieces) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  net.setMaxSegmentSize(3);
  auto [socket, peer] = connectToCloud(net);
  net.clearRecord();
  peer->send(Bytes{1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(receive(net, socket), (Bytes{1, 2, 3}));
  EXPECT_EQ(receive(net, socket, 2), (Bytes{4, 5}));  // a smaller buffer still wins
  EXPECT_EQ(receive(net, socket), (Bytes{6, 7, 8}));

  ASSERT_EQ(net.record().size(), 3u);
  EXPECT_EQ(net.record()[0].kind, NetRecord::Kind::TcpData);
  EXPECT_EQ(net.record()[0].from, kCloud);
  EXPECT_EQ(net.record()[0].bytes, (Bytes{1, 2, 3}));
  EXPECT_EQ(net.record()[2].bytes, (Bytes{7, 8}));
}

TEST(SimNetTcp, PeerCloseIsReportedAfterTheBufferedData) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  peer->send(Bytes{'a', 'b', 'c'});
  peer->close();
  EXPECT_TRUE(peer->isClosed());
  EXPECT_FALSE(peer->send(Bytes{'d'}));
  EXPECT_EQ(net.tcpState(socket), TcpState::Connected);  // data still to read
  EXPECT_EQ(receive(net, socket), (Bytes{'a', 'b', 'c'}));
  EXPECT_EQ(net.tcpState(socket), TcpState::Closed);
  EXPECT_EQ(net.tcpReceive(socket, std::span<std::uint8_t>{}).kind, IoResult::Kind::Closed);
  EXPECT_EQ(net.tcpSend(socket, Bytes{1}).kind, IoResult::Kind::Closed);
  EXPECT_EQ(net.record().back().kind, NetRecord::Kind::TcpClose);
  EXPECT_EQ(net.record().back().from, kCloud);
}

TEST(SimNetTcp, ModuleCloseIsSeenByThePeerAfterItsData) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  net.tcpSend(socket, Bytes{0xE0, 0x00});  // MQTT DISCONNECT
  net.close(socket);
  EXPECT_TRUE(peer->isClosed());
  EXPECT_TRUE(peer->closedByModule());
  EXPECT_EQ(peer->receiveAll(), (Bytes{0xE0, 0x00}));
  EXPECT_FALSE(peer->send(Bytes{1}));
  EXPECT_EQ(net.tcpState(socket), TcpState::Closed);
  EXPECT_EQ(net.tcpSend(socket, Bytes{1}).kind, IoResult::Kind::Error);
  EXPECT_EQ(net.openSocketCount(), 0u);
}

TEST(SimNetTcp, S7_3_1_PeersConnectToTheModuleListener) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  const SocketId listener = net.tcpListen(kLanPort, 2);
  ASSERT_NE(listener, kNoSocket);
  EXPECT_TRUE(net.moduleListening(kLanPort));
  Endpoint from;
  EXPECT_EQ(net.tcpAccept(listener, from), kNoSocket);

  PeerTcpConnection* app = net.connectPeer({kPhone, 0}, {kModule, kLanPort});
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->remote(), (Endpoint{kModule, kLanPort}));
  EXPECT_TRUE(app->send(Bytes{0x00, 0x00, 0x00, 0x03}));  // queued before the accept

  const SocketId client = net.tcpAccept(listener, from);
  ASSERT_NE(client, kNoSocket);
  EXPECT_EQ(from, app->local());
  EXPECT_EQ(net.tcpState(client), TcpState::Connected);
  EXPECT_EQ(receive(net, client), (Bytes{0x00, 0x00, 0x00, 0x03}));
  net.tcpSend(client, Bytes{9});
  EXPECT_EQ(app->receiveAll(), (Bytes{9}));
}

TEST(SimNetTcp, PeerConnectsAreRefusedWithoutAListenerOrBacklog) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  EXPECT_EQ(net.connectPeer({kPhone, 0}, {kModule, kLanPort}), nullptr);
  const SocketId listener = net.tcpListen(kLanPort, 1);
  EXPECT_EQ(net.connectPeer({kPhone, 0}, {ipv4(10, 0, 0, 51), kLanPort}), nullptr);  // wrong host
  EXPECT_NE(net.connectPeer({kPhone, 0}, {kModule, kLanPort}), nullptr);
  EXPECT_EQ(net.connectPeer({kPhone, 0}, {kModule, kLanPort}), nullptr);  // backlog of 1 is full
  Endpoint from;
  net.tcpAccept(listener, from);
  PeerTcpConnection* waiting = net.connectPeer({kPhone, 0}, {kModule, kLanPort});
  ASSERT_NE(waiting, nullptr);

  // Closing the listener breaks the connection still waiting in its backlog.
  net.close(listener);
  EXPECT_TRUE(waiting->broken());
  EXPECT_FALSE(net.moduleListening(kLanPort));
  EXPECT_EQ(net.connectPeer({kPhone, 0}, {kModule, kLanPort}), nullptr);
}

TEST(SimNetTcp, OpenSocketsAreLimited) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  EXPECT_EQ(SimNet::kDefaultMaxSockets, 16u);
  net.setMaxSockets(3);
  const SocketId listener = net.tcpListen(kLanPort, 4);
  const SocketId udp = net.udpOpen(2415, true);
  net.listenPeer(kCloud);
  const SocketId cloud = net.tcpConnect(kCloud);
  EXPECT_NE(cloud, kNoSocket);
  EXPECT_EQ(net.tcpConnect(kCloud), kNoSocket);
  EXPECT_EQ(net.udpOpen(0, false), kNoSocket);

  // An app waits in the backlog until a socket is free.
  PeerTcpConnection* app = net.connectPeer({kPhone, 0}, {kModule, kLanPort});
  ASSERT_NE(app, nullptr);
  Endpoint from;
  EXPECT_EQ(net.tcpAccept(listener, from), kNoSocket);
  net.close(udp);
  EXPECT_NE(net.tcpAccept(listener, from), kNoSocket);
  EXPECT_EQ(net.openSocketCount(), 3u);
}

TEST(SimNetTcp, LanDownBreaksConnectionsAndFailsEverything) {
  VirtualClock clock(500);
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  const SocketId listener = net.tcpListen(kLanPort, 2);
  peer->send(Bytes{1, 2});

  net.setLanUp(false);
  EXPECT_TRUE(peer->broken());
  EXPECT_FALSE(peer->send(Bytes{3}));
  EXPECT_EQ(net.tcpState(socket), TcpState::Connected);  // what arrived before is still readable
  EXPECT_EQ(receive(net, socket), (Bytes{1, 2}));
  EXPECT_EQ(net.tcpReceive(socket, std::span<std::uint8_t>{}).kind, IoResult::Kind::Closed);
  EXPECT_EQ(net.tcpState(socket), TcpState::Closed);
  EXPECT_EQ(net.tcpSend(socket, Bytes{1}).kind, IoResult::Kind::Closed);
  EXPECT_EQ(net.tcpState(net.tcpConnect(kCloud)), TcpState::Failed);
  EXPECT_EQ(net.connectPeer({kPhone, 0}, {kModule, kLanPort}), nullptr);

  const NetRecord& reset = net.record()[2];
  EXPECT_EQ(reset.kind, NetRecord::Kind::TcpReset);
  EXPECT_EQ(reset.time, 500u);
  EXPECT_EQ(reset.from, (Endpoint{kModule, 49152}));
  EXPECT_EQ(reset.to, kCloud);

  // The router comes back: new connections work, the broken one stays broken.
  net.setLanUp(true);
  EXPECT_EQ(net.tcpState(net.tcpConnect(kCloud)), TcpState::Connected);
  EXPECT_NE(net.connectPeer({kPhone, 0}, {kModule, kLanPort}), nullptr);
  Endpoint from;
  EXPECT_NE(net.tcpAccept(listener, from), kNoSocket);
}

TEST(SimNetTcp, ConnectsUnderWayFailWhenTheLanGoesDown) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  net.setConnectLatency(100);
  net.listenPeer(kCloud);
  const SocketId socket = net.tcpConnect(kCloud);
  clock.advanceTo(40);
  net.setLanUp(false);
  EXPECT_EQ(net.tcpState(socket), TcpState::Failed);
  net.setLanUp(true);
  clock.advanceTo(100);
  EXPECT_EQ(net.tcpState(socket), TcpState::Failed);
}

TEST(SimNetTcp, S8_8_2_SilentDropLosesDataAndHangsConnects) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  net.setSilentDrop(true);
  EXPECT_EQ(net.tcpSend(socket, Bytes{0xC0, 0x00}).bytes, 2u);  // PINGREQ into the void
  EXPECT_TRUE(peer->send(Bytes{0xD0, 0x00}));
  EXPECT_TRUE(peer->receiveAll().empty());
  EXPECT_EQ(net.tcpReceive(socket, std::span<std::uint8_t>{}).kind, IoResult::Kind::WouldBlock);
  EXPECT_EQ(net.tcpState(socket), TcpState::Connected);
  EXPECT_FALSE(net.record().back().delivered);

  const SocketId retry = net.tcpConnect(kCloud);
  clock.advanceTo(hours(1));
  EXPECT_EQ(net.tcpState(retry), TcpState::Connecting);
  net.close(socket);  // the core gives up: the close still reaches the peer
  EXPECT_TRUE(peer->closedByModule());
}

TEST(SimNetTcp, SendLimitMakesTcpSendTakeFewer) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  net.setTcpSendLimit(4);
  auto [socket, peer] = connectToCloud(net);
  EXPECT_EQ(net.tcpSend(socket, Bytes{1, 2, 3, 4, 5, 6}).bytes, 4u);
  EXPECT_EQ(net.tcpSend(socket, Bytes{5, 6}).kind, IoResult::Kind::WouldBlock);
  EXPECT_EQ(peer->receiveAll().size(), 4u);
  EXPECT_EQ(net.tcpSend(socket, Bytes{5, 6}).bytes, 2u);
}

TEST(SimNetTcp, AnAddressChangeBreaksModuleConnections) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  net.setModuleAddress(kModule);  // unchanged: nothing happens
  EXPECT_FALSE(peer->isClosed());
  net.setModuleAddress(SimNet::kSoftApAddress);
  EXPECT_TRUE(peer->broken());
  EXPECT_EQ(net.tcpState(socket), TcpState::Closed);
}

TEST(SimNetTcp, AModuleRestartDropsEverySocket) {
  VirtualClock clock;
  SimNet net(clock, kModule);
  auto [socket, peer] = connectToCloud(net);
  net.tcpListen(kLanPort, 2);
  net.udpOpen(2415, true);
  net.closeAllModuleSockets();
  EXPECT_EQ(net.openSocketCount(), 0u);
  EXPECT_TRUE(peer->broken());
  EXPECT_FALSE(net.moduleListening(kLanPort));
  EXPECT_EQ(net.tcpState(socket), TcpState::Closed);
}
