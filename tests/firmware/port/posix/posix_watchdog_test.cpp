// PosixWatchdog (S12.4): expires when not fed for its timeout, never while fed.
#include "gagent/posix/posix_watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace gagent;
using namespace std::chrono_literals;

TEST(PosixWatchdog, S12_4_ExpiresWhenTheLoopStopsFeedingIt) {
  std::atomic<int> expiries{0};
  posix::PosixWatchdog watchdog(100ms, [&] { ++expiries; });
  for (int i = 0; i < 500 && expiries == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GE(expiries.load(), 1);
}

TEST(PosixWatchdog, S12_4_AFedWatchdogNeverExpires) {
  std::atomic<int> expiries{0};
  {
    posix::PosixWatchdog watchdog(1s, [&] { ++expiries; });
    for (int i = 0; i < 30; ++i) {
      watchdog.feed();
      std::this_thread::sleep_for(20ms);
    }
  }  // the destructor stops the thread promptly
  EXPECT_EQ(expiries.load(), 0);
}
