#include "gizrig/production/production_station.h"

#include <QDateTime>
#include <QDir>

namespace gizrig::core {

ProductionStation::ProductionStation(RigClock& clock, StationConfig station, RecordStore* store, RunMode mode,
                                     QObject* parent)
    : QObject(parent), clock_(clock), station_(std::move(station)), store_(store), mode_(mode) {}

int ProductionStation::startSlot(const ProductionSlot& slot, LanTrafficTap* lanTap) {
  const int index = static_cast<int>(slots_.size());
  auto entry = std::make_unique<Slot>();
  entry->sequence = std::make_unique<ProductionSequence>(clock_, station_, slot, mode_);
  entry->trace = startTrace(slot, entry->sequence->record(), lanTap);
  Slot* raw = entry.get();
  connect(entry->sequence.get(), &ProductionSequence::stepStarted, this,
          [this, index](const QString& step, int i, int total) { emit stepStarted(index, step, i, total); });
  connect(entry->sequence.get(), &ProductionSequence::stepProgress, this,
          [this, index](const QString& step, int percent) { emit stepProgress(index, step, percent); });
  connect(entry->sequence.get(), &ProductionSequence::stepFinished, this,
          [this, index, raw](const StepRecord& step) {
            store(*raw, false);
            emit stepFinished(index, step);
          });
  connect(entry->sequence.get(), &ProductionSequence::finished, this,
          [this, index, raw](const RunRecord& run) {
            raw->result = withTrace(*raw, run);
            checkDuplicate(*raw->result);
            store(*raw, true);
            // The record as stored: with the duplicate check's flag (and its FAIL, when the station says so).
            emit slotFinished(index, *raw->result);
            if (finished()) emit allFinished();
          });
  slots_.push_back(std::move(entry));
  raw->sequence->start();
  return index;
}

RunRecord ProductionStation::withTrace(const Slot& slot, RunRecord run) {
  if (slot.trace) run.trace = slot.trace->path();
  return run;
}

std::unique_ptr<SlotTrace> ProductionStation::startTrace(const ProductionSlot& slot, const RunRecord& run,
                                                         LanTrafficTap* lanTap) {
  if (traceDirectory_.isEmpty()) return nullptr;
  const QString name = QStringLiteral("%1-%2.trace").arg(slot.name, run.id.toString(QUuid::WithoutBraces));
  const QString header =
      QStringLiteral("gizrig wire trace: station %1, slot %2, serial %3, run %4, started %5")
          .arg(station_.station, slot.name, slot.serial.isEmpty() ? QStringLiteral("-") : slot.serial,
               run.id.toString(QUuid::WithoutBraces),
               QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
  QString error;
  std::unique_ptr<SlotTrace> trace =
      SlotTrace::create(QDir(traceDirectory_).filePath(name), header, clock_, &error);
  if (!trace) {
    if (storeError_.isEmpty()) storeError_ = error;
    return nullptr;
  }
  trace->attach(slot.mcu, lanTap);
  return trace;
}

void ProductionStation::store(Slot& slot, bool final) {
  if (store_ == nullptr) return;
  const RunRecord run = slot.result ? *slot.result : withTrace(slot, slot.sequence->record());
  // The run row goes in once the DUT is known (its MAC from the versions step), or at the end at the latest.
  if (!slot.begun && (!run.dut.mac.isEmpty() || final)) {
    if (!store_->beginRun(run)) return noteStoreError();
    slot.begun = true;
  }
  if (!slot.begun) return;
  for (; slot.stored < run.steps.size(); ++slot.stored) {
    if (!store_->addStep(run.id, run.steps[slot.stored])) return noteStoreError();
  }
  if (final && !store_->finishRun(run)) noteStoreError();
}

void ProductionStation::checkDuplicate(RunRecord& run) {
  if (store_ == nullptr || (run.dut.mac.isEmpty() && run.dut.serial.isEmpty())) return;
  const std::vector<RunRecord> passed = store_->passedRunsOf(run.dut.mac, run.dut.serial);
  run.duplicate = describeDuplicate(run, passed);
  if (run.duplicate.isEmpty() || !station_.duplicateFails || run.outcome != Outcome::Pass) return;
  // The station file makes a duplicate a FAIL: one more step says why, and the run is judged again.
  StepRecord step;
  step.name = QStringLiteral("duplicate_check");
  step.index = static_cast<int>(run.steps.size());
  step.startedMs = run.finishedMs.value_or(run.startedMs);
  step.outcome = Outcome::Fail;
  step.message = run.duplicate;
  run.steps.push_back(step);
  core::finishRun(run, run.finishedMs.value_or(run.startedMs));
}

void ProductionStation::noteStoreError() {
  storeError_ = store_->lastError();
}

int ProductionStation::abortAll(const QString& why) {
  int aborted = 0;
  for (const auto& slot : slots_) {
    if (slot->result || !slot->sequence->running()) continue;
    slot->sequence->abort(why);
    ++aborted;
  }
  return aborted;
}

bool ProductionStation::abortSlot(int index, const QString& why) {
  if (index < 0 || index >= static_cast<int>(slots_.size())) return false;
  Slot& slot = *slots_[static_cast<std::size_t>(index)];
  if (slot.result || !slot.sequence->running()) return false;
  slot.sequence->abort(why);
  return true;
}

bool ProductionStation::finished() const {
  for (const auto& slot : slots_) {
    if (!slot->result) return false;
  }
  return true;
}

std::vector<RunRecord> ProductionStation::runs() const {
  std::vector<RunRecord> out;
  for (const auto& slot : slots_)
    out.push_back(slot->result ? *slot->result : withTrace(*slot, slot->sequence->record()));
  return out;
}

}  // namespace gizrig::core
