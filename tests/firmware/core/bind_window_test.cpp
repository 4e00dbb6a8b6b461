#include "gagent/core/bind_window.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

using namespace gagent;
using namespace gagent::core;

namespace {

struct Listener : BindWindowListener {
  std::vector<std::pair<bool, Millis>> changes;
  void onBindableChanged(bool bindable, Millis now) override { changes.emplace_back(bindable, now); }
};

struct BindWindowTest : ::testing::Test {
  LogHub logs;
  Listener listener;
  BindWindow window{logs, listener};
};

}  // namespace

TEST_F(BindWindowTest, ClosedUntilOpened) {
  EXPECT_FALSE(window.isOpen(0));
  EXPECT_EQ(window.state(), BindWindow::State::Closed);
  EXPECT_EQ(window.nextDeadline(), hal::kNever);
  window.poll(hal::hours(1));
  EXPECT_TRUE(listener.changes.empty());
}

TEST_F(BindWindowTest, S7_2_2_OpensForTheMcuBindTimeThenCloses) {
  window.open(1000, 60);
  EXPECT_TRUE(window.isOpen(1000));
  EXPECT_TRUE(window.isOpen(1000 + hal::seconds(60) - 1));
  EXPECT_FALSE(window.isOpen(1000 + hal::seconds(60)));  // exact even before poll() runs
  EXPECT_EQ(window.nextDeadline(), 1000 + hal::seconds(60));

  window.poll(1000 + hal::seconds(60) - 1);
  EXPECT_EQ(window.state(), BindWindow::State::Timed);
  window.poll(1000 + hal::seconds(60));
  EXPECT_EQ(window.state(), BindWindow::State::Closed);
  EXPECT_EQ(window.nextDeadline(), hal::kNever);
  const std::vector<std::pair<bool, Millis>> expected{{true, 1000}, {false, 1000 + hal::seconds(60)}};
  EXPECT_EQ(listener.changes, expected);
}

TEST_F(BindWindowTest, S7_2_2_ZeroBindTimeMeansAlwaysBindable) {
  window.open(0, 0);
  EXPECT_EQ(window.state(), BindWindow::State::Always);
  EXPECT_EQ(window.nextDeadline(), hal::kNever);
  window.poll(hal::hours(1000));
  EXPECT_TRUE(window.isOpen(hal::hours(1000)));
  window.close(hal::hours(1000));
  EXPECT_FALSE(window.isOpen(hal::hours(1000)));
  const std::vector<std::pair<bool, Millis>> expected{{true, 0}, {false, hal::hours(1000)}};
  EXPECT_EQ(listener.changes, expected);
}

TEST_F(BindWindowTest, S7_2_2_ReopeningRestartsTheTimeWithoutAChangeNotice) {
  window.open(0, 10);
  window.open(hal::seconds(8), 10);
  EXPECT_EQ(window.nextDeadline(), hal::seconds(18));
  window.poll(hal::seconds(10));
  EXPECT_TRUE(window.isOpen(hal::seconds(10)));
  EXPECT_EQ(listener.changes.size(), 1u);
  // From timed to unlimited and back: still open, no notice.
  window.open(hal::seconds(11), 0);
  EXPECT_EQ(window.nextDeadline(), hal::kNever);
  EXPECT_EQ(listener.changes.size(), 1u);
}

TEST_F(BindWindowTest, CloseStopsTheTimerAndNotifiesOnce) {
  window.open(0, 30);
  window.close(hal::seconds(5));
  window.close(hal::seconds(6));
  window.poll(hal::seconds(30));
  EXPECT_FALSE(window.isOpen(hal::seconds(5)));
  EXPECT_EQ(window.nextDeadline(), hal::kNever);
  const std::vector<std::pair<bool, Millis>> expected{{true, 0}, {false, hal::seconds(5)}};
  EXPECT_EQ(listener.changes, expected);
}
