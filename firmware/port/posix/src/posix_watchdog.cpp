#include "gagent/posix/posix_watchdog.h"

#include <unistd.h>

#include <algorithm>

namespace gagent::posix {

PosixWatchdog::PosixWatchdog(std::chrono::milliseconds timeout, std::function<void()> onExpiry)
    : timeout_(timeout),
      onExpiry_(std::move(onExpiry)),
      lastFeed_(Clock::now()),
      thread_([this] { watch(); }) {}

PosixWatchdog::~PosixWatchdog() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PosixWatchdog::feed() {
  const std::lock_guard lock(mutex_);
  lastFeed_ = Clock::now();
}

void PosixWatchdog::watch() {
  // Checks a few times per timeout, at most once a second: the reset need not be punctual to the millisecond.
  const auto step = std::clamp<std::chrono::milliseconds>(timeout_ / 4, std::chrono::milliseconds(10),
                                                          std::chrono::seconds(1));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, step);
    if (stopping_) return;
    if (Clock::now() - lastFeed_ < timeout_) continue;
    lock.unlock();
    onExpiry_();
    lock.lock();
    lastFeed_ = Clock::now();  // an action that returns (tests) re-arms the watchdog
  }
}

void execSelf(char* const argv[]) {
  ::execv("/proc/self/exe", argv);
}

}  // namespace gagent::posix
