#include "gagent/core/reconnect_schedule.h"

#include <gtest/gtest.h>

using namespace gagent;
using namespace gagent::core;

using Verdict = ReconnectSchedule::Verdict;

TEST(ReconnectSchedule, S8_8_6_FreshScheduleIsNotFailingAndStartsAtZero) {
  const ReconnectSchedule schedule;
  EXPECT_FALSE(schedule.failing());
  EXPECT_EQ(schedule.nextDelay(), 0u);
  EXPECT_EQ(schedule.rebootDeadline(), hal::kNever);
  EXPECT_FALSE(schedule.rebootDue(hal::hours(100)));
}

TEST(ReconnectSchedule, S8_8_3_LossRetriesAtOnceThenTenTwentyThirty) {
  ReconnectSchedule schedule;
  schedule.onConnectionLost(hal::seconds(5));
  EXPECT_EQ(schedule.nextDelay(), 0u);
  Millis expected = hal::seconds(10);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(schedule.onAttemptFailed(hal::seconds(6 + i)), Verdict::Retry);
    EXPECT_EQ(schedule.nextDelay(), expected);
    expected += hal::seconds(10);
  }
  EXPECT_EQ(schedule.failures(), 5u);
}

TEST(ReconnectSchedule, S8_8_3_FailedFirstLoginWaitsTenSeconds) {
  ReconnectSchedule schedule;  // the first login of a fresh object went out at 0 s (S8.8.6)
  EXPECT_EQ(schedule.onAttemptFailed(hal::seconds(1)), Verdict::Retry);
  EXPECT_EQ(schedule.nextDelay(), hal::seconds(10));
  EXPECT_EQ(schedule.failingSince(), hal::seconds(1));
}

TEST(ReconnectSchedule, S8_8_4_EveryTenthFailureSinceRestartAsksForProvision) {
  ReconnectSchedule schedule;
  for (int i = 1; i < 10; ++i) EXPECT_EQ(schedule.onAttemptFailed(0), Verdict::Retry) << i;
  EXPECT_EQ(schedule.onAttemptFailed(0), Verdict::Reprovision);
  schedule.onRestarted();
  EXPECT_EQ(schedule.failuresSinceRestart(), 0u);
  for (int i = 1; i < 10; ++i) EXPECT_EQ(schedule.onAttemptFailed(0), Verdict::Retry) << i;
  EXPECT_EQ(schedule.onAttemptFailed(0), Verdict::Reprovision);
  // The delay keeps growing across the provision: each failure adds 10 s (S8.8.3).
  EXPECT_EQ(schedule.nextDelay(), hal::seconds(200));
}

TEST(ReconnectSchedule, S8_8_4_RestartMidwayRestartsTheTenCount) {
  ReconnectSchedule schedule;
  for (int i = 0; i < 7; ++i) (void)schedule.onAttemptFailed(0);
  schedule.onRestarted();  // e.g. after CONNACK 4 and a re-registration
  for (int i = 1; i < 10; ++i) EXPECT_EQ(schedule.onAttemptFailed(0), Verdict::Retry) << i;
  EXPECT_EQ(schedule.onAttemptFailed(0), Verdict::Reprovision);
}

TEST(ReconnectSchedule, S8_8_5_RebootTwoHoursAfterTheFirstFailureAcrossRestarts) {
  ReconnectSchedule schedule;
  (void)schedule.onAttemptFailed(hal::minutes(3));
  schedule.onRestarted();
  (void)schedule.onAttemptFailed(hal::minutes(50));
  EXPECT_EQ(schedule.rebootDeadline(), hal::minutes(3) + hal::hours(2));
  EXPECT_FALSE(schedule.rebootDue(hal::minutes(3) + hal::hours(2) - 1));
  EXPECT_TRUE(schedule.rebootDue(hal::minutes(3) + hal::hours(2)));
}

TEST(ReconnectSchedule, S8_8_5_ClockStartsAtTheLoss) {
  ReconnectSchedule schedule;
  schedule.onConnectionLost(hal::minutes(30));
  (void)schedule.onAttemptFailed(hal::minutes(31));
  EXPECT_EQ(schedule.rebootDeadline(), hal::minutes(30) + hal::hours(2));
}

TEST(ReconnectSchedule, S8_6_SuccessEndsThePeriod) {
  ReconnectSchedule schedule;
  for (int i = 0; i < 4; ++i) (void)schedule.onAttemptFailed(hal::seconds(i));
  schedule.onConnected();
  EXPECT_FALSE(schedule.failing());
  EXPECT_EQ(schedule.rebootDeadline(), hal::kNever);
  schedule.onConnectionLost(hal::hours(5));
  EXPECT_EQ(schedule.nextDelay(), 0u);
  EXPECT_EQ(schedule.rebootDeadline(), hal::hours(7));
}

TEST(ReconnectSchedule, ResetForgetsEverything) {
  ReconnectSchedule schedule;
  for (int i = 0; i < 4; ++i) (void)schedule.onAttemptFailed(hal::seconds(i));
  schedule.reset();
  EXPECT_FALSE(schedule.failing());
  EXPECT_EQ(schedule.failures(), 0u);
  EXPECT_EQ(schedule.nextDelay(), 0u);
}
