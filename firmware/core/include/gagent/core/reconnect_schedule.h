#pragma once
// The M2M reconnect schedule of S8.8.3-S8.8.6 (protocol §9): when to try the next MQTT login, when to ask for
// a fresh provision and when to give up and reboot. Pure bookkeeping on the injected clock; MqttSession owns
// the sockets and asks this class for decisions.
//
// A "failing period" opens when an established session is lost or when an attempt fails, and closes only on a
// successful subscribe (S8.6). Attempt n of a period (n = 1, 2, ...) waits (n - 1) x 10 s: the first one at
// once (S8.8.3: the reconnect after a loss, or the very first login after boot, S8.8.6), then 10 s, 20 s...

#include <cstdint>

#include "gagent/core/timer.h"

namespace gagent::core {

class ReconnectSchedule {
 public:
  static constexpr Millis kFirstDelay = 0;                        // S8.8.3: first retry immediately
  static constexpr Millis kDelayStep = hal::seconds(10);          // S8.8.3: each failure adds 10 s
  static constexpr std::uint32_t kReprovisionAfterFailures = 10;  // S8.8.4
  static constexpr Millis kRebootAfter = hal::hours(2);           // S8.8.5

  enum class Verdict : std::uint8_t {
    Retry,        // wait nextDelay(), then try again
    Reprovision,  // S8.8.4: ten failures since the last (re)start: provision again before the next try
  };

  // A fresh schedule (a new object after a reboot, S8.8.6, or the agent stopping the cloud session).
  void reset();
  // The agent (re)started the session with freshly provisioned data: the ten-failure count restarts, the
  // failing period (and its 2-hour clock) goes on.
  void onRestarted();
  // An established session went away: opens a failing period; the next attempt goes out at once.
  void onConnectionLost(Millis now);
  // An attempt failed (no TCP, no/refused CONNACK, refused SUBACK...). Opens a failing period if none is
  // open.
  Verdict onAttemptFailed(Millis now);
  // All subscriptions acknowledged: the period is over, the next loss starts again at 0 s.
  void onConnected();

  // How long to wait before the next attempt.
  [[nodiscard]] Millis nextDelay() const { return kFirstDelay + kDelayStep * failures_; }
  // S8.8.5: when the module gives up (kNever outside a failing period).
  [[nodiscard]] Millis rebootDeadline() const;
  [[nodiscard]] bool rebootDue(Millis now) const { return now >= rebootDeadline(); }
  [[nodiscard]] bool failing() const { return failingSince_ != hal::kNever; }
  [[nodiscard]] Millis failingSince() const { return failingSince_; }
  // Failed attempts in this period, and since the last (re)start.
  [[nodiscard]] std::uint32_t failures() const { return failures_; }
  [[nodiscard]] std::uint32_t failuresSinceRestart() const { return sinceRestart_; }

 private:
  void openPeriod(Millis now);

  Millis failingSince_ = hal::kNever;
  std::uint32_t failures_ = 0;
  std::uint32_t sinceRestart_ = 0;
};

}  // namespace gagent::core
