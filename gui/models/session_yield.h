#pragma once
// The yield counters of the operator view: the runs finished in this session (computeYield over them) and the
// newest results, for the last-results list.

#include <QString>
#include <vector>

#include "gizrig/core/run_record.h"

namespace gizrig::gui {

struct YieldCounters {
  int tested = 0;  // judged runs (PASS or FAIL); rig errors are not the DUT's
  int passed = 0;
  int failed = 0;
  int errors = 0;
  double firstPassYield = 0.0;  // 0..1
};

class SessionYield {
 public:
  void add(const core::RunRecord& run);
  [[nodiscard]] YieldCounters counters() const;
  // Newest first, at most `count`.
  [[nodiscard]] std::vector<core::RunRecord> lastResults(int count) const;
  [[nodiscard]] const std::vector<core::RunRecord>& runs() const { return runs_; }

 private:
  std::vector<core::RunRecord> runs_;
};

// "FPY 87.5 %" style text for a 0..1 ratio.
[[nodiscard]] QString percentText(double ratio);

}  // namespace gizrig::gui
