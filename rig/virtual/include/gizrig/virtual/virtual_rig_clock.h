#pragma once
// The rig's clock in the in-process virtual-time world (docs/rig.md "One scenario, two kinds of time"): the
// rig's time IS the firmware's sim::VirtualClock, so a plug's deadline and the module's timers share one
// timeline and the world jumps from deadline to deadline. No wall-clock waits anywhere.
//
// The world loop is sim::SimModule::runUntil: this clock joins it as a peer. Each of its turns (after every
// module poll) it runs the rig callbacks that are due, delivers posted Qt events (queued signals and
// deleteLater, so plug signals flow) and services the rig's sim-side endpoints (links, SimCloud); it tells
// the loop when it next wants a turn (its earliest callback or service deadline), so the clock advances to
// the earliest deadline of the rig, the module and the peers.
//
// Rules of use: one thread (the one that owns the QCoreApplication); the run* calls must not be made from a
// rig callback or a slot the loop delivers (they return at once when nested); the SimBoard and SimModule
// must outlive this clock (the module's peer entry goes quiet when the clock is destroyed).

#include <QObject>
#include <QPointer>
#include <functional>
#include <limits>
#include <map>
#include <memory>

#include "gizrig/clock/rig_clock.h"

namespace gagent::sim {
class SimBoard;
class SimModule;
}  // namespace gagent::sim

namespace gizrig::core {

class VirtualRigClock final : public RigClock {
  Q_OBJECT
 public:
  using ServiceId = std::uint64_t;
  // A sim-side endpoint's turn at `now`: deliver what arrived, send what is due; true when it did anything
  // (the loop then polls the module again at the same instant).
  using Service = std::function<bool(RigMillis now)>;
  // When the endpoint wants its next turn without news from the module; kNoDeadline when it waits only.
  using ServiceDeadline = std::function<RigMillis()>;
  static constexpr RigMillis kNoDeadline = std::numeric_limits<RigMillis>::max();
  // A callback that keeps rescheduling itself at the current instant cannot freeze time: after this many
  // callbacks in one turn the rest wait for the next turn (the loop still moves on).
  static constexpr int kMaxCallbacksPerTurn = 10000;

  VirtualRigClock(gagent::sim::SimBoard& board, gagent::sim::SimModule& module, QObject* parent = nullptr);
  ~VirtualRigClock() override;

  // RigClock
  [[nodiscard]] RigMillis nowMs() const override;
  TimerId callAt(RigMillis at, QObject* context, std::function<void()> fn) override;
  void cancel(TimerId id) override;

  // Sim-side endpoints serviced on every turn. Safe to add/remove from inside a turn.
  ServiceId addService(Service service, ServiceDeadline nextDeadline = {});
  void removeService(ServiceId id);

  // Rig-side endpoints call this when they put something in front of the module (bytes on the UART or the
  // LAN, a router or cloud change): the turn then reports progress, so the module is polled again at the same
  // instant instead of at its next own deadline, even when the sending code ran in a Qt slot.
  void requestPass() { passRequested_ = true; }

  // ---- driving the world ----------------------------------------------------------------------------------
  // Runs the module, the peers and the rig callbacks up to `t` (virtual ms), ending with a turn at `t`.
  void runUntil(RigMillis t);
  void runFor(RigMillis duration) { runUntil(nowMs() + duration); }
  // Runs until the rig has no callback pending (every plug request answered or timed out) or `limit` is
  // reached; true when it went idle. The firmware never idles, so its deadlines do not count.
  bool runUntilIdle(RigMillis limit);
  // Runs instant by instant until `done()` holds (checked after every instant the world woke at) or `limit`
  // is reached; true when `done()` held.
  bool runUntil(const std::function<bool()>& done, RigMillis limit);

  [[nodiscard]] std::size_t pendingCallbacks() const { return callbacks_.size(); }
  // The earliest rig callback, or kNoDeadline.
  [[nodiscard]] RigMillis nextCallbackTime() const;
  // When the world next wakes by itself: the earliest of the module's, the sim fakes', the services' and the
  // rig callbacks' deadlines (kNoDeadline when none).
  [[nodiscard]] RigMillis nextWake() const;
  [[nodiscard]] bool isRunning() const { return running_; }

 private:
  struct Callback {
    QPointer<QObject> context;
    bool hasContext = false;
    std::function<void()> fn;
  };
  struct ServiceEntry {
    Service service;
    ServiceDeadline nextDeadline;
  };
  using Key = std::pair<RigMillis, TimerId>;  // due time, then scheduling order

  bool turn(RigMillis now);  // the SimModule peer's service
  bool runDueCallbacks(RigMillis now);
  [[nodiscard]] RigMillis servicesDeadline() const;
  bool enter();  // false (and a warning) when the world is already running

  gagent::sim::SimBoard& board_;
  gagent::sim::SimModule& module_;
  std::shared_ptr<VirtualRigClock*> self_;  // the module's peer entry holds a weak_ptr to it
  std::map<Key, Callback> callbacks_;
  std::map<TimerId, RigMillis> dueTimes_;
  TimerId nextTimer_ = 1;
  std::map<ServiceId, ServiceEntry> services_;
  ServiceId nextService_ = 1;
  bool running_ = false;
  bool passRequested_ = false;
};

}  // namespace gizrig::core
