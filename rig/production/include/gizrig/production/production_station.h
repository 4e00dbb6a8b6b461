#pragma once
// A station's slots tested side by side: one ProductionSequence per slot on one clock, every finished step
// committed to the record store at once (a rig killed mid-run keeps every finished step), progress as signals
// for the CLI and the operator view.

#include <QObject>
#include <memory>
#include <vector>

#include "gizrig/production/production_sequence.h"
#include "gizrig/production/slot_trace.h"
#include "gizrig/records/record_store.h"

namespace gizrig::core {

class LanTrafficTap;

class ProductionStation : public QObject {
  Q_OBJECT
 public:
  ProductionStation(RigClock& clock, StationConfig station, RecordStore* store, RunMode mode,
                    QObject* parent = nullptr);

  // Starts a sequence for the slot; its index in runs() is the returned number. With a trace directory set,
  // the run's wire trace (its MCU frames and `lanTap`'s LAN packets) goes to a file there, named in its
  // record.
  int startSlot(const ProductionSlot& slot, LanTrafficTap* lanTap = nullptr);
  // Where runs write their wire traces from now on ("" = none, the default); it must exist.
  void setTraceDirectory(const QString& directory) { traceDirectory_ = directory; }
  // Every slot still running ends as ABORTED with `why` (recorded like any finished run); the count.
  int abortAll(const QString& why);
  // One slot's run (its index from startSlot) ends as ABORTED with `why` (the operator's Abort); false when
  // it is not running.
  bool abortSlot(int index, const QString& why);
  // Who runs the slots started from now on (the operator who logged in), recorded in each run.
  void setOperatorName(const QString& name) { station_.operatorName = name; }
  [[nodiscard]] bool finished() const;
  [[nodiscard]] std::vector<RunRecord> runs() const;
  [[nodiscard]] const QString& storeError() const { return storeError_; }

 signals:
  void stepStarted(int slot, const QString& step, int index, int total);
  void stepFinished(int slot, const gizrig::core::StepRecord& step);
  void stepProgress(int slot, const QString& step, int percent);
  void slotFinished(int slot, const gizrig::core::RunRecord& run);
  void allFinished();

 private:
  struct Slot {
    std::unique_ptr<ProductionSequence> sequence;
    bool begun = false;      // the run row is in the store
    std::size_t stored = 0;  // steps written
    std::optional<RunRecord> result;
    std::unique_ptr<SlotTrace> trace;
  };
  void store(Slot& slot, bool final);
  // `run` with the slot's trace file named in it.
  [[nodiscard]] static RunRecord withTrace(const Slot& slot, RunRecord run);
  // The duplicate check against the store's PASS runs: sets run.duplicate, and FAILs the run when the
  // station file says so (StationConfig::duplicateFails).
  void checkDuplicate(RunRecord& run);
  void noteStoreError();
  // The run's trace file in the trace directory, attached to its plugs (null: none, or it could not be
  // created: said once on storeError, the run goes on untraced).
  std::unique_ptr<SlotTrace> startTrace(const ProductionSlot& slot, const RunRecord& run,
                                        LanTrafficTap* lanTap);

  RigClock& clock_;
  StationConfig station_;
  RecordStore* store_;
  RunMode mode_;
  std::vector<std::unique_ptr<Slot>> slots_;
  QString storeError_;
  QString traceDirectory_;
};

}  // namespace gizrig::core
