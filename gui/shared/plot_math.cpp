#include "shared/plot_math.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace gizrig::gui::plotmath {

QVector<double> Histogram::binCentres() const {
  QVector<double> centres;
  centres.reserve(counts.size());
  for (qsizetype i = 0; i < counts.size(); ++i)
    centres.append(origin + (static_cast<double>(i) + 0.5) * width);
  return centres;
}

int Histogram::total() const {
  double sum = 0;
  for (const double count : counts) sum += count;
  return static_cast<int>(sum);
}

Histogram histogram(const QVector<double>& values, double binWidth) {
  Histogram result;
  if (!(binWidth > 0)) return result;
  result.width = binWidth;
  QVector<double> finite;
  for (const double value : values)
    if (std::isfinite(value)) finite.append(value);
  if (finite.isEmpty()) return result;
  const auto [low, high] = std::minmax_element(finite.begin(), finite.end());
  result.origin = std::floor(*low / binWidth) * binWidth;
  const auto bins = static_cast<qsizetype>(std::floor((*high - result.origin) / binWidth)) + 1;
  result.counts.fill(0.0, bins);
  for (const double value : finite) {
    auto bin = static_cast<qsizetype>(std::floor((value - result.origin) / binWidth));
    bin = std::clamp<qsizetype>(bin, 0, bins - 1);  // rounding at the top edge
    result.counts[bin] += 1;
  }
  return result;
}

QVector<double> heartbeatIntervals(const QList<core::RigMillis>& times) {
  QVector<double> intervals;
  for (qsizetype i = 1; i < times.size(); ++i)
    if (times[i] > times[i - 1]) intervals.append(static_cast<double>(times[i] - times[i - 1]));
  return intervals;
}

int signalLevel(quint16 statusWord) {
  return (statusWord >> 8) & 0x7;
}

Series signalSeries(const QList<QPair<core::RigMillis, quint16>>& samples) {
  auto sorted = samples;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Series series;
  for (const auto& [time, word] : sorted) {
    series.x.append(static_cast<double>(time) / 1000.0);
    series.y.append(signalLevel(word));
  }
  return series;
}

std::vector<SlotDuration> durationPerSlot(const std::vector<core::RunRecord>& runs) {
  std::map<QString, std::pair<double, int>> totals;  // slot -> (sum of seconds, runs)
  for (const auto& run : runs) {
    if (!run.finishedMs) continue;
    const QString slot = run.slot.isEmpty() ? QStringLiteral("-") : run.slot;
    auto& [sum, count] = totals[slot];
    sum += static_cast<double>(*run.finishedMs - run.startedMs) / 1000.0;
    ++count;
  }
  std::vector<SlotDuration> result;
  for (const auto& [slot, total] : totals) result.push_back({slot, total.first / total.second, total.second});
  return result;
}

double niceBinWidth(const QVector<double>& values, int bins) {
  QVector<double> finite;
  for (const double value : values)
    if (std::isfinite(value)) finite.append(value);
  if (finite.isEmpty() || bins <= 0) return 1;
  const auto [low, high] = std::minmax_element(finite.begin(), finite.end());
  const bool whole = std::all_of(finite.begin(), finite.end(), [](double v) { return v == std::floor(v); });
  const double raw = (*high - *low) / bins;
  if (!(raw > 0)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double width = 10 * magnitude;
  for (const double step : {1.0, 2.0, 5.0}) {
    if (step * magnitude >= raw) {
      width = step * magnitude;
      break;
    }
  }
  return whole ? std::max(1.0, std::ceil(width)) : width;
}

Capability capability(const QVector<double>& values, std::optional<double> low, std::optional<double> high) {
  Capability c;
  double sum = 0;
  for (const double value : values) {
    if (!std::isfinite(value)) continue;
    sum += value;
    ++c.n;
  }
  if (c.n == 0) return c;
  c.mean = sum / c.n;
  if (c.n < 2) return c;
  double squares = 0;
  for (const double value : values)
    if (std::isfinite(value)) squares += (value - c.mean) * (value - c.mean);
  c.sigma = std::sqrt(squares / (c.n - 1));
  if (!(c.sigma > 0)) return c;
  if (low) c.cpl = (c.mean - *low) / (3 * c.sigma);
  if (high) c.cpu = (*high - c.mean) / (3 * c.sigma);
  if (c.cpl && c.cpu) c.cpk = std::min(*c.cpl, *c.cpu);
  return c;
}

AxisRange axisRange(double low, double high, double minSpan, std::optional<double> floor) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {floor.value_or(0), floor.value_or(0) + 1};
  if (high < low) std::swap(low, high);
  const double span = std::max({high - low, minSpan, 1e-9});
  const double margin = span * 0.05;
  AxisRange range{low - margin, low + span + margin};
  if (floor && range.lower < *floor) range.lower = *floor;
  return range;
}

}  // namespace gizrig::gui::plotmath
