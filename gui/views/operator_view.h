#pragma once
// The operator's view of a production station: one large tile per slot, a scan field (keyboard-wedge barcode
// scanner: text + Enter starts the next free slot), Start / Start all, yield counters and the last results.
// Settings (station file, slots, records DB) are locked unless engineer mode is on.

#include <QWidget>

#include "app/gui_context.h"
#include "models/operator_station.h"

class QAction;
class QGridLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace gizrig::gui {

class OperatorSlotTile;

class OperatorView : public QWidget {
  Q_OBJECT
 public:
  explicit OperatorView(GuiContext& context, QWidget* parent = nullptr);

  [[nodiscard]] OperatorStation& station() { return station_; }
  [[nodiscard]] QAction* startLabAction() const { return startLab_; }
  [[nodiscard]] QAction* engineerModeAction() const { return engineerMode_; }
  [[nodiscard]] OperatorSlotTile* tileWidget(int index) const;

  // The same as the buttons (tests and the keyboard).
  void startVirtualLab();
  void startAll();
  void startNext();
  void scanned(const QString& serial);

 private:
  void rebuildTiles();
  void refreshTile(int index);
  void refreshResults();
  void applySettings();
  void setEngineerMode(bool on);
  void say(const QString& text);

  GuiContext& context_;
  OperatorStation station_;
  QAction* startLab_;
  QAction* engineerMode_;
  QGridLayout* grid_;
  QList<OperatorSlotTile*> tiles_;
  QLineEdit* scan_;
  QLineEdit* stationFile_;
  QSpinBox* slots_;
  QLineEdit* recordsDb_;
  QWidget* settings_;
  QLabel* counters_;
  QListWidget* results_;
  QLabel* status_;
};

}  // namespace gizrig::gui
