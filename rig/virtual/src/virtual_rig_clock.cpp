#include "gizrig/virtual/virtual_rig_clock.h"

#include <QCoreApplication>
#include <QEvent>
#include <QtDebug>
#include <algorithm>
#include <vector>

#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_module.h"

namespace gizrig::core {

namespace {

RigMillis fromSim(gagent::hal::Millis t) {
  return t == gagent::hal::kNever || t > static_cast<gagent::hal::Millis>(VirtualRigClock::kNoDeadline)
             ? VirtualRigClock::kNoDeadline
             : static_cast<RigMillis>(t);
}

gagent::hal::Millis toSim(RigMillis t) {
  return t < 0 ? 0 : static_cast<gagent::hal::Millis>(t);
}

}  // namespace

VirtualRigClock::VirtualRigClock(gagent::sim::SimBoard& board, gagent::sim::SimModule& module,
                                 QObject* parent)
    : RigClock(parent), board_(board), module_(module), self_(std::make_shared<VirtualRigClock*>(this)) {
  // The module keeps its peers for its lifetime; the weak pointer makes this entry a no-op once the clock is
  // gone instead of a dangling call.
  std::weak_ptr<VirtualRigClock*> weak = self_;
  module_.addPeer({[weak](gagent::hal::Millis now) {
                     const auto self = weak.lock();
                     return self && (*self)->turn(fromSim(now));
                   },
                   [weak]() -> gagent::hal::Millis {
                     const auto self = weak.lock();
                     if (!self) return gagent::hal::kNever;
                     const RigMillis next =
                         std::min((*self)->nextCallbackTime(), (*self)->servicesDeadline());
                     return next == kNoDeadline ? gagent::hal::kNever : toSim(next);
                   }});
}

VirtualRigClock::~VirtualRigClock() = default;

RigMillis VirtualRigClock::nowMs() const {
  return fromSim(board_.clock().now());
}

TimerId VirtualRigClock::callAt(RigMillis at, QObject* context, std::function<void()> fn) {
  const TimerId id = nextTimer_++;
  // A time already past runs at the next turn, at the then current time (as QTimer with a 0 interval).
  const RigMillis due = std::max(at, nowMs());
  callbacks_.emplace(Key{due, id}, Callback{QPointer<QObject>(context), context != nullptr, std::move(fn)});
  dueTimes_.emplace(id, due);
  return id;
}

void VirtualRigClock::cancel(TimerId id) {
  const auto it = dueTimes_.find(id);
  if (it == dueTimes_.end()) return;
  callbacks_.erase(Key{it->second, id});
  dueTimes_.erase(it);
}

VirtualRigClock::ServiceId VirtualRigClock::addService(Service service, ServiceDeadline nextDeadline) {
  const ServiceId id = nextService_++;
  services_.emplace(id, ServiceEntry{std::move(service), std::move(nextDeadline)});
  return id;
}

void VirtualRigClock::removeService(ServiceId id) {
  services_.erase(id);
}

RigMillis VirtualRigClock::nextCallbackTime() const {
  return callbacks_.empty() ? kNoDeadline : callbacks_.begin()->first.first;
}

RigMillis VirtualRigClock::servicesDeadline() const {
  RigMillis next = kNoDeadline;
  for (const auto& [id, entry] : services_) {
    if (entry.nextDeadline) next = std::min(next, entry.nextDeadline());
  }
  return next;
}

RigMillis VirtualRigClock::nextWake() const {
  RigMillis next = std::min(nextCallbackTime(), servicesDeadline());
  next = std::min(next, fromSim(board_.clock().nextEventTime()));
  if (module_.boots() > 0) next = std::min(next, fromSim(module_.agent().nextDeadline()));
  return next;
}

bool VirtualRigClock::runDueCallbacks(RigMillis now) {
  bool ran = false;
  for (int n = 0; n < kMaxCallbacksPerTurn && !callbacks_.empty(); ++n) {
    auto first = callbacks_.begin();
    if (first->first.first > now) break;
    // Out of the queue before it runs: the callback may schedule or cancel others.
    Callback callback = std::move(first->second);
    dueTimes_.erase(first->first.second);
    callbacks_.erase(first);
    if (callback.hasContext && !callback.context) continue;  // its context was destroyed
    ran = true;
    if (callback.fn) callback.fn();
  }
  return ran;
}

bool VirtualRigClock::turn(RigMillis now) {
  bool progress = runDueCallbacks(now);
  if (QCoreApplication::instance() != nullptr) {
    // Queued signals, then objects a plug released with deleteLater (a link whose timers go with it).
    QCoreApplication::processEvents(QEventLoop::AllEvents);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
  }
  // A snapshot: a service may add or remove services (a plug creating or deleting a link).
  std::vector<ServiceId> ids;
  ids.reserve(services_.size());
  for (const auto& [id, entry] : services_) ids.push_back(id);
  for (const ServiceId id : ids) {
    const auto it = services_.find(id);
    if (it == services_.end()) continue;
    const Service service = it->second.service;  // a copy: the entry may go while it runs
    progress = service(now) || progress;
  }
  if (passRequested_) {
    passRequested_ = false;
    progress = true;
  }
  return progress;
}

bool VirtualRigClock::enter() {
  if (!running_) return true;
  qWarning("VirtualRigClock: the world is already running (a run call from inside a callback is ignored)");
  return false;
}

void VirtualRigClock::runUntil(RigMillis t) {
  if (!enter()) return;
  running_ = true;
  module_.runUntil(toSim(std::max(t, nowMs())));
  running_ = false;
}

bool VirtualRigClock::runUntilIdle(RigMillis limit) {
  return runUntil([this] { return callbacks_.empty(); }, limit);
}

bool VirtualRigClock::runUntil(const std::function<bool()>& done, RigMillis limit) {
  if (!enter()) return false;
  running_ = true;
  // One turn at the current instant first, so what is already due (or already true) is seen.
  module_.runUntil(board_.clock().now());
  bool met = done();
  while (!met && nowMs() < limit) {
    const RigMillis now = nowMs();
    const RigMillis next = std::clamp(nextWake(), now + 1, limit);
    module_.runUntil(toSim(next));
    met = done();
  }
  running_ = false;
  return met;
}

}  // namespace gizrig::core
