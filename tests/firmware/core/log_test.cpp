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
