#include "gagent/core/led_driver.h"

#include <gtest/gtest.h>

#include <vector>

using namespace gagent::core;

namespace {

struct RecordingLeds : gagent::hal::Leds {
  struct Change {
    bool red, green;
  };
  std::vector<Change> changes;
  void set(bool red, bool green) override { changes.push_back({red, green}); }
  [[nodiscard]] Change last() const { return changes.back(); }
};

// Runs the driver tick by tick up to `until`, as the core loop does (jumping to each deadline).
void runUntil(LedDriver& driver, Millis& now, Millis until) {
  while (driver.nextDeadline() <= until) {
    now = driver.nextDeadline();
    driver.onTick(now);
  }
  now = until;
}

}  // namespace

TEST(LedDriver, S4_1_SoftApRedFastBlinksEvery100ms) {
  RecordingLeds leds;
  LedDriver driver(leds);
  Millis now = 0;
  driver.setMode(LedMode::SoftAp, now);
  EXPECT_TRUE(leds.last().red);
  EXPECT_FALSE(leds.last().green);
  EXPECT_EQ(driver.nextDeadline(), 100u);
  runUntil(driver, now, 1000);
  ASSERT_EQ(leds.changes.size(), 11u);  // initial + 10 toggles in one second
  EXPECT_TRUE(leds.last().red);         // even number of toggles
  EXPECT_FALSE(leds.changes[5].green);
}

TEST(LedDriver, S4_1_SteadyModesNeedNoTimer) {
  RecordingLeds leds;
  LedDriver driver(leds);
  driver.setMode(LedMode::RouterConnected, 0);
  EXPECT_TRUE(leds.last().red && leds.last().green);
  EXPECT_EQ(driver.nextDeadline(), gagent::hal::kNever);
  driver.setMode(LedMode::NotConnected, 5);
  EXPECT_FALSE(leds.last().red);
  EXPECT_TRUE(leds.last().green);
}

TEST(LedDriver, S4_1_NoCredentialsRedOnGreenBlinksTwoSeconds) {
  RecordingLeds leds;
  LedDriver driver(leds);
  Millis now = 0;
  driver.setMode(LedMode::NoCredentials, now);
  runUntil(driver, now, 1999);
  EXPECT_EQ(leds.changes.size(), 1u);
  runUntil(driver, now, 2000);
  EXPECT_TRUE(leds.last().red);
  EXPECT_FALSE(leds.last().green);
}

TEST(LedDriver, S4_1_CloudConnectedAlternatesThenS4_1_1GoesDarkAfterTenMinutes) {
  RecordingLeds leds;
  LedDriver driver(leds);
  Millis now = 0;
  driver.setMode(LedMode::CloudConnected, now);
  EXPECT_NE(leds.last().red, leds.last().green);
  runUntil(driver, now, 2000);
  EXPECT_NE(leds.last().red, leds.last().green);
  runUntil(driver, now, LedDriver::kCloudLightsOff - 1);
  EXPECT_TRUE(leds.last().red || leds.last().green);
  runUntil(driver, now, LedDriver::kCloudLightsOff);
  EXPECT_FALSE(leds.last().red);
  EXPECT_FALSE(leds.last().green);
  EXPECT_EQ(driver.nextDeadline(), gagent::hal::kNever);
}

TEST(LedDriver, S4_1_1_LosingTheCloudLightsUpAgain) {
  RecordingLeds leds;
  LedDriver driver(leds);
  Millis now = 0;
  driver.setMode(LedMode::CloudConnected, now);
  runUntil(driver, now, LedDriver::kCloudLightsOff);
  driver.setMode(LedMode::RouterConnected, now);
  EXPECT_TRUE(leds.last().red && leds.last().green);
}
