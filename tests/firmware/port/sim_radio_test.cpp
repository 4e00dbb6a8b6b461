#include "gagent/sim/sim_radio.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

using namespace gagent::hal;
using gagent::sim::SimNet;
using gagent::sim::SimRadio;
using gagent::sim::VirtualClock;
using Event = SimRadio::Event;

namespace {

struct Fixture {
  VirtualClock clock;
  SimNet net{clock};
  SimRadio radio{clock, net};
};

std::vector<std::string> ssids(SimRadio& radio) {
  std::array<AccessPoint, 8> results{};
  const std::size_t n = radio.scanResults(results);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) {
    names.push_back(std::string(results[i].ssidView()) + "/" + std::to_string(results[i].signal));
  }
  return names;
}

}  // namespace

TEST(SimRadio, ScanListsThePoweredAccessPointsAfterTheScanTime) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 72);
  f.radio.addAccessPoint("GIZWITS_TEST_1", "GIZWITS_TEST_PASS", 40, false);
  f.radio.addAccessPoint("Cafe", "", 150);  // clamped to 100
  f.radio.setScanTime(1500);
  EXPECT_EQ(f.radio.scanState(), ScanState::Idle);
  EXPECT_TRUE(f.radio.startScan());
  EXPECT_FALSE(f.radio.startScan());  // one at a time
  EXPECT_EQ(f.radio.scanState(), ScanState::Running);
  EXPECT_TRUE(ssids(f.radio).empty());

  f.clock.advanceTo(1499);
  f.radio.setPowered("GIZWITS_TEST_1", true);  // the air at the end of the scan counts
  EXPECT_EQ(f.radio.scanState(), ScanState::Running);
  f.clock.advanceTo(1500);
  EXPECT_EQ(f.radio.scanState(), ScanState::Done);
  EXPECT_EQ(ssids(f.radio), (std::vector<std::string>{"Home/72", "GIZWITS_TEST_1/40", "Cafe/100"}));

  std::array<AccessPoint, 1> one{};
  EXPECT_EQ(f.radio.scanResults(one), 1u);
  EXPECT_EQ(f.radio.events(), (std::vector<Event>{{0, "scan"}, {1500, "scan done 3"}}));
}

TEST(SimRadio, ScanFailureInjection) {
  Fixture f;
  f.radio.setScanFailing(true);
  f.radio.startScan();
  EXPECT_EQ(f.radio.scanState(), ScanState::Failed);
  f.radio.setScanFailing(false);
  f.radio.startScan();
  EXPECT_EQ(f.radio.scanState(), ScanState::Done);
}

TEST(SimRadio, JoinBringsTheLinkUpAndGivesTheModuleItsStationAddress) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 65);
  f.radio.setJoinLatency(2000);
  EXPECT_TRUE(f.radio.joinStation("Home", "secret-pass"));
  EXPECT_EQ(f.radio.stationLink(), LinkState::Joining);
  EXPECT_TRUE(f.radio.stationAddress().isUnset());
  EXPECT_EQ(f.radio.stationSignal(), 0);
  f.clock.advanceTo(2000);
  EXPECT_EQ(f.radio.stationLink(), LinkState::Up);
  EXPECT_EQ(f.radio.stationAddress(), SimNet::kStationAddress);
  EXPECT_EQ(f.net.moduleAddress(), SimNet::kStationAddress);
  EXPECT_EQ(f.radio.stationSignal(), 65);

  // S4.4.3: the signal of the joined AP is whatever the air says now.
  f.radio.setSignal("Home", 38);
  EXPECT_EQ(f.radio.stationSignal(), 38);

  f.radio.leaveStation();
  EXPECT_EQ(f.radio.stationLink(), LinkState::Down);
  EXPECT_TRUE(f.net.moduleAddress().isUnset());
  EXPECT_EQ(f.radio.events(),
            (std::vector<Event>{{0, "join Home"}, {2000, "link up Home"}, {2000, "leave"}}));
}

TEST(SimRadio, WrongPasswordAndMissingAccessPoint) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 65);
  f.radio.addAccessPoint("Attic", "attic-pass", 20, false);
  f.radio.joinStation("Home", "wrong-pass");
  EXPECT_EQ(f.radio.stationLink(), LinkState::WrongPassword);
  f.radio.joinStation("Office", "whatever");
  EXPECT_EQ(f.radio.stationLink(), LinkState::NoAccessPoint);
  f.radio.joinStation("Attic", "attic-pass");  // powered off
  EXPECT_EQ(f.radio.stationLink(), LinkState::NoAccessPoint);
  EXPECT_TRUE(f.net.moduleAddress().isUnset());
  EXPECT_FALSE(f.radio.joinStation("", "x"));
  EXPECT_FALSE(f.radio.joinStation(std::string(33, 'a'), "x"));
}

TEST(SimRadio, S12_2_PoweringTheJoinedAccessPointOffDropsTheLink) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 65);
  f.radio.addAccessPoint("Neighbour", "n-pass-123", 30);
  f.radio.joinStation("Home", "secret-pass");
  f.clock.at(60'000, [&] { f.radio.setPowered("Neighbour", false); });
  f.clock.at(90'000, [&] { f.radio.setPowered("Home", false); });
  f.clock.advanceTo(89'999);
  EXPECT_EQ(f.radio.stationLink(), LinkState::Up);
  f.clock.advanceTo(90'000);
  EXPECT_EQ(f.radio.stationLink(), LinkState::Down);
  EXPECT_EQ(f.radio.stationSignal(), 0);
  EXPECT_TRUE(f.net.moduleAddress().isUnset());
  EXPECT_EQ(f.radio.events().back(), (Event{90'000, "link down Home"}));

  f.radio.setPowered("Home", true);
  EXPECT_EQ(f.radio.stationLink(), LinkState::Down);  // rejoining is the core's job
  f.radio.joinStation("Home", "secret-pass");
  EXPECT_EQ(f.radio.stationLink(), LinkState::Up);

  f.radio.removeAccessPoint("Home");
  EXPECT_EQ(f.radio.stationLink(), LinkState::Down);
}

TEST(SimRadio, AccessPointLostDuringTheJoinEndsInNoAccessPoint) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 65);
  f.radio.setJoinLatency(3000);
  f.radio.joinStation("Home", "secret-pass");
  f.clock.advanceTo(1000);
  f.radio.setPowered("Home", false);
  f.clock.advanceTo(3000);
  EXPECT_EQ(f.radio.stationLink(), LinkState::NoAccessPoint);
}

TEST(SimRadio, ALeaveCancelsAJoinUnderWay) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 65);
  f.radio.setJoinLatency(3000);
  f.radio.joinStation("Home", "secret-pass");
  f.clock.advanceTo(1000);
  f.radio.leaveStation();
  f.clock.advanceTo(5000);
  EXPECT_EQ(f.radio.stationLink(), LinkState::Down);
}

TEST(SimRadio, S6_2_1_SoftApMovesTheModuleTo10_10_100_254) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 65);
  f.radio.joinStation("Home", "secret-pass");
  auto& phone = f.net.openPeerUdp({ipv4(10, 10, 100, 100), 0});
  const SocketId config = f.net.udpOpen(12414, false);

  f.clock.advanceTo(100);
  EXPECT_TRUE(f.radio.startSoftAp("XPG-GAgent-0001", "123456789"));
  EXPECT_TRUE(f.radio.softApOn());
  EXPECT_EQ(f.radio.softApSsid(), "XPG-GAgent-0001");
  EXPECT_EQ(f.radio.softApPassword(), "123456789");
  EXPECT_EQ(f.net.moduleAddress(), SimNet::kSoftApAddress);
  phone.send({SimNet::kSoftApAddress, 12414}, std::vector<std::uint8_t>{1});
  std::array<std::uint8_t, 4> buffer{};
  Endpoint from;
  EXPECT_TRUE(f.net.udpReceive(config, buffer, from).isDone());

  f.radio.stopSoftAp();
  EXPECT_EQ(f.net.moduleAddress(), SimNet::kStationAddress);  // back to the station address
  EXPECT_EQ(
      f.radio.events(),
      (std::vector<Event>{
          {0, "join Home"}, {0, "link up Home"}, {100, "softap on XPG-GAgent-0001"}, {100, "softap off"}}));
}

TEST(SimRadio, SoftApRefusesBadSsidOrShortWpaPassword) {
  Fixture f;
  EXPECT_FALSE(f.radio.startSoftAp("", "123456789"));
  EXPECT_FALSE(f.radio.startSoftAp("XPG-GAgent-0001", "1234567"));
  EXPECT_TRUE(f.radio.startSoftAp("XPG-GAgent-0001", ""));  // open
  EXPECT_TRUE(f.net.moduleAddress() == SimNet::kSoftApAddress);
}

TEST(SimRadio, S6_4_OneShotListensUntilThePhoneSendsCredentials) {
  Fixture f;
  EXPECT_EQ(f.radio.oneShotState(), OneShotState::Idle);
  EXPECT_FALSE(f.radio.deliverOneShot("Home", "secret-pass"));  // nobody listening
  EXPECT_TRUE(f.radio.startOneShot(OneShotKind::AirKiss));
  EXPECT_EQ(f.radio.oneShotState(), OneShotState::Listening);
  EXPECT_EQ(f.radio.oneShotKind(), OneShotKind::AirKiss);
  WifiCredentials credentials;
  EXPECT_FALSE(f.radio.oneShotResult(credentials));

  f.clock.advanceTo(12'000);
  EXPECT_TRUE(f.radio.deliverOneShot("Home", "secret-pass"));
  EXPECT_EQ(f.radio.oneShotState(), OneShotState::Received);
  ASSERT_TRUE(f.radio.oneShotResult(credentials));
  EXPECT_EQ(std::string(credentials.ssid.data(), credentials.ssidLength), "Home");
  EXPECT_EQ(std::string(credentials.password.data(), credentials.passwordLength), "secret-pass");

  f.radio.stopOneShot();
  EXPECT_EQ(f.radio.oneShotState(), OneShotState::Idle);
  EXPECT_EQ(f.radio.events(),
            (std::vector<Event>{
                {0, "oneshot airkiss"}, {12'000, "oneshot received Home"}, {12'000, "oneshot stop"}}));
}

TEST(SimRadio, OneShotCanBeUnsupported) {
  Fixture f;
  f.radio.setOneShotSupported(false);
  EXPECT_EQ(f.radio.oneShotState(), OneShotState::Unsupported);
  EXPECT_FALSE(f.radio.startOneShot(OneShotKind::AirLink));
  EXPECT_EQ(f.radio.oneShotState(), OneShotState::Unsupported);
  EXPECT_FALSE(f.radio.deliverOneShot("Home", "secret-pass"));
}

TEST(SimRadio, AResetReturnsTheModuleSideToIdleAndKeepsTheAir) {
  Fixture f;
  f.radio.addAccessPoint("Home", "secret-pass", 65);
  f.radio.joinStation("Home", "secret-pass");
  f.radio.startSoftAp("XPG-GAgent-0001", "123456789");
  f.radio.startOneShot(OneShotKind::AirLink);
  f.radio.resetModuleState();
  EXPECT_EQ(f.radio.stationLink(), LinkState::Down);
  EXPECT_FALSE(f.radio.softApOn());
  EXPECT_EQ(f.radio.oneShotState(), OneShotState::Idle);
  EXPECT_TRUE(f.net.moduleAddress().isUnset());
  f.radio.startScan();
  EXPECT_EQ(ssids(f.radio), (std::vector<std::string>{"Home/65"}));
}
