#include "gizrig/clock/rig_clock.h"

#include <QElapsedTimer>
#include <QTimer>
#include <map>

namespace gizrig::core {

struct RealClock::Impl {
  QElapsedTimer elapsed;
  TimerId nextId = 1;
  std::map<TimerId, QPointer<QTimer>> timers;
};

RealClock::RealClock(QObject* parent) : RigClock(parent), impl_(std::make_shared<Impl>()) {
  impl_->elapsed.start();
}

RigMillis RealClock::nowMs() const {
  return impl_->elapsed.elapsed();
}

TimerId RealClock::callAt(RigMillis at, QObject* context, std::function<void()> fn) {
  const TimerId id = impl_->nextId++;
  auto* timer = new QTimer(context != nullptr ? context : this);
  timer->setSingleShot(true);
  timer->setTimerType(Qt::PreciseTimer);
  std::weak_ptr<Impl> weak = impl_;
  QObject::connect(timer, &QTimer::timeout, timer, [weak, id, timer, fn = std::move(fn)] {
    if (auto impl = weak.lock()) impl->timers.erase(id);
    timer->deleteLater();
    fn();
  });
  impl_->timers[id] = timer;
  const RigMillis delay = at - nowMs();
  timer->start(static_cast<int>(delay > 0 ? delay : 0));
  return id;
}

void RealClock::cancel(TimerId id) {
  const auto it = impl_->timers.find(id);
  if (it == impl_->timers.end()) return;
  if (it->second) {
    it->second->stop();
    it->second->deleteLater();
  }
  impl_->timers.erase(it);
}

}  // namespace gizrig::core
