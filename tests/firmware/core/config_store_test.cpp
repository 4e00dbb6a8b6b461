// ConfigStore's boot load on damaged flash (issue 16): it says which slot was corrupt and why, and what it
// used instead, instead of falling back to defaults silently.
#include "gagent/core/config_store.h"

#include <gtest/gtest.h>

#include "capture_log.h"
#include "gagent/sim/sim_flash.h"

using namespace gagent;
using namespace gagent::core;

namespace {

constexpr std::size_t kSector = 4096;

struct ConfigStoreTest : ::testing::Test {
  sim::SimFlash flash{4, kSector};
  LogHub logs;
  CaptureLog captured;
  ConfigStoreTest() { logs.attach(captured, LogLevel::Info); }

  // Two saves: "home-1" in slot A, then "home-2" in slot B (the newest).
  void saveTwice() {
    ConfigStore store(flash, logs);
    store.edit().ssid = std::string_view("home-1");
    ASSERT_TRUE(store.save());
    store.edit().ssid = std::string_view("home-2");
    ASSERT_TRUE(store.save());
    captured.lines.clear();
  }
  void flipByte(std::size_t offset) {
    auto bytes = flash.contents();
    bytes[offset] ^= 0x01;
    flash.setContents(bytes);
  }
  std::string loadedSsid() {
    ConfigStore store(flash, logs);
    store.load();
    return std::string(store.config().ssid.view());
  }
};

}  // namespace

TEST_F(ConfigStoreTest, Issue16_BlankFlashIsDefaultsWithoutAWarning) {
  EXPECT_EQ(loadedSsid(), "");
  EXPECT_TRUE(captured.contains("no stored config, using defaults"));
  EXPECT_FALSE(captured.contains("corrupt"));
}

TEST_F(ConfigStoreTest, Issue16_ACorruptNewestSlotIsNamedAndTheOlderOneUsed) {
  saveTwice();
  flipByte(kSector + 12);  // a payload byte of slot B
  EXPECT_EQ(loadedSsid(), "home-1");
  EXPECT_TRUE(captured.contains("config: config slot B (flash 0x1000) is corrupt: CRC mismatch"));
  EXPECT_TRUE(captured.contains("config: using slot A, the last good save"));
}

TEST_F(ConfigStoreTest, Issue16_BothSlotsCorruptFallsBackToDefaultsAndSaysWhatIsLost) {
  saveTwice();
  flipByte(12);
  auto bytes = flash.contents();
  bytes[kSector] = 0x00;  // slot B's magic: no record header any more
  flash.setContents(bytes);
  EXPECT_EQ(loadedSsid(), "");
  EXPECT_TRUE(captured.contains("config slot A (flash 0x0) is corrupt: CRC mismatch"));
  EXPECT_TRUE(captured.contains("config slot B (flash 0x1000) is corrupt: no record header"));
  EXPECT_TRUE(captured.contains("using the defaults (Wi-Fi, passcode and cloud registration are lost)"));
}

TEST_F(ConfigStoreTest, Issue16_TheProblemsCanBeReportedAgainLater) {
  saveTwice();
  flipByte(12);
  ConfigStore store(flash, logs);
  store.load();
  captured.lines.clear();
  store.reportLoadProblems();  // e.g. for a LAN log client that subscribed after boot
  EXPECT_EQ(captured.count("config slot A (flash 0x0) is corrupt"), 1u);
  EXPECT_EQ(captured.count("using slot B"), 1u);
}

TEST_F(ConfigStoreTest, Issue16_ACleanLoadHasNothingToReport) {
  saveTwice();
  ConfigStore store(flash, logs);
  EXPECT_TRUE(store.load());
  store.reportLoadProblems();
  EXPECT_TRUE(captured.lines.empty());
}
