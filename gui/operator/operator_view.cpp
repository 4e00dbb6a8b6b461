#include "operator/operator_view.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include "operator/fail_alarm.h"
#include "operator/operator_export.h"
#include "operator/operator_login.h"
#include "operator/operator_results_panel.h"
#include "operator/operator_settings.h"
#include "operator/operator_slot_tile.h"
#include "operator/operator_stats.h"
#include "operator/tile_readout.h"

namespace gizrig::gui {

namespace {
constexpr int kTileColumns = 4;
constexpr int kTickMs = 250;  // a running tile's clock: fine enough for tenths of seconds to move smoothly
}  // namespace

OperatorView::OperatorView(GuiContext& context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      station_(context),
      startLab_(new QAction(tr("Start virtual lab"), this)),
      cancelLab_(new QAction(tr("Cancel"), this)),
      newShift_(new QAction(tr("New shift"), this)),
      engineerMode_(new QAction(tr("Engineer mode"), this)),
      blink_(new QAction(tr("Blink on FAIL"), this)),
      sound_(new QAction(tr("Sound on FAIL"), this)),
      export_(new QAction(tr("Export..."), this)),
      labBusy_(new QProgressBar(this)),
      grid_(new QGridLayout),
      scan_(new QLineEdit(this)),
      login_(new OperatorLogin(this)),
      settings_(
          new OperatorSettings(QDir(context.fixturesDir).filePath(QStringLiteral("stations/line-1.json")),
                               station_.slotCount(), context.recordsDb, this)),
      results_(new OperatorResultsPanel(station_, this)),
      stats_(new OperatorStats(station_, this)),
      pages_(new QTabWidget(this)),
      alarm_(new FailAlarm(this)),
      ticker_(new QTimer(this)),
      status_(new QLabel(this)) {
  auto* toolbar = new QToolBar(this);
  toolbar->addAction(startLab_);
  labBusyAction_ = toolbar->addWidget(labBusy_);
  toolbar->addAction(cancelLab_);
  toolbar->addSeparator();
  toolbar->addAction(newShift_);
  toolbar->addAction(export_);
  toolbar->addSeparator();
  for (QAction* toggle : {blink_, sound_, engineerMode_}) {
    toggle->setCheckable(true);
    toolbar->addAction(toggle);
  }
  blink_->setChecked(alarm_->blinkOn());
  sound_->setChecked(alarm_->soundOn());
  labBusy_->setRange(0, 0);  // busy indicator: the lab start has no measurable progress
  labBusy_->setMaximumWidth(160);
  labBusy_->setFormat(tr("starting the lab"));
  newShift_->setToolTip(tr(
      "Count the yield from now on, for every window of this station (recorded; default: since midnight)"));
  export_->setToolTip(tr("This shift's records of this station as CSV or JSON, the same as `gizrig export`"));
  showLabBusy(false);
  connect(startLab_, &QAction::triggered, this, &OperatorView::startVirtualLab);
  connect(cancelLab_, &QAction::triggered, this, &OperatorView::cancelVirtualLab);
  connect(newShift_, &QAction::triggered, this,
          [this] { station_.beginShift(QDateTime::currentMSecsSinceEpoch()); });
  connect(export_, &QAction::triggered, this, &OperatorView::exportWithDialog);
  connect(engineerMode_, &QAction::toggled, this, &OperatorView::onEngineerModeToggled);
  connect(blink_, &QAction::toggled, alarm_, &FailAlarm::setBlinkOn);
  connect(sound_, &QAction::toggled, alarm_, &FailAlarm::setSoundOn);
  connect(login_, &OperatorLogin::changed, this, [this](const QString& name) {
    station_.setOperator(name);
    say(name.isEmpty() ? tr("Logged out. Log in (your name or badge) to test.")
                       : tr("%1 is testing. Scan a serial or press Start.").arg(name));
  });

  scan_->setPlaceholderText(tr("Scan the serial number (barcode) - the next free slot starts"));
  QFont scanFont = scan_->font();
  scanFont.setPointSize(14);
  scan_->setFont(scanFont);
  connect(scan_, &QLineEdit::returnPressed, this, [this] {
    scanned(scan_->text());
    scan_->clear();
  });
  auto* start = new QPushButton(tr("Start"), this);
  auto* startAllButton = new QPushButton(tr("Start all"), this);
  connect(start, &QPushButton::clicked, this, &OperatorView::startNext);
  connect(startAllButton, &QPushButton::clicked, this, &OperatorView::startAll);
  auto* scanRow = new QHBoxLayout;
  scanRow->addWidget(login_);
  scanRow->addWidget(scan_, 1);
  scanRow->addWidget(start);
  scanRow->addWidget(startAllButton);

  connect(settings_, &OperatorSettings::applyRequested, this, [this] {
    applySettings();
    settings_->save();  // what an engineer applied comes back after a restart
  });
  auto* side = new QVBoxLayout;
  side->addWidget(results_, 1);
  side->addWidget(settings_);

  auto* slotsPage = new QWidget(this);
  auto* slotsLayout = new QVBoxLayout(slotsPage);
  slotsLayout->addLayout(grid_);
  slotsLayout->addStretch(1);
  pages_->addTab(slotsPage, tr("Slots"));
  pages_->addTab(stats_, tr("Statistics"));
  auto* body = new QHBoxLayout;
  body->addWidget(pages_, 3);
  body->addLayout(side, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(toolbar);
  layout->addLayout(scanRow);
  layout->addLayout(body, 1);
  layout->addWidget(status_);

  connect(&station_, &OperatorStation::tilesReset, this, &OperatorView::rebuildTiles);
  connect(&station_, &OperatorStation::tileChanged, this, &OperatorView::refreshTile);
  connect(&station_, &OperatorStation::resultsChanged, this, &OperatorView::refreshResults);
  connect(&station_, &OperatorStation::problem, this, &OperatorView::say);
  connect(&station_, &OperatorStation::labStarted, this, &OperatorView::onLabStarted);
  ticker_->setInterval(kTickMs);
  connect(ticker_, &QTimer::timeout, this, &OperatorView::refreshRunningTiles);

  setEngineerMode(false);
  applySettings();
  say(
      tr("Log in, then click \"Start virtual lab\" to test virtual modules, or load a station file with "
         "serial ports."));
}

QLabel* OperatorView::counters() const {
  return results_->counters();
}

QListWidget* OperatorView::lastResults() const {
  return results_->lastResults();
}

OperatorSlotTile* OperatorView::tileWidget(int index) const {
  return tiles_.value(index, nullptr);
}

void OperatorView::applySettings() {
  QString error;
  if (!station_.openRecords(settings_->recordsDb(), &error)) say(tr("Records database: %1").arg(error));
  station_.setSlotCount(settings_->slotCount());
  if (!station_.loadStation(settings_->stationFile(), &error)) say(tr("Station file: %1").arg(error));
  settings_->setSlotCount(station_.slotCount());
  refreshResults();
}

void OperatorView::onEngineerModeToggled(bool on) {
  if (!on) return lockEngineerMode();
  if (station_.config().engineerPassword.isEmpty()) return setEngineerMode(true);
  bool ok = false;
  const QString password = QInputDialog::getText(this, tr("Engineer mode"), tr("Engineer password:"),
                                                 QLineEdit::Password, QString(), &ok);
  if (!ok || !unlockEngineerMode(password)) lockEngineerMode();
}

bool OperatorView::unlockEngineerMode(const QString& password) {
  const QString& expected = station_.config().engineerPassword;
  if (!expected.isEmpty() && password != expected) {
    say(tr("Wrong engineer password: engineer mode stays locked."));
    return false;
  }
  setEngineerMode(true);
  return true;
}

void OperatorView::lockEngineerMode() {
  setEngineerMode(false);
}

void OperatorView::setEngineerMode(bool on) {
  const QSignalBlocker quiet(engineerMode_);  // the dialog path must not ask twice
  engineerMode_->setChecked(on);
  settings_->setEnabled(on);
}

void OperatorView::startVirtualLab() {
  // The lab comes up on its own thread (LabThread): this returns at once and the window stays alive.
  if (!station_.startVirtualLab()) return;
  showLabBusy(true);
  say(tr("Starting the virtual lab with %1 modules...").arg(station_.slotCount()));
}

void OperatorView::cancelVirtualLab() {
  if (!station_.virtualLabStarting()) return;
  station_.cancelVirtualLab();
  showLabBusy(false);
  say(tr("Virtual lab start cancelled."));
}

void OperatorView::onLabStarted(bool ok, const QString& error) {
  showLabBusy(false);
  say(ok ? tr("Virtual lab running: %1 modules. Scan a serial or press Start all.").arg(station_.tileCount())
         : tr("The virtual lab did not start: %1").arg(error));
}

void OperatorView::showLabBusy(bool busy) {
  labBusyAction_->setVisible(busy);
  cancelLab_->setVisible(busy);
  cancelLab_->setEnabled(busy);
  startLab_->setEnabled(!busy);
}

void OperatorView::startAll() {
  if (!station_.ready()) return say(tr("No slots are connected: start the virtual lab first."));
  station_.startAll();
}

void OperatorView::startNext() {
  if (!station_.ready()) return say(tr("No slots are connected: start the virtual lab first."));
  for (int i = 0; i < station_.tileCount(); ++i) {
    if (station_.tile(i).free()) {
      station_.startSlot(i, QString());  // a refusal says why (problem)
      return;
    }
  }
  say(tr("Every slot is busy."));
}

void OperatorView::scanned(const QString& serial) {
  if (!station_.ready()) return say(tr("No slots are connected: start the virtual lab first."));
  bool anyFree = false;
  for (int i = 0; i < station_.tileCount(); ++i) anyFree |= station_.tile(i).free();
  if (!anyFree) return say(tr("Every slot is busy: wait for a slot to finish, then scan again."));
  const int slot = station_.scan(serial);
  if (slot >= 0) say(tr("%1 is in slot %2.").arg(serial.trimmed(), station_.tile(slot).name()));
}

void OperatorView::rebuildTiles() {
  for (OperatorSlotTile* tile : tiles_) delete tile;
  tiles_.clear();
  for (int i = 0; i < station_.tileCount(); ++i) {
    auto* tile = new OperatorSlotTile(this);
    connect(tile, &OperatorSlotTile::engineerRequested, this, [this, i] { emit engineerRequested(i); });
    connect(tile, &OperatorSlotTile::startRequested, this, [this, i] {
      if (!station_.ready()) return say(tr("No slots are connected: start the virtual lab first."));
      station_.startSlot(i, scan_->text().trimmed());  // a serial typed first goes to this slot
      scan_->clear();
    });
    connect(tile, &OperatorSlotTile::retestRequested, this, [this, i] { station_.retestSlot(i); });
    connect(tile, &OperatorSlotTile::abortRequested, this, [this, i] { station_.abortSlot(i); });
    grid_->addWidget(tile, i / kTileColumns, i % kTileColumns);
    tiles_ << tile;
    tile->display(station_.tile(i));
  }
}

void OperatorView::refreshTile(int index) {
  OperatorSlotTile* widget = tileWidget(index);
  if (widget == nullptr) return;
  const SlotTile& tile = station_.tile(index);
  const bool newFail = tile.state() == TileState::Fail && widget->state() != TileState::Fail;
  const QStringList readout =
      tile.state() == TileState::Running
          ? runningLines(tile, context_.clock->nowMs(), station_.config().limits, station_.typicalTestMs())
          : measuredLines(tile.measurements());
  widget->display(tile, readout);
  if (newFail && alarm_->raise()) widget->startBlinking();
  if (tile.state() == TileState::Running && !ticker_->isActive()) ticker_->start();
}

void OperatorView::refreshRunningTiles() {
  bool running = false;
  for (int i = 0; i < station_.tileCount(); ++i) {
    if (station_.tile(i).state() != TileState::Running) continue;
    running = true;
    refreshTile(i);
  }
  if (!running) ticker_->stop();
}

void OperatorView::refreshResults() {
  results_->refresh();
  stats_->refresh();
}

bool OperatorView::exportShift(const QString& path, QString* error) {
  core::RecordStore* store = station_.store();
  if (store == nullptr) {
    *error = tr("no records database is open");
    return false;
  }
  core::RunQuery query;
  query.station = station_.config().station;
  query.fromMs = station_.shiftStartMs();
  const int count = exportRecords(*store, query, path, error);
  if (count < 0) return false;
  say(tr("Exported %1 run(s) of %2 to %3.").arg(count).arg(station_.config().station, path));
  return true;
}

void OperatorView::exportWithDialog() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export this shift's records"), QString(),
                                                    tr("CSV (*.csv);;JSON (*.json)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportShift(path, &error)) say(tr("Export failed: %1").arg(error));
}

void OperatorView::say(const QString& text) {
  status_->setText(text);
}

}  // namespace gizrig::gui
