#include "operator/slot_tile.h"

#include <algorithm>

#include "operator/plain_failure.h"

namespace gizrig::gui {

void SlotTile::start(const QString& serial, std::int64_t nowMs, int earlierFailures) {
  const QString keep = serial;  // may be this tile's own serial (a retest): copied before the reset
  *this = SlotTile(QString(name_));
  state_ = TileState::Running;
  serial_ = keep;
  startedAt_ = nowMs;
  stepStartedAt_ = nowMs;
  failures_ = earlierFailures;
}

void SlotTile::stepStarted(const QString& step, int index, int total, std::int64_t nowMs) {
  step_ = step;
  done_ = index;  // steps before this one are done
  total_ = total;
  stepStartedAt_ = nowMs;
  stepPercent_ = -1;
}

void SlotTile::stepProgress(const QString& step, int percent) {
  if (state_ != TileState::Running || step != step_) return;  // a late report of a step that is over
  stepPercent_ = std::clamp(percent, 0, 100);
}

QString SlotTile::stepText() const {
  if (step_ == QLatin1String("flash")) return QStringLiteral("Flashing %1 %").arg(std::max(0, stepPercent_));
  return step_;
}

void SlotTile::finish(const core::RunRecord& run) {
  state_ = run.outcome ? tileStateFor(*run.outcome) : TileState::Error;
  if (!run.dut.mac.isEmpty()) mac_ = run.dut.mac;
  if (!run.dut.serial.isEmpty()) serial_ = run.dut.serial;
  // Where the run stopped: the steps that passed (a FAIL's bar must not read 100 %).
  int passed = 0;
  while (passed < static_cast<int>(run.steps.size()) &&
         run.steps[static_cast<std::size_t>(passed)].outcome == core::Outcome::Pass)
    ++passed;
  if (state_ == TileState::Pass) {
    done_ = total_;
  } else {
    done_ = passed;
    total_ = std::max(total_, passed + 1);
  }
  step_.clear();
  failure_ = state_ == TileState::Pass ? QString() : plainFailure(run.failingStep, run.failingMessage);
  measurements_.clear();
  for (const core::StepRecord& step : run.steps)
    measurements_.insert(measurements_.end(), step.measurements.begin(), step.measurements.end());
  duplicate_ = run.duplicate;
  aborted_ = run.outcome == core::Outcome::Aborted;
  if (state_ == TileState::Fail) ++failures_;
}

QString SlotTile::verdictText() const {
  return aborted_ && state_ == TileState::Error ? QStringLiteral("ABORTED") : tileStateName(state_);
}

void SlotTile::clear() {
  *this = SlotTile(name_);
}

int SlotTile::progressPercent() const {
  if (state_ == TileState::Pass) return 100;
  if (state_ == TileState::Running && step_ == QLatin1String("flash")) return std::max(0, stepPercent_);
  if (total_ <= 0) return 0;
  return done_ * 100 / total_;
}

QString tileStateName(TileState state) {
  switch (state) {
    case TileState::Idle:
      return QStringLiteral("IDLE");
    case TileState::Running:
      return QStringLiteral("RUNNING");
    case TileState::Pass:
      return QStringLiteral("PASS");
    case TileState::Fail:
      return QStringLiteral("FAIL");
    case TileState::Error:
      return QStringLiteral("ERROR");
  }
  return QStringLiteral("IDLE");
}

QColor tileColour(TileState state) {
  switch (state) {
    case TileState::Idle:
      return QColor(0xd0, 0xd0, 0xd0);
    case TileState::Running:
      return QColor(0xff, 0xbf, 0x00);  // amber
    case TileState::Pass:
      return QColor(0x2e, 0xa0, 0x43);
    case TileState::Fail:
      return QColor(0xd0, 0x2a, 0x2a);
    case TileState::Error:
      return QColor(0x8e, 0x44, 0xad);  // a rig problem, not the DUT's: not red
  }
  return QColor(0xd0, 0xd0, 0xd0);
}

TileState tileStateFor(core::Outcome outcome) {
  switch (outcome) {
    case core::Outcome::Pass:
      return TileState::Pass;
    case core::Outcome::Fail:
      return TileState::Fail;
    case core::Outcome::Error:
    case core::Outcome::Skipped:  // production never skips; a tile that could not test is not a PASS
    case core::Outcome::Aborted:  // stopped before the DUT was judged: neither PASS nor FAIL
      return TileState::Error;
  }
  return TileState::Error;
}

}  // namespace gizrig::gui
