#pragma once
// The fixture of the LanServer tests (lan_server, lan_log): one LanServer on a SimBoard's network with the
// module identity and config of lan_test_support.h, a listener that records what the server tells its
// owner, and phone-app connections from kAppIp. Virtual time: poll() once, or run() to a moment.

#include <gtest/gtest.h>

#include <vector>

#include "gagent/core/bind_window.h"
#include "gagent/core/lan_server.h"
#include "gagent/core/log.h"
#include "lan_test_support.h"

namespace lantest {

inline constexpr gagent::hal::Ipv4 kAppIp = gagent::hal::ipv4(10, 0, 0, 7);

// Protocol §2.3 "Observed v4.2.6 LAN session": login with kPasscode, and its success.
inline const Bytes kLoginReq =
    cat({{0x00, 0x00, 0x00, 0x03, 0x0F, 0x00, 0x00, 0x08, 0x00, 0x0A}, text(kPasscode)});
inline const Bytes kLoginOk = {0x00, 0x00, 0x00, 0x03, 0x04, 0x00, 0x00, 0x09, 0x00};

// Records every call of the server to its owner; `cache` is what it answers scanCache() with.
struct RecordingLanListener : gagent::core::LanServerListener {
  struct Command {
    gagent::core::LanClientId client = gagent::core::kNoLanClient;
    std::uint16_t cmd = 0;
    std::uint32_t sn = 0;
    Bytes p0;
    Millis time = 0;
  };
  std::vector<Command> commands;
  std::vector<std::size_t> counts;
  std::vector<Millis> exits;
  std::vector<gagent::hal::AccessPoint> cache;

  void onAppCommand(gagent::core::LanClientId client, gagent::proto::LanCmd cmd, std::uint32_t sn,
                    gagent::proto::Bytes p0, Millis now) override {
    commands.push_back({client, gagent::proto::toU16(cmd), sn, Bytes(p0.begin(), p0.end()), now});
  }
  void onAppCountChanged(std::size_t loggedIn, Millis) override { counts.push_back(loggedIn); }
  void onExitProductionTest(Millis now) override { exits.push_back(now); }
  std::span<const gagent::hal::AccessPoint> scanCache() override { return cache; }
};

struct IgnoringBindListener : gagent::core::BindWindowListener {
  void onBindableChanged(bool, Millis) override {}
};

struct LanServerFixture : ::testing::Test {
  gagent::sim::SimBoard board;
  gagent::sim::SimNet& net = board.net();
  gagent::sim::VirtualClock& clock = board.clock();
  gagent::core::LogHub logs;
  gagent::core::ModuleIdentity identity = makeIdentity();
  gagent::core::DeviceConfig config = makeConfig();
  IgnoringBindListener bindListener;
  gagent::core::BindWindow window{logs, bindListener};
  RecordingLanListener listener;
  gagent::core::LanServer server{net, identity, config, window, logs, listener};
  gagent::hal::Ipv4 moduleIp = gagent::sim::SimNet::kStationAddress;

  LanServerFixture() {
    net.setModuleAddress(moduleIp);
    server.start(0);
  }

  void poll() { server.poll(clock.now()); }
  void run(Millis until) {
    runUntil(
        clock, until, [&](Millis now) { server.poll(now); }, [&] { return server.nextDeadline(); });
  }
  // A phone app's connection to the server's TCP port, accepted.
  gagent::sim::PeerTcpConnection* connect(gagent::hal::Ipv4 from = kAppIp) {
    gagent::sim::PeerTcpConnection* c =
        net.connectPeer({from, 0}, {moduleIp, gagent::core::LanServer::kPort});
    poll();
    return c;
  }
  // Sends `bytes`, polls once, returns what came back.
  Bytes exchange(gagent::sim::PeerTcpConnection* c, const Bytes& bytes) {
    EXPECT_TRUE(c->send(bytes));
    poll();
    return c->receiveAll();
  }
  gagent::sim::PeerTcpConnection* loggedInClient() {
    gagent::sim::PeerTcpConnection* c = connect();
    EXPECT_EQ(exchange(c, kLoginReq), kLoginOk);
    return c;
  }
  // Everything received on `c` so far, as packets (a malformed stream fails the test).
  std::vector<Packet> packets(gagent::sim::PeerTcpConnection* c) {
    bool ok = false;
    auto out = decodeStream(c->receiveAll(), &ok);
    EXPECT_TRUE(ok);
    return out;
  }
};

}  // namespace lantest
