#pragma once
// What one slot tile of the operator view shows, as plain data: the state (IDLE, RUNNING, PASS, FAIL, ERROR),
// the DUT (MAC, serial), the current step and the progress. The view only paints it.

#include <QColor>
#include <QString>

#include "gizrig/records/run_record.h"

namespace gizrig::gui {

enum class TileState { Idle, Running, Pass, Fail, Error };

class SlotTile {
 public:
  explicit SlotTile(QString name = {}) : name_(std::move(name)) {}

  // A new DUT in the slot: RUNNING, nothing done yet.
  void start(const QString& serial);
  void stepStarted(const QString& step, int index, int total);
  // Progress inside the current step (the flash step's bytes written), 0-100.
  void stepProgress(const QString& step, int percent);
  // The MAC becomes known while the run goes (the versions step).
  void noteMac(const QString& mac) { mac_ = mac; }
  void finish(const core::RunRecord& run);
  // Back to IDLE with nothing shown (the operator took the DUT out).
  void clear();

  [[nodiscard]] const QString& name() const { return name_; }
  [[nodiscard]] TileState state() const { return state_; }
  [[nodiscard]] bool free() const { return state_ != TileState::Running; }
  [[nodiscard]] const QString& serial() const { return serial_; }
  [[nodiscard]] const QString& mac() const { return mac_; }
  [[nodiscard]] const QString& step() const { return step_; }
  // The step in the operator's words: "Flashing 43 %" while the station's image is written, else the step.
  [[nodiscard]] QString stepText() const;
  // 0..100: the run's steps, or the image written while flashing (the long phase, so the bar moves).
  [[nodiscard]] int progressPercent() const;
  // The failure in the operator's words (empty unless FAIL or ERROR).
  [[nodiscard]] const QString& failureText() const { return failure_; }

 private:
  QString name_;
  TileState state_ = TileState::Idle;
  QString serial_;
  QString mac_;
  QString step_;
  int done_ = 0;
  int total_ = 0;
  int stepPercent_ = -1;  // -1: the step reports no progress of its own
  QString failure_;
};

[[nodiscard]] QString tileStateName(TileState state);  // "IDLE", "RUNNING", "PASS", "FAIL", "ERROR"
[[nodiscard]] QColor tileColour(TileState state);      // green, red, amber, grey
[[nodiscard]] TileState tileStateFor(core::Outcome outcome);

}  // namespace gizrig::gui
