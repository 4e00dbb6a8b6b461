#include "operator/slot_tile.h"

#include <algorithm>

#include "operator/plain_failure.h"

namespace gizrig::gui {

void SlotTile::start(const QString& serial) {
  state_ = TileState::Running;
  serial_ = serial;
  mac_.clear();
  step_.clear();
  done_ = 0;
  total_ = 0;
  stepPercent_ = -1;
  failure_.clear();
}

void SlotTile::stepStarted(const QString& step, int index, int total) {
  step_ = step;
  done_ = index;  // steps before this one are done
  total_ = total;
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
  done_ = total_;
  step_.clear();
  failure_ = state_ == TileState::Pass ? QString() : plainFailure(run.failingStep, run.failingMessage);
}

void SlotTile::clear() {
  *this = SlotTile(name_);
}

int SlotTile::progressPercent() const {
  if (state_ == TileState::Pass || state_ == TileState::Fail || state_ == TileState::Error) return 100;
  if (step_ == QLatin1String("flash")) return std::max(0, stepPercent_);
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
