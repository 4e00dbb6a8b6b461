#pragma once
// One attempt of a setup step that ends by itself (an onboarding): its callbacks and its time limit live in a
// context that the next attempt replaces, so stale callbacks die with it, and its `done` is called at most
// once. Shared by the onboarding ways of setup "station".

#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::lab {

class SetupAttempt {
 public:
  explicit SetupAttempt(core::RigClock& clock) : clock_(clock) {}
  ~SetupAttempt() { clock_.cancel(timer_); }
  SetupAttempt(const SetupAttempt&) = delete;
  SetupAttempt& operator=(const SetupAttempt&) = delete;

  // Drops the previous attempt without calling its `done`; after `timeoutMs` the new one finishes with what
  // `timedOut` says then. Returns the attempt's context, for connections, and for callbacks to hold in a
  // QPointer: it is null once the attempt was dropped.
  QObject* begin(std::function<void(const QString& error)> done, core::RigMillis timeoutMs,
                 std::function<QString()> timedOut) {
    clock_.cancel(timer_);
    context_ = std::make_unique<QObject>();
    done_ = std::move(done);
    timer_ = clock_.callAfter(timeoutMs, context_.get(),
                              [this, timedOut = std::move(timedOut)] { finish(timedOut()); });
    return context_.get();
  }
  // The attempt's result: "" or what went wrong. Only the first call counts.
  void finish(const QString& error) {
    if (!done_) return;
    clock_.cancel(timer_);
    timer_ = 0;
    auto done = std::move(done_);
    done_ = nullptr;
    done(error);
  }

 private:
  core::RigClock& clock_;
  std::unique_ptr<QObject> context_;
  std::function<void(const QString&)> done_;
  core::TimerId timer_ = 0;
};

}  // namespace gizrig::lab
