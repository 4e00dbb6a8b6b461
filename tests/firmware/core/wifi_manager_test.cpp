// WifiManager on the simulated radio and air.
#include "gagent/core/wifi_manager.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gagent/sim/sim_net.h"
#include "gagent/sim/sim_radio.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::core {
namespace {

struct RecordingWifiListener : WifiListener {
  void onRouterConnected(Millis now) override { events.push_back("up@" + std::to_string(now)); }
  void onRouterLost(Millis now) override { events.push_back("lost@" + std::to_string(now)); }
  void onSignal(std::uint8_t raw, Millis now) override { signals.push_back({raw, now}); }
  void onScanDone(std::span<const hal::AccessPoint> results, Millis now) override {
    scans.push_back({results.size(), now});
  }
  std::vector<std::string> events;
  std::vector<std::pair<std::uint8_t, Millis>> signals;
  std::vector<std::pair<std::size_t, Millis>> scans;
};

class WifiManagerTest : public ::testing::Test {
 protected:
  WifiManagerTest() : net(clock), radio(clock, net), wifi(radio, logs, listener) {
    radio.addAccessPoint("HomeNet", "password1", 64);
  }
  void runUntil(Millis until) {
    wifi.poll(clock.now());
    while (clock.now() < until) {
      Millis next = std::min(wifi.nextDeadline(), until);
      const Millis event = clock.nextEventTime();
      if (event > clock.now()) next = std::min(next, event);
      clock.advanceTo(std::max(next, clock.now() + 1));
      wifi.poll(clock.now());
    }
  }

  sim::VirtualClock clock;
  sim::SimNet net;
  sim::SimRadio radio;
  LogHub logs;
  RecordingWifiListener listener;
  WifiManager wifi;
};

TEST_F(WifiManagerTest, JoinsTheStoredRouterAndReadsItsSignalAtOnce) {
  wifi.joinStation("HomeNet", "password1", 0);
  runUntil(1000);
  ASSERT_FALSE(listener.events.empty());
  EXPECT_EQ(listener.events[0], "up@0");
  EXPECT_TRUE(wifi.routerConnected());
  ASSERT_FALSE(listener.signals.empty());
  EXPECT_EQ(listener.signals[0].first, 64);
}

TEST_F(WifiManagerTest, S4_4_3_SignalReadEveryThreeMinutesWhileConnected) {
  wifi.joinStation("HomeNet", "password1", 0);
  runUntil(1);
  radio.setSignal("HomeNet", 30);
  runUntil(WifiManager::kSignalInterval - 1);
  EXPECT_EQ(listener.signals.size(), 1u);
  runUntil(WifiManager::kSignalInterval + 500);
  ASSERT_EQ(listener.signals.size(), 2u);
  EXPECT_EQ(listener.signals[1].first, 30);
  runUntil(2 * WifiManager::kSignalInterval + 500);
  EXPECT_EQ(listener.signals.size(), 3u);
}

TEST_F(WifiManagerTest, S12_2_LostRouterIsRetriedForeverAndRejoinedWhenBack) {
  wifi.joinStation("HomeNet", "password1", 0);
  runUntil(1000);
  radio.setPowered("HomeNet", false);
  runUntil(2000);
  ASSERT_EQ(listener.events.size(), 2u);
  EXPECT_EQ(listener.events[1].rfind("lost@", 0), 0u);
  EXPECT_FALSE(wifi.routerConnected());
  radio.clearEvents();
  runUntil(hal::hours(1));  // an hour of failing: it keeps trying every 10 s
  std::size_t joins = 0;
  for (const auto& e : radio.events()) joins += e.what == "join HomeNet" ? 1 : 0;
  EXPECT_GE(joins, hal::hours(1) / WifiManager::kRejoinDelay - 2);
  radio.setPowered("HomeNet", true);
  runUntil(hal::hours(1) + WifiManager::kRejoinDelay + 1000);
  EXPECT_TRUE(wifi.routerConnected());
  EXPECT_EQ(listener.events.back().rfind("up@", 0), 0u);
}

TEST_F(WifiManagerTest, WrongPasswordKeepsRetryingWithoutCrashing) {
  wifi.joinStation("HomeNet", "wrongpass", 0);
  runUntil(hal::seconds(35));
  EXPECT_FALSE(wifi.routerConnected());
  std::size_t joins = 0;
  for (const auto& e : radio.events()) joins += e.what == "join HomeNet" ? 1 : 0;
  EXPECT_EQ(joins, 4u);  // t = 0, 10, 20, 30 s
}

TEST_F(WifiManagerTest, S6_2_4_PeriodicScanFillsTheCacheEveryInterval) {
  radio.addAccessPoint("Other", "password2", 20);
  wifi.setPeriodicScan(hal::seconds(15), 0);
  runUntil(hal::seconds(46));
  ASSERT_EQ(listener.scans.size(), 4u);  // 0, 15, 30, 45 s
  EXPECT_EQ(listener.scans[1].second, hal::seconds(15));
  EXPECT_EQ(wifi.lastScan().size(), 2u);
  EXPECT_EQ(wifi.lastScan()[1].ssidView(), "Other");
  wifi.setPeriodicScan(0, clock.now());
  runUntil(hal::seconds(120));
  EXPECT_EQ(listener.scans.size(), 4u);
}

TEST_F(WifiManagerTest, FailingScansAreSurvived) {
  radio.setScanFailing(true);
  wifi.setPeriodicScan(hal::seconds(10), 0);
  runUntil(hal::seconds(25));
  EXPECT_TRUE(listener.scans.empty());
  radio.setScanFailing(false);
  runUntil(hal::seconds(31));
  EXPECT_EQ(listener.scans.size(), 1u);
}

TEST_F(WifiManagerTest, SoftApOnAndOff) {
  EXPECT_TRUE(wifi.startSoftAp("XPG-GAgent-EEFF", "123456789"));
  EXPECT_TRUE(radio.softApOn());
  EXPECT_EQ(radio.softApSsid(), "XPG-GAgent-EEFF");
  wifi.stopSoftAp();
  EXPECT_FALSE(radio.softApOn());
  EXPECT_FALSE(wifi.softApOn());
}

}  // namespace
}  // namespace gagent::core
