#pragma once
// Where run records go while a run progresses. A run is written in three kinds of commits so a rig killed at
// any instant keeps everything it finished: the run row when the run starts, each step (with its
// measurements) when it finishes, the outcome when the run finishes. A run whose outcome never arrived reads
// back unfinished.

#include <QString>
#include <QUuid>
#include <cstdint>
#include <optional>
#include <vector>

#include "gizrig/records/run_record.h"

namespace gizrig::core {

struct RunQuery {
  QString station;                     // empty: every station
  std::optional<std::int64_t> fromMs;  // started at or after (UTC ms)
  std::optional<std::int64_t> toMs;    // started before (UTC ms)
  int limit = 0;                       // 0: no limit; newest runs first either way
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // Each write is one transaction; false (with lastError()) leaves the store as it was.
  virtual bool beginRun(const RunRecord& run) = 0;  // the run row only; run.steps are ignored
  virtual bool addStep(const QUuid& runId, const StepRecord& step) = 0;
  virtual bool finishRun(const RunRecord& run) = 0;  // finishedMs, outcome, failing step and message
  // A whole record at once (an import, a virtual run kept in memory): beginRun, every step, finishRun.
  bool saveRun(const RunRecord& run);

  // The run with its steps and measurements; nullopt when absent or on error (lastError() tells which).
  [[nodiscard]] virtual std::optional<RunRecord> run(const QUuid& id) = 0;
  // Run rows without steps, newest first.
  [[nodiscard]] virtual std::vector<RunRecord> runs(const RunQuery& query) = 0;
  // Run rows (no steps) that PASSED with this MAC or this serial (an empty id matches nothing): what the
  // duplicate check compares with. The default filters runs({}); the SQL store asks its indexes.
  [[nodiscard]] virtual std::vector<RunRecord> passedRunsOf(const QString& mac, const QString& serial);
  // computeYield over the runs the query selects (its limit ignored).
  [[nodiscard]] std::vector<StationYield> yieldPerStation(const RunQuery& query);

  [[nodiscard]] virtual QString lastError() const = 0;
};

}  // namespace gizrig::core
