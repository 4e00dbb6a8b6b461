#pragma once
// A station's slots tested side by side: one ProductionSequence per slot on one clock, every finished step
// committed to the record store at once (a rig killed mid-run keeps every finished step), progress as signals
// for the CLI and the operator view.

#include <QObject>
#include <memory>
#include <vector>

#include "gizrig/production/production_sequence.h"
#include "gizrig/records/record_store.h"

namespace gizrig::core {

class ProductionStation : public QObject {
  Q_OBJECT
 public:
  ProductionStation(RigClock& clock, StationConfig station, RecordStore* store, RunMode mode,
                    QObject* parent = nullptr);

  // Starts a sequence for the slot; its index in runs() is the returned number.
  int startSlot(const ProductionSlot& slot);
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
  void slotFinished(int slot, const gizrig::core::RunRecord& run);
  void allFinished();

 private:
  struct Slot {
    std::unique_ptr<ProductionSequence> sequence;
    bool begun = false;      // the run row is in the store
    std::size_t stored = 0;  // steps written
    std::optional<RunRecord> result;
  };
  void store(Slot& slot, bool final);
  // The duplicate check against the store's PASS runs: sets run.duplicate, and FAILs the run when the
  // station file says so (StationConfig::duplicateFails).
  void checkDuplicate(RunRecord& run);
  void noteStoreError();

  RigClock& clock_;
  StationConfig station_;
  RecordStore* store_;
  RunMode mode_;
  std::vector<std::unique_ptr<Slot>> slots_;
  QString storeError_;
};

}  // namespace gizrig::core
