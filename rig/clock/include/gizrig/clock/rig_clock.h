#pragma once
// The rig's only source of time (architecture practice 3). Every wait in the rig is a deadline on this clock,
// so the same scenario runs in real time (RealClock) and in virtual time, where the clock jumps to the next
// deadline of the rig or of the firmware (VirtualRigClock, docs/rig.md).

#include <QObject>
#include <QPointer>
#include <cstdint>
#include <functional>

namespace gizrig::core {

using RigMillis = std::int64_t;
using TimerId = std::uint64_t;

class RigClock : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  ~RigClock() override = default;

  [[nodiscard]] virtual RigMillis nowMs() const = 0;
  // Calls `fn` once at `at` (or at once when `at` has passed), unless cancelled or `context` is destroyed
  // first.
  virtual TimerId callAt(RigMillis at, QObject* context, std::function<void()> fn) = 0;
  TimerId callAfter(RigMillis delay, QObject* context, std::function<void()> fn) {
    return callAt(nowMs() + delay, context, std::move(fn));
  }
  virtual void cancel(TimerId id) = 0;
};

// Wall-clock time: a monotonic QElapsedTimer and QTimer callbacks on the owning thread's event loop.
class RealClock final : public RigClock {
  Q_OBJECT
 public:
  explicit RealClock(QObject* parent = nullptr);
  [[nodiscard]] RigMillis nowMs() const override;
  TimerId callAt(RigMillis at, QObject* context, std::function<void()> fn) override;
  void cancel(TimerId id) override;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace gizrig::core
