// The air line protocol (docs/virtual-lab.md) over the model, line in, line out, without sockets.
#include "gagent/air/air_protocol.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace gagent::air;

namespace {

constexpr ConnectionId kModuleA = 1;
constexpr ConnectionId kModuleB = 2;
constexpr ConnectionId kControl = 3;

struct Protocol {
  AirModel model;
  AirProtocol protocol{model};
  std::vector<OutgoingLine> events;

  std::string send(ConnectionId from, const std::string& line) { return protocol.handle(from, line, events); }
};

}  // namespace

TEST(AirProtocol, ModuleSessionScanJoinSignalLeave) {
  Protocol p;
  EXPECT_EQ(p.send(kControl, "AP-ADD my%20home secret%25pass"), "OK");
  EXPECT_EQ(p.send(kControl, "AP-ADD GIZWITS_TEST_1 GIZWITS_TEST_PASS 40"), "OK");
  EXPECT_EQ(p.send(kModuleA, "HELLO A0B1C2D3E4F5 127.0.0.10"), "OK");
  EXPECT_EQ(p.send(kModuleA, "SCAN"), "OK 2 my%20home 70 GIZWITS_TEST_1 40");
  EXPECT_EQ(p.send(kModuleA, "SIGNAL"), "OK 0");
  EXPECT_EQ(p.send(kModuleA, "JOIN my%20home secret"), "ERROR wrong-password");
  EXPECT_EQ(p.send(kModuleA, "JOIN nowhere secret"), "ERROR no-ap");
  EXPECT_EQ(p.send(kModuleA, "JOIN my%20home secret%25pass"), "OK");
  EXPECT_EQ(p.send(kControl, "RSSI my%20home a0b1c2d3e4f5 33"), "OK");
  EXPECT_EQ(p.send(kModuleA, "SIGNAL"), "OK 33");
  EXPECT_EQ(p.send(kControl, "CLIENTS my%20home"), "OK 1 a0b1c2d3e4f5");
  EXPECT_EQ(p.send(kModuleA, "LEAVE"), "OK");
  EXPECT_EQ(p.send(kControl, "CLIENTS my%20home"), "OK 0");
  EXPECT_TRUE(p.events.empty());
}

TEST(AirProtocol, ControlListsAccessPointsAndModules) {
  Protocol p;
  EXPECT_EQ(p.send(kControl, "APS"), "OK 0");
  EXPECT_EQ(p.send(kControl, "MODULES"), "OK 0");
  EXPECT_EQ(p.send(kControl, "AP-ADD Cafe -"), "OK");
  EXPECT_EQ(p.send(kControl, "AP-ADD Home secret-pass 55"), "OK");
  EXPECT_EQ(p.send(kControl, "AP-POWER Home off"), "OK");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "OK");
  EXPECT_EQ(p.send(kModuleB, "HELLO 0a1b2c3d4e5f 127.0.0.11"), "OK");
  EXPECT_EQ(p.send(kModuleA, "JOIN Cafe -"), "OK");
  EXPECT_EQ(p.send(kModuleB, "SOFTAP XPG-GAgent-4e5f 123456789"), "OK");
  EXPECT_EQ(p.send(kModuleB, "ONESHOT airkiss"), "OK");
  EXPECT_EQ(p.send(kControl, "APS"), "OK 2 Cafe - on 70 1 Home secret-pass off 55 0");
  EXPECT_EQ(p.send(kControl, "MODULES"),
            "OK 2 a0b1c2d3e4f5 127.0.0.10 Cafe - - 0a1b2c3d4e5f 127.0.0.11 - XPG-GAgent-4e5f airkiss");
  EXPECT_EQ(p.send(kModuleB, "SOFTAP-OFF"), "OK");
  EXPECT_EQ(p.send(kModuleB, "ONESHOT-OFF"), "OK");
  p.protocol.disconnected(kModuleA);
  EXPECT_EQ(p.send(kControl, "MODULES"), "OK 1 0a1b2c3d4e5f 127.0.0.11 - - -");
  EXPECT_EQ(p.send(kControl, "APS"), "OK 2 Cafe - on 70 0 Home secret-pass off 55 0");
}

TEST(AirProtocol, S5_7_RebootPowerOffRemoveAndRenameSendLinkDownToTheJoinedModules) {
  Protocol p;
  EXPECT_EQ(p.send(kControl, "AP-ADD GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "OK");
  EXPECT_EQ(p.send(kModuleB, "HELLO 0a1b2c3d4e5f 127.0.0.11"), "OK");
  const auto joinBoth = [&] {
    EXPECT_EQ(p.send(kModuleA, "JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
    EXPECT_EQ(p.send(kModuleB, "JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
    p.events.clear();
  };
  const std::vector<OutgoingLine> bothDown = {{kModuleA, "EVENT link-down GIZWITS_TEST_1"},
                                              {kModuleB, "EVENT link-down GIZWITS_TEST_1"}};
  joinBoth();
  EXPECT_EQ(p.send(kControl, "AP-REBOOT GIZWITS_TEST_1"), "OK");
  EXPECT_EQ(p.events, bothDown);
  EXPECT_EQ(p.send(kControl, "CLIENTS GIZWITS_TEST_1"), "OK 0");

  joinBoth();
  EXPECT_EQ(p.send(kControl, "AP-POWER GIZWITS_TEST_1 off"), "OK");
  EXPECT_EQ(p.events, bothDown);
  EXPECT_EQ(p.send(kControl, "AP-POWER GIZWITS_TEST_1 on"), "OK");

  joinBoth();
  EXPECT_EQ(p.send(kControl, "AP-SET GIZWITS_TEST_1 GIZWITS_TEST_1 new%20pass"), "OK");
  EXPECT_EQ(p.events, bothDown);
  EXPECT_EQ(p.send(kModuleA, "JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "ERROR wrong-password");
  EXPECT_EQ(p.send(kControl, "AP-SET GIZWITS_TEST_1 GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");

  joinBoth();
  EXPECT_EQ(p.send(kControl, "AP-REMOVE GIZWITS_TEST_1"), "OK");
  EXPECT_EQ(p.events, bothDown);

  EXPECT_EQ(p.send(kControl, "AP-REMOVE GIZWITS_TEST_1"), "ERROR no-ap");
  EXPECT_EQ(p.send(kControl, "AP-REBOOT GIZWITS_TEST_1"), "ERROR no-ap");
  EXPECT_EQ(p.send(kControl, "AP-POWER GIZWITS_TEST_1 on"), "ERROR no-ap");
  EXPECT_EQ(p.send(kControl, "AP-SET GIZWITS_TEST_1 x y"), "ERROR no-ap");
  EXPECT_EQ(p.send(kControl, "RSSI GIZWITS_TEST_1 * 3"), "ERROR no-ap");
  EXPECT_EQ(p.send(kControl, "CLIENTS GIZWITS_TEST_1"), "ERROR no-ap");
}

TEST(AirProtocol, SoftApJoinAndOneShotSend) {
  Protocol p;
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "OK");
  EXPECT_EQ(p.send(kModuleB, "HELLO 0a1b2c3d4e5f 127.0.0.11"), "OK");
  EXPECT_EQ(p.send(kModuleB, "SOFTAP XPG-GAgent-4e5f 123456789"), "OK");
  EXPECT_EQ(p.send(kControl, "SOFTAP-JOIN XPG-GAgent-4e5f 123456789"), "OK 127.0.0.11");
  EXPECT_EQ(p.send(kControl, "SOFTAP-JOIN XPG-GAgent-4e5f 000000000"), "ERROR wrong-password");
  EXPECT_EQ(p.send(kControl, "SOFTAP-JOIN XPG-GAgent-ffff 123456789"), "ERROR no-ap");

  EXPECT_EQ(p.send(kModuleA, "ONESHOT airlink"), "OK");
  EXPECT_EQ(p.send(kControl, "ONESHOT-SEND my%20home -"), "OK 1");
  EXPECT_EQ(p.events, (std::vector<OutgoingLine>{{kModuleA, "EVENT oneshot my%20home -"}}));
  EXPECT_EQ(p.send(kControl, "ONESHOT-SEND my%20home -"), "OK 0");
}

TEST(AirProtocol, MalformedRequestsAreBadRequestsWithAReason) {
  Protocol p;
  EXPECT_EQ(p.send(kControl, ""), "ERROR bad-request empty-line");
  EXPECT_EQ(p.send(kControl, "FLY away"), "ERROR bad-request unknown-command");
  EXPECT_EQ(p.send(kControl, "APS  "), "ERROR bad-request separator");
  EXPECT_EQ(p.send(kControl, " APS"), "ERROR bad-request separator");
  EXPECT_EQ(p.send(kControl, "APS extra"), "ERROR bad-request arguments");
  EXPECT_EQ(p.send(kControl, "AP-ADD onlyssid"), "ERROR bad-request arguments");
  EXPECT_EQ(p.send(kControl, "AP-ADD bad%zz pass"), "ERROR bad-request bad-ssid");
  EXPECT_EQ(p.send(kControl, "AP-ADD - pass"), "ERROR bad-request bad-ssid");
  EXPECT_EQ(p.send(kControl, "AP-ADD " + std::string(33, 's') + " pass"), "ERROR bad-request bad-ssid");
  EXPECT_EQ(p.send(kControl, "AP-ADD ssid " + std::string(65, 'p')), "ERROR bad-request bad-password");
  EXPECT_EQ(p.send(kControl, "AP-ADD ssid pass 101"), "ERROR bad-request bad-signal");
  EXPECT_EQ(p.send(kControl, "AP-ADD ssid pass -1"), "ERROR bad-request bad-signal");
  EXPECT_EQ(p.send(kControl, "AP-ADD ssid pass 5x"), "ERROR bad-request bad-signal");
  EXPECT_EQ(p.send(kControl, "AP-ADD ssid pass"), "OK");
  EXPECT_EQ(p.send(kControl, "AP-POWER ssid maybe"), "ERROR bad-request bad-power");
  EXPECT_EQ(p.send(kControl, "RSSI ssid a0b1 3"), "ERROR bad-request bad-mac");
  EXPECT_EQ(p.send(kControl, "APS\r"), "OK 1 ssid pass on 70 0");  // a telnet line end is tolerated

  EXPECT_EQ(p.send(kModuleA, "SCAN"), "ERROR bad-request hello-first");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4fg 127.0.0.10"), "ERROR bad-request bad-mac");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0.256"), "ERROR bad-request bad-ip");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0"), "ERROR bad-request bad-ip");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0.1."), "ERROR bad-request bad-ip");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5"), "ERROR bad-request arguments");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "OK");
  EXPECT_EQ(p.send(kModuleA, "HELLO a0b1c2d3e4f5 127.0.0.10"), "ERROR bad-request hello-twice");
  EXPECT_EQ(p.send(kModuleA, "SCAN now"), "ERROR bad-request arguments");
  EXPECT_EQ(p.send(kModuleA, "JOIN ssid"), "ERROR bad-request arguments");
  EXPECT_EQ(p.send(kModuleA, "ONESHOT smartconfig"), "ERROR bad-request bad-kind");
  EXPECT_EQ(p.send(kModuleA, "SOFTAP - pass"), "ERROR bad-request bad-ssid");
  EXPECT_EQ(p.send(kModuleA, std::string("JOIN ssid\0pass", 14)), "ERROR bad-request arguments");
  EXPECT_TRUE(p.events.empty());
}
