#include "gagent/sim/virtual_clock.h"

#include <algorithm>

namespace gagent::sim {

void VirtualClock::advanceTo(Millis t) {
  t = std::max(t, now_);
  while (!queue_.empty() && queue_.begin()->first.first <= t) {
    auto first = queue_.begin();
    now_ = std::max(now_, first->first.first);
    std::function<void()> action = std::move(first->second.action);
    times_.erase(first->first.second);
    queue_.erase(first);  // before running: the action may schedule or cancel events
    if (action) action();
  }
  now_ = t;
}

VirtualClock::EventId VirtualClock::at(Millis t, std::function<void()> action, const void* owner) {
  const EventId id = nextId_++;
  const Millis when = std::max(t, now_);
  queue_.emplace(Key{when, id}, Event{std::move(action), owner});
  times_.emplace(id, when);
  return id;
}

void VirtualClock::runAfter(Millis delay, std::function<void()> action, const void* owner) {
  if (delay == 0) {
    action();
  } else {
    after(delay, std::move(action), owner);
  }
}

bool VirtualClock::cancel(EventId id) {
  auto it = times_.find(id);
  if (it == times_.end()) return false;
  queue_.erase(Key{it->second, id});
  times_.erase(it);
  return true;
}

void VirtualClock::cancelOwnedBy(const void* owner) {
  if (owner == nullptr) return;
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->second.owner == owner) {
      times_.erase(it->first.second);
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
}

Millis VirtualClock::nextEventTime() const {
  return queue_.empty() ? hal::kNever : queue_.begin()->first.first;
}

}  // namespace gagent::sim
