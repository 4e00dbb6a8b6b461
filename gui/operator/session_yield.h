#pragma once
// The yield counters of the operator view: the runs finished in this session (computeYield over them) and the
// newest results, for the last-results list; and the same read from the records database for one station
// since a start time (the shift, by default today), so the counters survive a restart of the GUI and count
// what other sessions of this station recorded.

#include <QString>
#include <cstdint>
#include <vector>

#include "gizrig/records/record_store.h"
#include "gizrig/records/run_record.h"

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

// Counters over any runs: computeYield, the stations added up.
[[nodiscard]] YieldCounters countersOf(const std::vector<core::RunRecord>& runs);

// The records of one station since a start time: counters and the newest results (run rows, without steps).
class RecordedYield {
 public:
  // One query of the station's runs since `fromMs` (UTC ms), newest first. False with error() when the
  // store fails; the last good numbers stay.
  bool refresh(core::RecordStore& store, const QString& station, std::int64_t fromMs);
  [[nodiscard]] YieldCounters counters() const { return counters_; }
  [[nodiscard]] std::vector<core::RunRecord> lastResults(int count) const;
  [[nodiscard]] const std::vector<core::RunRecord>& runs() const { return runs_; }  // newest first
  [[nodiscard]] const QString& error() const { return error_; }

 private:
  YieldCounters counters_;
  std::vector<core::RunRecord> runs_;  // newest first
  QString error_;
};

// Local midnight of the day `epochMs` falls in (UTC ms): the default shift start.
[[nodiscard]] std::int64_t startOfLocalDayMs(std::int64_t epochMs);

// "FPY 87.5 %" style text for a 0..1 ratio.
[[nodiscard]] QString percentText(double ratio);
// The first-pass yield as the counters show it: "-" while no DUT was judged (0 % would say every DUT failed).
[[nodiscard]] QString firstPassYieldText(const YieldCounters& counters);

}  // namespace gizrig::gui
