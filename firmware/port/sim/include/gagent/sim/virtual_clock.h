#pragma once
// Virtual time for the sim port: time moves only when a test or world loop says so, and test-side events
// run at exact instants. A world loop alternates "poll the core at now()" and
// "advanceTo(min(core deadline, nextEventTime()))", so hours of firmware time pass in milliseconds.
//
// The fakes schedule their own latencies (connect, DNS, scan, join) here too, so nextEventTime() also wakes
// the world when a fake has news for the core. Each fake tags its events with itself as owner and cancels
// them when destroyed; the clock must therefore outlive the fakes that use it.

#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>

#include "gagent/hal/types.h"

namespace gagent::sim {

using hal::Millis;

class VirtualClock {
 public:
  using EventId = std::uint64_t;

  explicit VirtualClock(Millis start = 0) : now_(start) {}
  VirtualClock(const VirtualClock&) = delete;
  VirtualClock& operator=(const VirtualClock&) = delete;

  [[nodiscard]] Millis now() const { return now_; }

  // Runs every event due up to `t` in time order (ties in scheduling order), with now() equal to each
  // event's time while it runs; events those actions schedule within the range run too. Ends at `t`.
  // Time never goes backwards: a `t` before now() only runs the events already due.
  void advanceTo(Millis t);
  void advanceBy(Millis d) { advanceTo(now_ + d); }

  // An event at a time already past runs at the next advance, at the current time.
  EventId at(Millis t, std::function<void()> action, const void* owner = nullptr);
  EventId after(Millis delay, std::function<void()> action, const void* owner = nullptr) {
    return at(now_ + delay, std::move(action), owner);
  }
  // For fakes whose latencies default to 0: a zero delay runs the action at once, inside the HAL call,
  // instead of leaving the result for the next advance.
  void runAfter(Millis delay, std::function<void()> action, const void* owner);

  bool cancel(EventId id);
  void cancelOwnedBy(const void* owner);
  [[nodiscard]] bool pending(EventId id) const { return times_.contains(id); }
  [[nodiscard]] std::size_t pendingCount() const { return queue_.size(); }
  // kNever when nothing is scheduled.
  [[nodiscard]] Millis nextEventTime() const;

 private:
  struct Event {
    std::function<void()> action;
    const void* owner = nullptr;
  };
  using Key = std::pair<Millis, EventId>;  // time, then scheduling order

  Millis now_;
  EventId nextId_ = 1;
  std::map<Key, Event> queue_;
  std::unordered_map<EventId, Millis> times_;
};

}  // namespace gagent::sim
