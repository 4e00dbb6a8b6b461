#pragma once
// What one slot tile of the operator view shows, as plain data: the state (IDLE, RUNNING, PASS, FAIL, ERROR),
// the DUT (MAC, serial), the current step and the progress, when the test and the step began (RigClock ms, so
// the view shows elapsed time), and once finished the measured values, the duplicate flag and how many
// retests the DUT has left. The view only paints it.

#include <QColor>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

#include "gizrig/records/run_record.h"

namespace gizrig::gui {

enum class TileState { Idle, Running, Pass, Fail, Error };

class SlotTile {
 public:
  explicit SlotTile(QString name = {}) : name_(std::move(name)) {}

  // A new DUT in the slot: RUNNING, nothing done yet. `earlierFailures`: the FAILs this DUT already had (a
  // retest), which the retest rule counts.
  void start(const QString& serial, std::int64_t nowMs = 0, int earlierFailures = 0);
  void stepStarted(const QString& step, int index, int total, std::int64_t nowMs = 0);
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
  // 0..100: a PASS is 100, a FAIL or ERROR the share of steps that passed before it stopped; while flashing
  // the image written (the long phase, so the bar moves).
  [[nodiscard]] int progressPercent() const;
  // Running: the step in progress; finished: where it stopped.
  [[nodiscard]] int stepIndex() const { return done_; }
  [[nodiscard]] int stepTotal() const { return total_; }
  // The failure in the operator's words (empty unless FAIL or ERROR).
  [[nodiscard]] const QString& failureText() const { return failure_; }

  // Issue 13: time, values, duplicates, the retest rule.
  [[nodiscard]] std::int64_t startedAtMs() const { return startedAt_; }
  [[nodiscard]] std::int64_t stepStartedAtMs() const { return stepStartedAt_; }
  // Every measurement of the finished run (empty while running).
  [[nodiscard]] const std::vector<core::Measurement>& measurements() const { return measurements_; }
  // What the records' duplicate check saw ("MAC ... already passed as SN-7 on EOL-1"), or empty.
  [[nodiscard]] const QString& duplicate() const { return duplicate_; }
  // FAILs of this DUT so far, this run's included.
  [[nodiscard]] int failures() const { return failures_; }
  // Retests the station's rule still allows this DUT (nullopt: no rule). 0 on a FAIL: reject it.
  [[nodiscard]] std::optional<int> retestsLeft() const { return retestsLeft_; }
  void setRetestsLeft(std::optional<int> left) { retestsLeft_ = left; }
  [[nodiscard]] bool rejected() const { return state_ == TileState::Fail && retestsLeft_ == 0; }
  // The big word on the tile: the state's name, "ABORTED" for a run the operator stopped (an ERROR tile).
  [[nodiscard]] QString verdictText() const;

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
  std::int64_t startedAt_ = 0;
  std::int64_t stepStartedAt_ = 0;
  std::vector<core::Measurement> measurements_;
  QString duplicate_;
  int failures_ = 0;
  std::optional<int> retestsLeft_;
  bool aborted_ = false;
};

[[nodiscard]] QString tileStateName(TileState state);  // "IDLE", "RUNNING", "PASS", "FAIL", "ERROR"
[[nodiscard]] QColor tileColour(TileState state);      // green, red, amber, grey
[[nodiscard]] TileState tileStateFor(core::Outcome outcome);

}  // namespace gizrig::gui
