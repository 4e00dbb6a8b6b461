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

std::vector<RunRecord> RecordStore::passedRunsOf(const QString& mac, const QString& serial) {
  std::vector<RunRecord> passed;
  for (RunRecord& run : runs({})) {
    const bool sameMac = !mac.isEmpty() && run.dut.mac.compare(mac, Qt::CaseInsensitive) == 0;
    const bool sameSerial = !serial.isEmpty() && run.dut.serial == serial;
    if ((sameMac || sameSerial) && run.outcome == Outcome::Pass) passed.push_back(std::move(run));
  }
  return passed;
}

}  // namespace gizrig::core
