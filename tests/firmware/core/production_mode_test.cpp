#include "gagent/core/production_mode.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace gagent;
using namespace gagent::core;

namespace {

struct FixedRandom : hal::Random {
  std::uint8_t value = 0;
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = value;
  }
};

struct Listener : ProductionListener {
  std::vector<std::string> joined;
  std::string password;
  std::vector<Millis> expired;
  void onTestRouterChosen(std::string_view ssid, std::string_view pwd, Millis) override {
    joined.emplace_back(ssid);
    password = pwd;
  }
  void onProductionWindowExpired(Millis now) override { expired.push_back(now); }
};

hal::AccessPoint ap(std::string_view ssid, std::uint8_t signal) {
  hal::AccessPoint a;
  for (std::size_t i = 0; i < ssid.size(); ++i) a.ssid[i] = ssid[i];
  a.ssidLength = static_cast<std::uint8_t>(ssid.size());
  a.signal = signal;
  return a;
}

struct Fixture : ::testing::Test {
  FixedRandom random;
  LogHub logs;
  Listener listener;
  ProductionMode mode{random, logs, listener};
};

}  // namespace

TEST_F(Fixture, S5_1_S5_3_TestRouterFoundJoinsItWithTheTestPassword) {
  mode.enter(0);
  const hal::AccessPoint seen[] = {ap("HomeNet", 80), ap("GIZWITS_TEST_2", 60)};
  mode.onScanDone(seen, hal::seconds(10));
  ASSERT_EQ(listener.joined, std::vector<std::string>{"GIZWITS_TEST_2"});
  EXPECT_EQ(listener.password, "GIZWITS_TEST_PASS");
  EXPECT_EQ(mode.state(), ProductionMode::State::Testing);
  EXPECT_EQ(mode.nextDeadline(), hal::kNever);
}

TEST_F(Fixture, S5_3_ChoosesAtRandomBetweenBothTestRouters) {
  const hal::AccessPoint seen[] = {ap("GIZWITS_TEST_1", 50), ap("GIZWITS_TEST_2", 50)};
  for (std::uint8_t r : {std::uint8_t{0}, std::uint8_t{1}}) {
    random.value = r;
    mode.enter(0);
    mode.onScanDone(seen, 100);
  }
  EXPECT_EQ(listener.joined, (std::vector<std::string>{"GIZWITS_TEST_1", "GIZWITS_TEST_2"}));
}

TEST_F(Fixture, S5_4_NoTestRouterInThreeMinutesLeavesQuietly) {
  mode.enter(hal::seconds(5));
  const hal::AccessPoint seen[] = {ap("HomeNet", 80)};
  mode.onScanDone(seen, hal::seconds(15));
  EXPECT_EQ(mode.nextDeadline(), hal::seconds(5) + hal::minutes(3));
  mode.onTick(hal::seconds(5) + hal::minutes(3) - 1);
  EXPECT_TRUE(mode.searching());
  mode.onTick(hal::seconds(5) + hal::minutes(3));
  EXPECT_EQ(listener.expired, std::vector<Millis>{hal::seconds(185)});
  EXPECT_FALSE(mode.active());
  EXPECT_TRUE(listener.joined.empty());
}

TEST_F(Fixture, S5_6_TestToolFinishEndsTheTest) {
  mode.enter(0);
  const hal::AccessPoint seen[] = {ap("GIZWITS_TEST_1", 50)};
  mode.onScanDone(seen, 100);
  mode.finish();
  EXPECT_FALSE(mode.active());
  mode.onScanDone(seen, 200);  // late results after the test change nothing
  EXPECT_EQ(listener.joined.size(), 1u);
}
