#pragma once
// One slot of the operator view as a large coloured tile: slot name, verdict, DUT ids, step, progress, and
// on FAIL/ERROR the reason in plain words; what the view adds below (the step and its time while running,
// the measured values once finished), the duplicate flag, and the slot's own Start / Retest / Abort. A FAIL
// tile blinks until the operator acknowledges it (a click, or starting the slot again).

#include <QFrame>
#include <QStringList>

#include "operator/slot_tile.h"

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace gizrig::gui {

class OperatorSlotTile : public QFrame {
  Q_OBJECT
 public:
  explicit OperatorSlotTile(QWidget* parent = nullptr);
  // `readout`: lines under the DUT ids (tile_readout.h: running lines, or the measured values).
  void display(const SlotTile& tile, const QStringList& readout = {});
  [[nodiscard]] TileState state() const { return state_; }
  [[nodiscard]] QAction* engineerAction() const { return engineerAction_; }
  [[nodiscard]] QPushButton* startButton() const { return start_; }
  [[nodiscard]] QPushButton* retestButton() const { return retest_; }
  [[nodiscard]] QPushButton* abortButton() const { return abort_; }
  [[nodiscard]] QProgressBar* progressBar() const { return progress_; }
  [[nodiscard]] QLabel* readout() const { return readout_; }
  [[nodiscard]] QLabel* duplicateLabel() const { return duplicate_; }

  // Blinking until acknowledged (FailAlarm decides whether a FAIL blinks at all).
  void startBlinking();
  void acknowledge();
  [[nodiscard]] bool blinking() const;
  [[nodiscard]] QColor background() const;

 signals:
  // The tile's context menu: "Open in engineer view".
  void engineerRequested();
  void startRequested();
  void retestRequested();
  void abortRequested();

 protected:
  void mousePressEvent(QMouseEvent* event) override;

 private:
  void paintState();

  TileState state_ = TileState::Idle;
  QLabel* title_;
  QLabel* verdict_;
  QLabel* dut_;
  QProgressBar* progress_;
  QLabel* readout_;
  QLabel* duplicate_;
  QLabel* failure_;
  QPushButton* start_;
  QPushButton* retest_;
  QPushButton* abort_;
  QTimer* blink_;
  bool blinkDark_ = false;
  QAction* engineerAction_;
};

}  // namespace gizrig::gui
