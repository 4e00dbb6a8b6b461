#pragma once
// The numbers behind the engineer view's plots, as free functions of plain data so they are tested without
// a display (tests/gui/plotmath_*_test.cpp). Times are RigClock milliseconds; plots show seconds.

#include <QList>
#include <QPair>
#include <QString>
#include <QVector>
#include <cstdint>
#include <optional>
#include <vector>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/records/run_record.h"

namespace gizrig::gui::plotmath {

// Fixed-width bins from `origin`: bin i counts values in [origin + i*width, origin + (i+1)*width). The origin
// is the smallest value rounded down to a multiple of the width, so bins line up across redraws.
struct Histogram {
  double origin = 0;
  double width = 1;
  QVector<double> counts;  // doubles: what QCPBars takes
  [[nodiscard]] QVector<double> binCentres() const;
  [[nodiscard]] int total() const;
};

// An empty histogram for no values or a width <= 0 (never divides by zero). NaN values are skipped.
[[nodiscard]] Histogram histogram(const QVector<double>& values, double binWidth);

// The gaps between consecutive heartbeats (ms), in order; times out of order (a capture from two runs) count
// from the previous one only when later, so a negative gap never appears.
[[nodiscard]] QVector<double> heartbeatIntervals(const QList<core::RigMillis>& times);

// Signal level of the WiFi status word (§1.9: bits 8-10, 0..7).
[[nodiscard]] int signalLevel(quint16 statusWord);

struct Series {
  QVector<double> x;  // seconds
  QVector<double> y;
};

// A step series of the signal level over time from (time, status word) samples, in time order.
[[nodiscard]] Series signalSeries(const QList<QPair<core::RigMillis, quint16>>& samples);

// Mean test duration per slot over the finished runs (seconds), slots in name order ("" shown as "-").
struct SlotDuration {
  QString slot;
  double meanSeconds = 0;
  int runs = 0;
  bool operator==(const SlotDuration&) const = default;
};
[[nodiscard]] std::vector<SlotDuration> durationPerSlot(const std::vector<core::RunRecord>& runs);

// A bin width for a histogram of `values` of about `bins` bins: 1, 2 or 5 times a power of ten; at least 1
// when every value is a whole number (levels, counts), so integers never share a bin. 1 for no spread.
[[nodiscard]] double niceBinWidth(const QVector<double>& values, int bins = 10);

// Process capability of `values` against their limits (issue 13, the operator's statistics): mean and sample
// standard deviation, and Cpk = min(USL - mean, mean - LSL) / 3 sigma when both limits are set; with one
// limit only, the one-sided index (Cpu = (USL - mean) / 3 sigma, Cpl = (mean - LSL) / 3 sigma). No index for
// fewer than two values or no spread (sigma 0: it would be infinite).
struct Capability {
  int n = 0;
  double mean = 0;
  double sigma = 0;
  std::optional<double> cpk;  // two-sided limits only
  std::optional<double> cpl;  // a lower limit
  std::optional<double> cpu;  // an upper limit
};
[[nodiscard]] Capability capability(const QVector<double>& values, std::optional<double> low,
                                    std::optional<double> high);

// An axis range for data from `low` to `high` (issue 13: one sample must not fill the whole plot, and a
// count or a duration must not start below its floor): at least `minSpan` wide, extending upwards from `low`
// when the data are narrower, 5 % of the span as a margin each side, never below `floor`.
struct AxisRange {
  double lower = 0;
  double upper = 1;
};
[[nodiscard]] AxisRange axisRange(double low, double high, double minSpan,
                                  std::optional<double> floor = std::nullopt);

}  // namespace gizrig::gui::plotmath
