#include "gagent/core/log.h"

#include <gtest/gtest.h>

#include "capture_log.h"

using namespace gagent;
using namespace gagent::core;

namespace {

struct LogHubTest : ::testing::Test {
  LogHub hub;
  CaptureLog sink;
  Logger log{hub, "mcu"};
  LogHubTest() { hub.attach(sink, LogLevel::Debug); }
};

}  // namespace

TEST_F(LogHubTest, Issue16_AFloodOfOneKindIsCutToItsBurstAndCountedOnce) {
  hub.tick(0);
  for (unsigned i = 0; i < 1000; ++i) log.warning("bad frame from the MCU (reason %u)", i % 4);
  log.info("handshake done");  // another kind still gets through
  EXPECT_EQ(sink.count("mcu: bad frame from the MCU"), LogHub::kFloodBurst);
  EXPECT_TRUE(sink.contains("mcu: handshake done"));
  EXPECT_EQ(hub.nextDeadline(), LogHub::kFloodWindow);
  hub.tick(LogHub::kFloodWindow);
  EXPECT_EQ(sink.count("log: 990 more lines like \"bad frame from the MCU (reason %u)\" suppressed"), 1u);
  hub.tick(2 * LogHub::kFloodWindow);
  EXPECT_EQ(sink.count("suppressed"), 1u);  // reported once
  log.warning("bad frame from the MCU (reason %u)", 1u);
  EXPECT_EQ(sink.count("mcu: bad frame from the MCU"), LogHub::kFloodBurst + 1);
}

TEST_F(LogHubTest, Issue16_ABusySecondOfOneOffLinesLosesNoneOfThem) {
  // A boot logs some twenty kinds once each, then may reboot at once: "rebooting" must not be lost to the
  // table of kinds being full (the QEMU module's restart test caught exactly that).
  hub.tick(0);
  log.info("board ready");
  log.info("config loaded");
  log.info("agent starting");
  log.info("handshake asked");
  log.warning("udp retry");
  log.warning("tcp retry");
  log.info("softap on");
  log.info("onboarding on");
  log.info("bind open");
  log.info("status pushed");
  log.info("stack peak");
  log.info("handshake done");
  for (int i = 0; i < 20; ++i) log.debug("tick %d", i);  // one kind, cut to its burst
  log.info("rebooting");
  EXPECT_TRUE(sink.contains("mcu: rebooting"));
  // Nothing was lost: the ticks found no entry of their own (7 are tracked) and fit the shared budget.
  EXPECT_EQ(sink.lines.size(), 12u + 20u + 1u);
  static_assert(20 + 6 <= LogHub::kFloodSharedBurst,
                "the untracked lines of this test fit the shared budget");
}

TEST_F(LogHubTest, Issue16_AFloodOfManyKindsIsLimitedToo) {
  hub.tick(0);
  static const char* const kFormats[] = {"a %d", "b %d", "c %d", "d %d", "e %d",
                                         "f %d", "g %d", "h %d", "i %d", "j %d"};
  for (int round = 0; round < 100; ++round) {
    for (const char* format : kFormats) log.warning(format, round);
  }
  // 7 tracked kinds at their burst, the other 3 kinds in the shared budget.
  EXPECT_EQ(sink.lines.size(), 7u * LogHub::kFloodBurst + LogHub::kFloodSharedBurst);
}

TEST_F(LogHubTest, Issue16_WithoutTheLoopsClockNothingIsLimited) {
  for (unsigned i = 0; i < 50; ++i) log.debug("line %u", i);
  EXPECT_EQ(sink.lines.size(), 50u);
  EXPECT_EQ(hub.nextDeadline(), hal::kNever);
}

TEST_F(LogHubTest, Issue16_LinesNoSinkWantsDoNotCountAgainstTheBurst) {
  hub.setThreshold(sink, LogLevel::Warning);
  hub.tick(0);
  for (unsigned i = 0; i < 100; ++i) log.debug("noise %u", i);
  EXPECT_TRUE(sink.lines.empty());
  EXPECT_EQ(hub.nextDeadline(), hal::kNever);
}
