// PosixWatchdog (S12.4): expires when not fed for its timeout, never while fed.
#include "gagent/posix/posix_watchdog.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

// The expiry action gagent-sim uses: the process is replaced by a fresh start of its own executable. Here a
// forked child's watchdog exec's this test binary with --gtest_list_tests, which exits 0.
TEST(PosixWatchdog, S12_4_ExecSelfRestartsTheProcess) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDOUT_FILENO);
    posix::PosixWatchdog watchdog(50ms, [] {
      char name[] = "posix_watchdog_test";
      char list[] = "--gtest_list_tests";
      char* args[] = {name, list, nullptr};
      posix::execSelf(args);
      ::_exit(3);  // exec failed
    });
    std::this_thread::sleep_for(20s);
    ::_exit(4);  // the watchdog never fired
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}
