#pragma once
// S12.4: a hardware watchdog that resets the module when the loop stops feeding it for 5 minutes. A thread
// watches the time of the last feed; when it is too old the expiry action runs on that thread (gagent-sim
// passes one that exec's the process anew with its own arguments: the flash file keeps the state, as a
// real reset would).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "gagent/hal/system.h"

namespace gagent::posix {

class PosixWatchdog : public hal::Watchdog {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::minutes(5);  // S12.4

  // Starts the watching thread; the timer counts from construction.
  PosixWatchdog(std::chrono::milliseconds timeout, std::function<void()> onExpiry);
  ~PosixWatchdog() override;
  PosixWatchdog(const PosixWatchdog&) = delete;
  PosixWatchdog& operator=(const PosixWatchdog&) = delete;

  void feed() override;

 private:
  void watch();

  const std::chrono::milliseconds timeout_;
  const std::function<void()> onExpiry_;
  std::mutex mutex_;
  std::condition_variable wake_;
  Clock::time_point lastFeed_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once every other member is ready
};

// Replaces the running process with a fresh start of the same executable and arguments (the watchdog's
// reset). Returns only if exec failed.
void execSelf(char* const argv[]);

}  // namespace gagent::posix
