#include "gagent/sim/virtual_clock.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using gagent::hal::kNever;
using gagent::sim::Millis;
using gagent::sim::VirtualClock;

namespace {

struct Trace {
  VirtualClock& clock;
  std::vector<std::string> entries;
  auto note(std::string what) {
    return [this, what] { entries.push_back(what + "@" + std::to_string(clock.now())); };
  }
};

}  // namespace

TEST(VirtualClock, EventsRunInTimeOrderThenInSchedulingOrder) {
  VirtualClock clock;
  Trace trace{clock, {}};
  clock.at(30, trace.note("a"));
  clock.at(10, trace.note("b"));
  clock.at(30, trace.note("c"));
  clock.at(20, trace.note("d"));
  EXPECT_EQ(clock.nextEventTime(), 10u);
  clock.advanceTo(30);
  EXPECT_EQ(trace.entries, (std::vector<std::string>{"b@10", "d@20", "a@30", "c@30"}));
  EXPECT_EQ(clock.now(), 30u);
  EXPECT_EQ(clock.nextEventTime(), kNever);
}

TEST(VirtualClock, AdvanceStopsAtTheTargetAndKeepsLaterEvents) {
  VirtualClock clock(1000);
  Trace trace{clock, {}};
  clock.after(50, trace.note("late"));
  clock.advanceBy(49);
  EXPECT_TRUE(trace.entries.empty());
  EXPECT_EQ(clock.now(), 1049u);
  EXPECT_EQ(clock.nextEventTime(), 1050u);
  clock.advanceBy(1);
  EXPECT_EQ(trace.entries, (std::vector<std::string>{"late@1050"}));
}

TEST(VirtualClock, ActionsScheduleFurtherEventsInsideTheSameAdvance) {
  VirtualClock clock;
  Trace trace{clock, {}};
  clock.at(10, [&] {
    trace.note("first")();
    clock.after(5, trace.note("chained"));
    clock.after(90, trace.note("beyond"));
    clock.at(3, trace.note("past"));  // already past: runs next, at the current time
  });
  clock.advanceTo(20);
  EXPECT_EQ(trace.entries, (std::vector<std::string>{"first@10", "past@10", "chained@15"}));
  EXPECT_EQ(clock.nextEventTime(), 100u);
  EXPECT_EQ(clock.pendingCount(), 1u);
}

TEST(VirtualClock, TimeNeverGoesBackwards) {
  VirtualClock clock;
  clock.advanceTo(500);
  clock.advanceTo(100);
  EXPECT_EQ(clock.now(), 500u);
}

TEST(VirtualClock, CancelledEventsDoNotRun) {
  VirtualClock clock;
  Trace trace{clock, {}};
  const int ownerA = 0;
  const int ownerB = 0;
  const auto id = clock.at(10, trace.note("cancelled"));
  clock.at(20, trace.note("a1"), &ownerA);
  clock.at(30, trace.note("b"), &ownerB);
  clock.at(40, trace.note("a2"), &ownerA);
  EXPECT_TRUE(clock.pending(id));
  EXPECT_TRUE(clock.cancel(id));
  EXPECT_FALSE(clock.cancel(id));
  clock.cancelOwnedBy(&ownerA);
  clock.advanceTo(100);
  EXPECT_EQ(trace.entries, (std::vector<std::string>{"b@30"}));
}

TEST(VirtualClock, RunAfterZeroRunsInsideTheCall) {
  VirtualClock clock(7);
  Trace trace{clock, {}};
  clock.runAfter(0, trace.note("now"), nullptr);
  clock.runAfter(3, trace.note("later"), nullptr);
  EXPECT_EQ(trace.entries, (std::vector<std::string>{"now@7"}));
  clock.advanceTo(10);
  EXPECT_EQ(trace.entries, (std::vector<std::string>{"now@7", "later@10"}));
}

// The world loop the clock is built for: poll, then jump to min(core deadline, next scripted event).
TEST(VirtualClock, WorldLoopJumpsStraightToEachDeadline) {
  VirtualClock clock;
  Trace trace{clock, {}};
  Millis coreDeadline = 1000;  // a core that wants a tick every second
  std::vector<Millis> ticks;
  clock.at(2500, trace.note("script"));
  while (clock.now() < 4000) {
    if (clock.now() >= coreDeadline) {
      ticks.push_back(clock.now());
      coreDeadline += 1000;
    }
    clock.advanceTo(std::min({coreDeadline, clock.nextEventTime(), Millis{4000}}));
  }
  EXPECT_EQ(ticks, (std::vector<Millis>{1000, 2000, 3000}));
  EXPECT_EQ(trace.entries, (std::vector<std::string>{"script@2500"}));
}
