#pragma once
// One slot of the operator view as a large coloured tile: slot name, verdict, DUT ids, step, progress, and
// on FAIL/ERROR the reason in plain words.

#include <QFrame>

#include "operator/slot_tile.h"

class QAction;
class QLabel;
class QProgressBar;

namespace gizrig::gui {

class OperatorSlotTile : public QFrame {
  Q_OBJECT
 public:
  explicit OperatorSlotTile(QWidget* parent = nullptr);
  void display(const SlotTile& tile);
  [[nodiscard]] TileState state() const { return state_; }
  [[nodiscard]] QAction* engineerAction() const { return engineerAction_; }

 signals:
  // The tile's context menu: "Open in engineer view".
  void engineerRequested();

 private:
  TileState state_ = TileState::Idle;
  QLabel* title_;
  QLabel* verdict_;
  QLabel* dut_;
  QLabel* step_;
  QProgressBar* progress_;
  QLabel* failure_;
  QAction* engineerAction_;
};

}  // namespace gizrig::gui
