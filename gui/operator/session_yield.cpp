#include "operator/session_yield.h"

#include <QDateTime>
#include <algorithm>

namespace gizrig::gui {

void SessionYield::add(const core::RunRecord& run) {
  runs_.push_back(run);
}

YieldCounters SessionYield::counters() const {
  return countersOf(runs_);
}

YieldCounters countersOf(const std::vector<core::RunRecord>& runs) {
  // One session may span stations (the station file changed): add the stations up.
  YieldCounters counters;
  int duts = 0;
  int firstTime = 0;
  for (const core::StationYield& y : core::computeYield(runs)) {
    counters.passed += y.passed;
    counters.failed += y.failed;
    counters.errors += y.errored;
    duts += y.duts;
    firstTime += y.dutsPassedFirstTime;
  }
  counters.tested = counters.passed + counters.failed;
  counters.firstPassYield = duts > 0 ? static_cast<double>(firstTime) / duts : 0.0;
  return counters;
}

std::vector<core::RunRecord> SessionYield::lastResults(int count) const {
  std::vector<core::RunRecord> out;
  for (auto it = runs_.rbegin(); it != runs_.rend() && static_cast<int>(out.size()) < count; ++it) {
    out.push_back(*it);
  }
  return out;
}

bool RecordedYield::refresh(core::RecordStore& store, const QString& station, std::int64_t fromMs) {
  core::RunQuery query;
  query.station = station;
  query.fromMs = fromMs;
  std::vector<core::RunRecord> runs = store.runs(query);
  // runs() answers empty both for "none" and on error: lastError() tells which.
  error_ = runs.empty() ? store.lastError() : QString();
  if (!error_.isEmpty()) return false;
  runs_ = std::move(runs);
  counters_ = countersOf(runs_);
  return true;
}

std::vector<core::RunRecord> RecordedYield::lastResults(int count) const {
  const auto n = std::min(runs_.size(), static_cast<std::size_t>(std::max(count, 0)));
  return {runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(n)};
}

std::int64_t startOfLocalDayMs(std::int64_t epochMs) {
  const QDateTime local = QDateTime::fromMSecsSinceEpoch(epochMs);
  return QDateTime(local.date(), QTime(0, 0)).toMSecsSinceEpoch();
}

QString percentText(double ratio) {
  return QStringLiteral("%1 %").arg(std::clamp(ratio, 0.0, 1.0) * 100.0, 0, 'f', 1);
}

QString firstPassYieldText(const YieldCounters& counters) {
  return counters.tested == 0 ? QStringLiteral("-") : percentText(counters.firstPassYield);
}

}  // namespace gizrig::gui
