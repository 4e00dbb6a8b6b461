#pragma once
// The operator's view of a production station: one large tile per slot, a scan field (keyboard-wedge barcode
// scanner: text + Enter starts the next free slot), Start / Start all, yield counters and the last results.
// Settings (station file, slots, records DB) are locked unless engineer mode is on. The counters and the last
// results come from the records database (this station since the shift start), this session's on a second
// line. "Start virtual lab" starts the lab on its own thread: a busy bar and Cancel while it comes up.

#include <QWidget>

#include "app/gui_context.h"
#include "operator/operator_station.h"

class QAction;
class QGridLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QSpinBox;

namespace gizrig::gui {

class OperatorSlotTile;

class OperatorView : public QWidget {
  Q_OBJECT
 public:
  explicit OperatorView(GuiContext& context, QWidget* parent = nullptr);

  [[nodiscard]] OperatorStation& station() { return station_; }
  [[nodiscard]] QAction* startLabAction() const { return startLab_; }
  [[nodiscard]] QAction* cancelLabAction() const { return cancelLab_; }
  [[nodiscard]] QAction* newShiftAction() const { return newShift_; }
  // The busy bar's toolbar action: shown while the lab starts (a toolbar widget is shown through its action).
  [[nodiscard]] QAction* labBusyAction() const { return labBusyAction_; }
  [[nodiscard]] QLabel* counters() const { return counters_; }
  [[nodiscard]] QListWidget* lastResults() const { return results_; }
  [[nodiscard]] QLabel* status() const { return status_; }
  [[nodiscard]] QAction* engineerModeAction() const { return engineerMode_; }
  [[nodiscard]] OperatorSlotTile* tileWidget(int index) const;

  // The same as the buttons (tests and the keyboard).
  void startVirtualLab();  // returns at once; the lab comes up on its own thread
  void cancelVirtualLab();
  void startAll();
  void startNext();
  void scanned(const QString& serial);

 signals:
  // An engineer asked for slot `index`'s serial console (a tile's context menu).
  void engineerRequested(int index);

 private:
  void rebuildTiles();
  void refreshTile(int index);
  void refreshResults();
  void onLabStarted(bool ok, const QString& error);
  void showLabBusy(bool busy);
  void applySettings();
  void setEngineerMode(bool on);
  void say(const QString& text);

  GuiContext& context_;
  OperatorStation station_;
  QAction* startLab_;
  QAction* cancelLab_;
  QAction* newShift_;
  QAction* engineerMode_;
  QProgressBar* labBusy_;
  QAction* labBusyAction_ = nullptr;
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
