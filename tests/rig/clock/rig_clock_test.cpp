#include "gizrig/clock/rig_clock.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <memory>

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "rig_clock_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

// Runs the event loop until `done` or a generous real-time guard (the guard is a safety net, not an
// assertion).
template <typename Done>
void spin(Done done) {
  QEventLoop loop;
  QTimer guard;
  guard.setSingleShot(true);
  QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
  guard.start(5000);
  while (!done() && guard.isActive()) loop.processEvents(QEventLoop::WaitForMoreEvents, 50);
}

TEST(RealClock, CallbacksRunInDeadlineOrderAndCancelledOnesNever) {
  app();
  RealClock clock;
  std::vector<int> order;
  clock.callAfter(30, nullptr, [&] { order.push_back(2); });
  clock.callAfter(10, nullptr, [&] { order.push_back(1); });
  const TimerId cancelled = clock.callAfter(20, nullptr, [&] { order.push_back(99); });
  clock.cancel(cancelled);
  spin([&] { return order.size() == 2; });
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(RealClock, ACallbackDiesWithItsContext) {
  app();
  RealClock clock;
  bool ran = false;
  bool later = false;
  auto context = std::make_unique<QObject>();
  clock.callAfter(10, context.get(), [&] { ran = true; });
  clock.callAfter(30, nullptr, [&] { later = true; });
  context.reset();
  spin([&] { return later; });
  EXPECT_FALSE(ran);
  EXPECT_TRUE(later);
}

TEST(RealClock, PastDeadlinesRunAtOnceAndTimeIsMonotonic) {
  app();
  RealClock clock;
  const RigMillis before = clock.nowMs();
  bool ran = false;
  clock.callAt(before - 1000, nullptr, [&] { ran = true; });
  spin([&] { return ran; });
  EXPECT_TRUE(ran);
  EXPECT_GE(clock.nowMs(), before);
}

}  // namespace
}  // namespace gizrig::core
