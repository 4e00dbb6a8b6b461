#include "gizrig/records/record_store.h"

namespace gizrig::core {

bool RecordStore::saveRun(const RunRecord& run) {
  if (!beginRun(run)) return false;
  for (const StepRecord& step : run.steps) {
    if (!addStep(run.id, step)) return false;
  }
  return !run.finished() || finishRun(run);
}

std::vector<StationYield> RecordStore::yieldPerStation(const RunQuery& query) {
  RunQuery all = query;
  all.limit = 0;
  return computeYield(runs(all));
}

}  // namespace gizrig::core
