// The air server over real loopback sockets: two module connections and one control connection
// (docs/virtual-lab.md), and peers that break the rules.
#include "gagent/air/air_server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "gagent/air/air_client.h"

using namespace gagent::air;
using namespace std::chrono_literals;

namespace {

// Generous: the machine is shared, and nothing here asserts on speed.
constexpr auto kTimeout = 10s;

// Serves on a free port from a thread; stops and joins on destruction, also when a test fails.
class RunningServer {
 public:
  explicit RunningServer(AirModel model = {}, AirServerLimits limits = {})
      : server_(std::move(model), limits) {
    std::string error;
    listening_ = server_.listen("127.0.0.1", 0, error);
    EXPECT_TRUE(listening_) << error;
    if (listening_) {
      thread_ = std::thread([this] {
        std::string runError;
        EXPECT_TRUE(server_.run(runError)) << runError;
      });
    }
  }
  ~RunningServer() {
    server_.requestStop();
    if (thread_.joinable()) thread_.join();
  }
  [[nodiscard]] std::uint16_t port() const { return server_.port(); }

 private:
  AirServer server_;
  bool listening_ = false;
  std::thread thread_;
};

std::string ask(AirClient& client, const std::string& line) {
  auto reply = client.request(line, kTimeout);
  EXPECT_TRUE(reply) << line << ": " << client.lastError();
  return reply.value_or("<" + client.lastError() + ">");
}

void connectTo(AirClient& client, const RunningServer& server) {
  ASSERT_TRUE(client.connect("127.0.0.1", server.port(), kTimeout)) << client.lastError();
}

// A raw socket for peers that do not follow the protocol.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawPeer() { ::close(fd_); }
  [[nodiscard]] bool connected() const { return connected_; }
  // Sends without blocking; false once the server has closed the connection.
  bool send(const std::string& data) {
    const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    return sent >= 0 || errno == EAGAIN || errno == EWOULDBLOCK;
  }
  // True when the server closed the connection within the timeout (reads and discards what it sent).
  bool closedByServer(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[65536];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd waiting{fd_, POLLIN, 0};
      if (::poll(&waiting, 1, 100) <= 0) continue;
      const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
      if (got <= 0) return true;
    }
    return false;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace

TEST(AirServer, TwoModulesAndAControllerShareTheAir) {
  RunningServer server;
  AirClient moduleA, moduleB, control;
  connectTo(moduleA, server);
  connectTo(moduleB, server);
  connectTo(control, server);

  EXPECT_EQ(ask(control, "AP-ADD GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
  EXPECT_EQ(ask(control, "AP-ADD my%20home secret-pass 45"), "OK");
  EXPECT_EQ(ask(moduleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "OK");
  EXPECT_EQ(ask(moduleB, "HELLO 0a1b2c3d4e5f 127.0.0.11"), "OK");
  EXPECT_EQ(ask(control, "RSSI GIZWITS_TEST_1 0a1b2c3d4e5f 20"), "OK");
  EXPECT_EQ(ask(moduleA, "SCAN"), "OK 2 GIZWITS_TEST_1 70 my%20home 45");
  EXPECT_EQ(ask(moduleB, "SCAN"), "OK 2 GIZWITS_TEST_1 20 my%20home 45");
  EXPECT_EQ(ask(moduleA, "JOIN GIZWITS_TEST_1 wrong-password"), "ERROR wrong-password");
  EXPECT_EQ(ask(moduleA, "JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
  EXPECT_EQ(ask(moduleB, "JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
  EXPECT_EQ(ask(moduleB, "SIGNAL"), "OK 20");
  EXPECT_EQ(ask(control, "CLIENTS GIZWITS_TEST_1"), "OK 2 a0b1c2d3e4f5 0a1b2c3d4e5f");
  EXPECT_EQ(ask(control, "MODULES"),
            "OK 2 a0b1c2d3e4f5 127.0.0.10 GIZWITS_TEST_1 - - 0a1b2c3d4e5f 127.0.0.11 GIZWITS_TEST_1 - -");
  EXPECT_EQ(control.waitEvent(0ms), std::nullopt);  // the controller joined nothing
}

TEST(AirServer, S5_7_ARouterRebootReachesEachJoinedModuleAsAnEventOnItsOwnConnection) {
  AirModel air;
  AirEvents none;
  air.addAccessPoint("GIZWITS_TEST_1", "GIZWITS_TEST_PASS", kDefaultSignal, none);
  air.addAccessPoint("GIZWITS_TEST_2", "GIZWITS_TEST_PASS", kDefaultSignal, none);
  RunningServer server(std::move(air));
  AirClient moduleA, moduleB, control;
  connectTo(moduleA, server);
  connectTo(moduleB, server);
  connectTo(control, server);
  EXPECT_EQ(ask(moduleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "OK");
  EXPECT_EQ(ask(moduleB, "HELLO 0a1b2c3d4e5f 127.0.0.11"), "OK");
  EXPECT_EQ(ask(moduleA, "JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
  EXPECT_EQ(ask(moduleB, "JOIN GIZWITS_TEST_2 GIZWITS_TEST_PASS"), "OK");

  EXPECT_EQ(ask(control, "AP-REBOOT GIZWITS_TEST_1"), "OK");
  EXPECT_EQ(moduleA.waitEvent(kTimeout), "EVENT link-down GIZWITS_TEST_1");
  EXPECT_EQ(ask(control, "CLIENTS GIZWITS_TEST_1"), "OK 0");
  EXPECT_EQ(ask(moduleB, "SIGNAL"), "OK 70");  // B's router kept its client: no event for B
  EXPECT_EQ(moduleB.waitEvent(0ms), std::nullopt);

  // An event that arrives while a module waits for a reply is set aside, not taken for the reply.
  EXPECT_EQ(ask(control, "AP-POWER GIZWITS_TEST_2 off"), "OK");
  EXPECT_EQ(ask(moduleB, "SCAN"), "OK 1 GIZWITS_TEST_1 70");
  EXPECT_EQ(moduleB.pendingEvents(), 1u);
  EXPECT_EQ(moduleB.waitEvent(0ms), "EVENT link-down GIZWITS_TEST_2");
  EXPECT_EQ(ask(moduleB, "SIGNAL"), "OK 0");
}

TEST(AirServer, APhoneJoinsAModuleSoftApAndAOneShotReachesTheListener) {
  RunningServer server;
  AirClient moduleA, moduleB, control;
  connectTo(moduleA, server);
  connectTo(moduleB, server);
  connectTo(control, server);
  EXPECT_EQ(ask(moduleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "OK");
  EXPECT_EQ(ask(moduleB, "HELLO 0a1b2c3d4e5f 127.0.0.11"), "OK");
  EXPECT_EQ(ask(moduleB, "SOFTAP XPG-GAgent-4e5f 123456789"), "OK");
  EXPECT_EQ(ask(control, "SOFTAP-JOIN XPG-GAgent-4e5f 123456789"), "OK 127.0.0.11");
  EXPECT_EQ(ask(control, "SOFTAP-JOIN XPG-GAgent-4e5f 12345678"), "ERROR wrong-password");

  EXPECT_EQ(ask(moduleA, "ONESHOT airlink"), "OK");
  EXPECT_EQ(ask(control, "ONESHOT-SEND my%20home pass%25word"), "OK 1");
  EXPECT_EQ(moduleA.waitEvent(kTimeout), "EVENT oneshot my%20home pass%25word");
  EXPECT_EQ(moduleB.waitEvent(0ms), std::nullopt);

  // A module whose connection closes is forgotten with its SoftAP.
  moduleB.close();
  std::string reply;
  for (int attempt = 0; attempt < 100 && reply != "ERROR no-ap"; ++attempt) {
    reply = ask(control, "SOFTAP-JOIN XPG-GAgent-4e5f 123456789");
    if (reply != "ERROR no-ap") std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(reply, "ERROR no-ap");
  EXPECT_EQ(ask(control, "MODULES"), "OK 1 a0b1c2d3e4f5 127.0.0.10 - - -");
}

TEST(AirServer, RequestsSentTogetherAreAnsweredInOrderAndBadOnesDoNotEndTheConnection) {
  RunningServer server;
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.connected());
  AirClient control;
  connectTo(control, server);
  EXPECT_EQ(ask(control, "FLY"), "ERROR bad-request unknown-command");
  EXPECT_EQ(ask(control, "AP-ADD Home bad%"), "ERROR bad-request bad-password");
  EXPECT_EQ(ask(control, "AP-ADD Home pass"), "OK");
  EXPECT_EQ(ask(control, std::string("\x01\xFF\x00 junk", 8)), "ERROR bad-request unknown-command");
  EXPECT_EQ(ask(control, "APS"), "OK 1 Home pass on 70 0");
}

TEST(AirServer, AnOverLongLineDisconnectsOnlyThatPeer) {
  RunningServer server(AirModel{}, AirServerLimits{.maxLineLength = 100});
  AirClient control;
  connectTo(control, server);
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.connected());
  EXPECT_TRUE(peer.send(std::string(200, 'A')));  // no newline yet: the line is already too long
  EXPECT_TRUE(peer.closedByServer(kTimeout));
  EXPECT_EQ(ask(control, "APS"), "OK 0");
}

TEST(AirServer, APeerThatFloodsWithoutReadingIsDisconnected) {
  AirModel air;
  AirEvents none;
  for (int i = 0; i < 20; ++i) air.addAccessPoint("AP-number-" + std::to_string(i), "password", 50, none);
  RunningServer server(std::move(air), AirServerLimits{.maxQueuedOutput = 16 * 1024});
  AirClient control;
  connectTo(control, server);
  RawPeer flooder(server.port());
  ASSERT_TRUE(flooder.connected());
  std::string burst;
  for (int i = 0; i < 1000; ++i) burst += "APS\n";  // each reply is ~600 bytes
  // Until the server gives up on the flooder (its unread replies pile up) the sends go through.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool disconnected = false;
  while (!disconnected && std::chrono::steady_clock::now() < deadline) {
    disconnected = !flooder.send(burst);
    if (!disconnected) std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(disconnected);
  EXPECT_EQ(ask(control, "CLIENTS AP-number-0"), "OK 0");  // the others are still served
}

TEST(AirServer, ListensOnLoopbackOnly) {
  AirServer server;
  std::string error;
  EXPECT_FALSE(server.listen("0.0.0.0", 0, error));
  EXPECT_EQ(error, "the air listens on loopback only (127.0.0.0/8), not 0.0.0.0");
  EXPECT_FALSE(server.listen("localhost", 0, error));
  EXPECT_EQ(error, "not an IPv4 address: localhost");
  EXPECT_TRUE(server.listen("127.0.0.1", 0, error)) << error;
  EXPECT_NE(server.port(), 0);
}

TEST(AirClient, ARequestWithoutAServerOrAnAnswerFailsWithAReason) {
  AirClient client;
  EXPECT_FALSE(client.request("APS", 100ms));
  EXPECT_EQ(client.lastError(), "not connected");

  // A listener that never accepts: the kernel completes the connection, nobody answers.
  const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(silent, 4), 0);
  ASSERT_EQ(::getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ASSERT_TRUE(client.connect("127.0.0.1", ntohs(address.sin_port), kTimeout)) << client.lastError();
  EXPECT_FALSE(client.request("APS", 200ms));
  EXPECT_EQ(client.lastError(), "timeout waiting for the reply to: APS");
  EXPECT_FALSE(client.connected());  // a late reply must not answer a later request
  ::close(silent);
}
