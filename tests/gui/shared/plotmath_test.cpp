// Plot math of the engineer view (gui/plotmath): plain numbers, no display.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "shared/plot_math.h"

using namespace gizrig::gui::plotmath;
using gizrig::core::RunRecord;

TEST(PlotMathHistogram, BinsAlignToMultiplesOfTheWidth) {
  const Histogram h = histogram({12, 14, 19, 20, 35}, 10);
  EXPECT_DOUBLE_EQ(h.origin, 10);
  EXPECT_DOUBLE_EQ(h.width, 10);
  EXPECT_EQ(h.counts, (QVector<double>{3, 1, 1}));  // [10,20) [20,30) [30,40)
  EXPECT_EQ(h.binCentres(), (QVector<double>{15, 25, 35}));
  EXPECT_EQ(h.total(), 5);
}

TEST(PlotMathHistogram, EmptyInputNonFiniteValuesAndBadWidths) {
  EXPECT_TRUE(histogram({}, 10).counts.isEmpty());
  EXPECT_TRUE(histogram({1, 2}, 0).counts.isEmpty());
  EXPECT_TRUE(histogram({1, 2}, -5).counts.isEmpty());
  EXPECT_TRUE(histogram({1, 2}, std::numeric_limits<double>::quiet_NaN()).counts.isEmpty());
  const Histogram h = histogram({std::numeric_limits<double>::quiet_NaN(), 5, INFINITY}, 2);
  EXPECT_EQ(h.counts, (QVector<double>{1}));
  EXPECT_DOUBLE_EQ(h.origin, 4);
}

TEST(PlotMathHistogram, NegativeValuesAndASingleValue) {
  const Histogram h = histogram({-3, -1, 0}, 2);
  EXPECT_DOUBLE_EQ(h.origin, -4);
  EXPECT_EQ(h.counts, (QVector<double>{1, 1, 1}));  // [-4,-2) [-2,0) [0,2)
  const Histogram one = histogram({7}, 5);
  EXPECT_DOUBLE_EQ(one.origin, 5);
  EXPECT_EQ(one.counts, (QVector<double>{1}));
}

TEST(PlotMathHeartbeat, IntervalsBetweenConsecutiveHeartbeats) {
  EXPECT_EQ(heartbeatIntervals({1000, 56000, 111500}), (QVector<double>{55000, 55500}));
  EXPECT_TRUE(heartbeatIntervals({}).isEmpty());
  EXPECT_TRUE(heartbeatIntervals({42}).isEmpty());
  // A capture spliced from two runs goes back in time: no negative (or zero) gap is made up.
  EXPECT_EQ(heartbeatIntervals({1000, 2000, 500, 1500, 1500}), (QVector<double>{1000, 1000}));
}

TEST(PlotMathSignal, S1_9_SignalLevelIsStatusBits8To10) {
  EXPECT_EQ(signalLevel(0x0000), 0);
  EXPECT_EQ(signalLevel(0x0500), 5);
  EXPECT_EQ(signalLevel(0x0700), 7);
  EXPECT_EQ(signalLevel(0x0800), 0);  // bit 11 is not the signal
  EXPECT_EQ(signalLevel(0xFFFF), 7);
  EXPECT_EQ(signalLevel(0x06FF), 6);
}

TEST(PlotMathSignal, SeriesInSecondsSortedByTime) {
  const Series s = signalSeries({{3000, 0x0300}, {1000, 0x0536}, {2000, 0x0000}});
  EXPECT_EQ(s.x, (QVector<double>{1, 2, 3}));
  EXPECT_EQ(s.y, (QVector<double>{5, 0, 3}));
  EXPECT_TRUE(signalSeries({}).x.isEmpty());
}

namespace {
RunRecord run(const QString& slot, std::int64_t started, std::optional<std::int64_t> finished) {
  RunRecord r;
  r.slot = slot;
  r.startedMs = started;
  r.finishedMs = finished;
  return r;
}
}  // namespace

TEST(PlotMathDuration, MeanPerSlotOverFinishedRunsInSlotOrder) {
  const auto perSlot = durationPerSlot({run("2", 0, 30000), run("1", 1000, 11000), run("2", 0, 50000),
                                        run("1", 0, std::nullopt), run("", 0, 4000)});
  ASSERT_EQ(perSlot.size(), 3u);
  EXPECT_EQ(perSlot[0], (SlotDuration{"-", 4, 1}));
  EXPECT_EQ(perSlot[1], (SlotDuration{"1", 10, 1}));  // the unfinished run does not count
  EXPECT_EQ(perSlot[2], (SlotDuration{"2", 40, 2}));
  EXPECT_TRUE(durationPerSlot({}).empty());
}

// Issue 13, operator statistics: Cpk when the limits are two-sided, the one-sided index otherwise.
TEST(PlotMathCapability, Issue13_CpkForTwoSidedLimitsOneSidedIndexOtherwise) {
  // mean 10, sample sigma 1 (values 9, 10, 11).
  const Capability both = capability({9, 10, 11}, 7.0, 16.0);
  EXPECT_EQ(both.n, 3);
  EXPECT_DOUBLE_EQ(both.mean, 10);
  EXPECT_DOUBLE_EQ(both.sigma, 1);
  ASSERT_TRUE(both.cpk);
  EXPECT_DOUBLE_EQ(*both.cpk, 1.0);  // (10 - 7) / 3, the nearer limit
  EXPECT_DOUBLE_EQ(*both.cpu, 2.0);
  const Capability upper = capability({9, 10, 11}, std::nullopt, 16.0);
  EXPECT_FALSE(upper.cpk);
  EXPECT_FALSE(upper.cpl);
  ASSERT_TRUE(upper.cpu);
  EXPECT_DOUBLE_EQ(*upper.cpu, 2.0);
  EXPECT_FALSE(capability({10}, 7.0, 16.0).cpk);          // one value: no spread to speak of
  EXPECT_FALSE(capability({10, 10, 10}, 7.0, 16.0).cpk);  // sigma 0: no finite index
  EXPECT_EQ(capability({}, 7.0, 16.0).n, 0);
}

TEST(PlotMathHistogram, Issue13_NiceBinWidthsAndWholeNumbersNeverShareABin) {
  EXPECT_DOUBLE_EQ(niceBinWidth({0, 1000}), 100);
  EXPECT_DOUBLE_EQ(niceBinWidth({100, 130}), 5);         // 3 -> 5
  EXPECT_DOUBLE_EQ(niceBinWidth({3, 4, 5, 6}), 1);       // levels: whole numbers, at least 1
  EXPECT_NEAR(niceBinWidth({0.10, 0.25}), 0.02, 1e-12);  // 0.015 -> 0.02
  EXPECT_DOUBLE_EQ(niceBinWidth({5, 5}), 1);             // no spread
  EXPECT_DOUBLE_EQ(niceBinWidth({}), 1);
}

TEST(PlotMathAxis, Issue13_OneSampleDoesNotFillThePlotAndCountsNeverStartBelowZero) {
  // One signal sample at 12 s: a minute-wide window from just before it, not a zero-width axis.
  const auto one = axisRange(12, 12, 60);
  EXPECT_LT(one.lower, 12);
  EXPECT_GE(one.upper - one.lower, 60);
  // Heartbeat intervals of 55 s: the axis starts at 0 (the floor), never at -1 or -2.75.
  const auto beats = axisRange(0, 55, 1, 0.0);
  EXPECT_EQ(beats.lower, 0);
  EXPECT_GT(beats.upper, 55);
  // Data wider than the minimum keep their own span plus a margin each side.
  const auto wide = axisRange(10, 210, 60);
  EXPECT_DOUBLE_EQ(wide.lower, 0);
  EXPECT_DOUBLE_EQ(wide.upper, 220);
  const auto nan = axisRange(std::nan(""), 1, 1, 0.0);
  EXPECT_EQ(nan.lower, 0);
  EXPECT_EQ(nan.upper, 1);
}
