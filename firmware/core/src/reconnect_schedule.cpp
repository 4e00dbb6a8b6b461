#include "gagent/core/reconnect_schedule.h"

namespace gagent::core {

void ReconnectSchedule::reset() {
  failingSince_ = hal::kNever;
  failures_ = 0;
  sinceRestart_ = 0;
}

void ReconnectSchedule::onRestarted() {
  sinceRestart_ = 0;
}

void ReconnectSchedule::openPeriod(Millis now) {
  if (!failing()) failingSince_ = now;
}

void ReconnectSchedule::onConnectionLost(Millis now) {
  // A loss ends a success, so the period is always new here: attempt 1 goes out after kFirstDelay.
  failures_ = 0;
  sinceRestart_ = 0;
  openPeriod(now);
}

ReconnectSchedule::Verdict ReconnectSchedule::onAttemptFailed(Millis now) {
  openPeriod(now);
  ++failures_;
  ++sinceRestart_;
  if (sinceRestart_ >= kReprovisionAfterFailures) {
    sinceRestart_ = 0;
    return Verdict::Reprovision;
  }
  return Verdict::Retry;
}

void ReconnectSchedule::onConnected() {
  reset();
}

Millis ReconnectSchedule::rebootDeadline() const {
  return failing() ? failingSince_ + kRebootAfter : hal::kNever;
}

}  // namespace gagent::core
