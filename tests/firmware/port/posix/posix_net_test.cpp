// Real sockets on loopback: the virtual-lab broadcast design of gagent-sim (docs/architecture.md).
#include "gagent/posix/posix_net.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <array>
#include <string>

using namespace gagent;

namespace {

constexpr std::uint16_t kPort = 42414;  // a test port, away from the lab's 12414

// Polls a handle for up to one second (real time: the kernel delivers loopback datagrams at once).
std::string receiveText(posix::PosixNet& net, hal::SocketId socket, hal::Endpoint& from) {
  std::array<std::uint8_t, 256> buffer{};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto result = net.udpReceive(socket, buffer, from);
    if (result.isDone()) return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(result.bytes)};
    ::poll(nullptr, 0, 10);
  }
  return "";
}

std::span<const std::uint8_t> bytesOf(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST(PosixNet, LoopbackBroadcastReachesEveryModuleUnicastOnlyItsTarget) {
  posix::PosixNet moduleA(hal::ipv4(127, 0, 0, 2));
  posix::PosixNet moduleB(hal::ipv4(127, 0, 0, 3));
  posix::PosixNet app(hal::ipv4(127, 0, 0, 1));
  const auto a = moduleA.udpOpen(kPort, true);
  const auto b = moduleB.udpOpen(kPort, true);
  const auto sender = app.udpOpen(0, true);
  ASSERT_NE(a, hal::kNoSocket);
  ASSERT_NE(b, hal::kNoSocket);
  ASSERT_NE(sender, hal::kNoSocket);

  ASSERT_TRUE(app.udpSend(sender, {hal::ipv4(127, 0, 0, 2), kPort}, bytesOf("unicast")).isDone());
  hal::Endpoint from;
  EXPECT_EQ(receiveText(moduleA, a, from), "unicast");
  EXPECT_EQ(from.ip, hal::ipv4(127, 0, 0, 1));
  EXPECT_EQ(receiveText(moduleB, b, from), "");

  ASSERT_TRUE(app.udpSend(sender, {hal::ipv4(127, 255, 255, 255), kPort}, bytesOf("broadcast")).isDone());
  EXPECT_EQ(receiveText(moduleA, a, from), "broadcast");
  EXPECT_EQ(receiveText(moduleB, b, from), "broadcast");
}

TEST(PosixNet, ModuleBroadcastReachesAListenerOnTheWildcardAddressWithTheModuleAsSource) {
  posix::PosixNet module(hal::ipv4(127, 0, 0, 4));
  posix::PosixNet rig(hal::Ipv4{0});  // the rig listens on 0.0.0.0, as an app on a LAN
  const auto listener = rig.udpOpen(kPort + 1, false);
  const auto sender = module.udpOpen(kPort + 2, true);
  ASSERT_TRUE(
      module.udpSend(sender, {hal::ipv4(127, 255, 255, 255), kPort + 1}, bytesOf("announce")).isDone());
  hal::Endpoint from;
  EXPECT_EQ(receiveText(rig, listener, from), "announce");
  EXPECT_EQ(from.ip, hal::ipv4(127, 0, 0, 4));
  EXPECT_EQ(from.port, kPort + 2);
}

TEST(PosixNet, TcpConnectsFromTheModuleAddressAndSeesThePeerClose) {
  posix::PosixNet server(hal::ipv4(127, 0, 0, 5));
  posix::PosixNet module(hal::ipv4(127, 0, 0, 6));
  const auto listener = server.tcpListen(kPort + 3, 4);
  ASSERT_NE(listener, hal::kNoSocket);
  const auto client = module.tcpConnect({hal::ipv4(127, 0, 0, 5), static_cast<std::uint16_t>(kPort + 3)});
  hal::Endpoint peer;
  hal::SocketId accepted = hal::kNoSocket;
  for (int i = 0; i < 100 && accepted == hal::kNoSocket; ++i) {
    accepted = server.tcpAccept(listener, peer);
    if (accepted == hal::kNoSocket) ::poll(nullptr, 0, 10);
  }
  ASSERT_NE(accepted, hal::kNoSocket);
  EXPECT_EQ(peer.ip, hal::ipv4(127, 0, 0, 6));
  for (int i = 0; i < 100 && module.tcpState(client) == hal::TcpState::Connecting; ++i)
    ::poll(nullptr, 0, 10);
  ASSERT_EQ(module.tcpState(client), hal::TcpState::Connected);
  ASSERT_TRUE(module.tcpSend(client, bytesOf("hello")).isDone());
  std::array<std::uint8_t, 16> buffer{};
  hal::IoResult got;
  for (int i = 0; i < 100 && !(got = server.tcpReceive(accepted, buffer)).isDone(); ++i)
    ::poll(nullptr, 0, 10);
  ASSERT_EQ(got.bytes, 5u);
  server.close(accepted);
  for (int i = 0;
       i < 100 && (got = module.tcpReceive(client, buffer)).kind == hal::IoResult::Kind::WouldBlock; ++i) {
    ::poll(nullptr, 0, 10);
  }
  EXPECT_EQ(got.kind, hal::IoResult::Kind::Closed);
  EXPECT_EQ(module.tcpState(client), hal::TcpState::Closed);
}
