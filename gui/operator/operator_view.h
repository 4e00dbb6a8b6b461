#pragma once
// The operator's view of a production station: the operator logs in (name or badge), one large tile per slot
// with its own Start / Retest / Abort, a scan field (keyboard-wedge barcode scanner: text + Enter starts the
// next free slot), Start / Start all, yield counters and the last results, statistics of the shift's
// measurements, and an export of the shift's records. A FAIL rings the bell and blinks (both switchable).
// Settings (station file, slots, records DB) are locked unless engineer mode is on, which asks for the
// station file's engineer password. "Start virtual lab" starts the lab on its own thread: a busy bar and
// Cancel while it comes up.

#include <QWidget>

#include "app/gui_context.h"
#include "operator/operator_station.h"

class QAction;
class QGridLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QTabWidget;
class QTimer;

namespace gizrig::gui {

class FailAlarm;
class OperatorLogin;
class OperatorResultsPanel;
class OperatorSettings;
class OperatorSlotTile;
class OperatorStats;

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
  [[nodiscard]] QLabel* counters() const;
  [[nodiscard]] QListWidget* lastResults() const;
  [[nodiscard]] QLabel* status() const { return status_; }
  [[nodiscard]] QAction* engineerModeAction() const { return engineerMode_; }
  [[nodiscard]] QAction* blinkAction() const { return blink_; }
  [[nodiscard]] QAction* soundAction() const { return sound_; }
  [[nodiscard]] QAction* exportAction() const { return export_; }
  [[nodiscard]] OperatorSlotTile* tileWidget(int index) const;
  [[nodiscard]] OperatorLogin* login() const { return login_; }
  [[nodiscard]] QLineEdit* scanField() const { return scan_; }
  [[nodiscard]] OperatorSettings* settings() const { return settings_; }
  [[nodiscard]] OperatorStats* statistics() const { return stats_; }
  [[nodiscard]] QTabWidget* pages() const { return pages_; }
  [[nodiscard]] FailAlarm& alarm() { return *alarm_; }

  // The same as the buttons (tests and the keyboard).
  void startVirtualLab();  // returns at once; the lab comes up on its own thread
  void cancelVirtualLab();
  void startAll();
  void startNext();
  void scanned(const QString& serial);
  // Engineer mode with the station file's password (none needed when the file has none); false and locked
  // when it is wrong. The toolbar's Engineer mode asks for it in a dialog.
  bool unlockEngineerMode(const QString& password);
  void lockEngineerMode();
  // The shift's records of this station as `gizrig export` writes them (CSV or JSON by the file's suffix).
  bool exportShift(const QString& path, QString* error);

 signals:
  // An engineer asked for slot `index`'s serial console (a tile's context menu).
  void engineerRequested(int index);

 private:
  void rebuildTiles();
  void refreshTile(int index);
  void refreshRunningTiles();
  void refreshResults();
  void onLabStarted(bool ok, const QString& error);
  void showLabBusy(bool busy);
  void applySettings();
  void onEngineerModeToggled(bool on);
  void setEngineerMode(bool on);
  void exportWithDialog();
  void say(const QString& text);

  GuiContext& context_;
  OperatorStation station_;
  QAction* startLab_;
  QAction* cancelLab_;
  QAction* newShift_;
  QAction* engineerMode_;
  QAction* blink_;
  QAction* sound_;
  QAction* export_;
  QProgressBar* labBusy_;
  QAction* labBusyAction_ = nullptr;
  QGridLayout* grid_;
  QList<OperatorSlotTile*> tiles_;
  QLineEdit* scan_;
  OperatorLogin* login_;
  OperatorSettings* settings_;
  OperatorResultsPanel* results_;
  OperatorStats* stats_;
  QTabWidget* pages_;
  FailAlarm* alarm_;
  QTimer* ticker_;
  QLabel* status_;
};

}  // namespace gizrig::gui
