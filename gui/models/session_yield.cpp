#include "models/session_yield.h"

#include <algorithm>

namespace gizrig::gui {

void SessionYield::add(const core::RunRecord& run) {
  runs_.push_back(run);
}

YieldCounters SessionYield::counters() const {
  // One session may span stations (the station file changed): add the stations up.
  YieldCounters counters;
  int duts = 0;
  int firstTime = 0;
  for (const core::StationYield& y : core::computeYield(runs_)) {
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

QString percentText(double ratio) {
  return QStringLiteral("%1 %").arg(std::clamp(ratio, 0.0, 1.0) * 100.0, 0, 'f', 1);
}

}  // namespace gizrig::gui
