#include "operator/operator_view.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QToolBar>
#include <QVBoxLayout>

#include "operator/operator_slot_tile.h"
#include "operator/plain_failure.h"

namespace gizrig::gui {

namespace {
constexpr int kLastResults = 12;
constexpr int kTileColumns = 4;
}  // namespace

OperatorView::OperatorView(GuiContext& context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      station_(context),
      startLab_(new QAction(tr("Start virtual lab"), this)),
      cancelLab_(new QAction(tr("Cancel"), this)),
      newShift_(new QAction(tr("New shift"), this)),
      engineerMode_(new QAction(tr("Engineer mode"), this)),
      labBusy_(new QProgressBar(this)),
      grid_(new QGridLayout),
      scan_(new QLineEdit(this)),
      stationFile_(new QLineEdit(this)),
      slots_(new QSpinBox(this)),
      recordsDb_(new QLineEdit(this)),
      settings_(new QGroupBox(tr("Settings (engineer mode)"), this)),
      counters_(new QLabel(this)),
      results_(new QListWidget(this)),
      status_(new QLabel(this)) {
  auto* toolbar = new QToolBar(this);
  toolbar->addAction(startLab_);
  labBusyAction_ = toolbar->addWidget(labBusy_);
  toolbar->addAction(cancelLab_);
  toolbar->addSeparator();
  toolbar->addAction(newShift_);
  engineerMode_->setCheckable(true);
  toolbar->addAction(engineerMode_);
  labBusy_->setRange(0, 0);  // busy indicator: the lab start has no measurable progress
  labBusy_->setMaximumWidth(160);
  labBusy_->setFormat(tr("starting the lab"));
  newShift_->setToolTip(tr(
      "Count the yield from now on, for every window of this station (recorded; default: since midnight)"));
  showLabBusy(false);
  connect(startLab_, &QAction::triggered, this, &OperatorView::startVirtualLab);
  connect(cancelLab_, &QAction::triggered, this, &OperatorView::cancelVirtualLab);
  connect(newShift_, &QAction::triggered, this,
          [this] { station_.beginShift(QDateTime::currentMSecsSinceEpoch()); });
  connect(engineerMode_, &QAction::toggled, this, &OperatorView::setEngineerMode);

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
  scanRow->addWidget(scan_, 1);
  scanRow->addWidget(start);
  scanRow->addWidget(startAllButton);

  // Settings: only an engineer changes the station under the operator's hands.
  stationFile_->setText(QDir(context_.fixturesDir).filePath(QStringLiteral("stations/line-1.json")));
  slots_->setRange(1, 64);
  slots_->setValue(station_.slotCount());
  recordsDb_->setText(context_.recordsDb);
  auto* apply = new QPushButton(tr("Apply"), this);
  connect(apply, &QPushButton::clicked, this, &OperatorView::applySettings);
  auto* form = new QFormLayout(settings_);
  form->addRow(tr("Station file"), stationFile_);
  form->addRow(tr("Slots"), slots_);
  form->addRow(tr("Records DB"), recordsDb_);
  form->addRow(apply);

  auto* side = new QVBoxLayout;
  QFont countersFont = counters_->font();
  countersFont.setPointSize(13);
  counters_->setFont(countersFont);
  side->addWidget(counters_);
  side->addWidget(new QLabel(tr("Last results"), this));
  side->addWidget(results_, 1);
  side->addWidget(settings_);

  auto* body = new QHBoxLayout;
  body->addLayout(grid_, 3);
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

  setEngineerMode(false);
  applySettings();
  say(tr("Click \"Start virtual lab\" to test virtual modules, or load a station file with serial ports."));
}

OperatorSlotTile* OperatorView::tileWidget(int index) const {
  return tiles_.value(index, nullptr);
}

void OperatorView::applySettings() {
  QString error;
  if (!station_.openRecords(recordsDb_->text(), &error)) say(tr("Records database: %1").arg(error));
  station_.setSlotCount(slots_->value());
  if (!station_.loadStation(stationFile_->text(), &error)) say(tr("Station file: %1").arg(error));
  slots_->setValue(station_.slotCount());
  refreshResults();
}

void OperatorView::setEngineerMode(bool on) {
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
    if (station_.tile(i).free() && station_.startSlot(i, QString())) return;
  }
  say(tr("Every slot is busy."));
}

void OperatorView::scanned(const QString& serial) {
  if (!station_.ready()) return say(tr("No slots are connected: start the virtual lab first."));
  const int slot = station_.scan(serial);
  say(slot < 0 ? tr("Every slot is busy: wait for a slot to finish, then scan again.")
               : tr("%1 is in slot %2.").arg(serial.trimmed(), station_.tile(slot).name()));
}

void OperatorView::rebuildTiles() {
  for (OperatorSlotTile* tile : tiles_) delete tile;
  tiles_.clear();
  for (int i = 0; i < station_.tileCount(); ++i) {
    auto* tile = new OperatorSlotTile(this);
    connect(tile, &OperatorSlotTile::engineerRequested, this, [this, i] { emit engineerRequested(i); });
    grid_->addWidget(tile, i / kTileColumns, i % kTileColumns);
    tiles_ << tile;
    tile->display(station_.tile(i));
  }
}

void OperatorView::refreshTile(int index) {
  if (OperatorSlotTile* tile = tileWidget(index)) tile->display(station_.tile(index));
}

void OperatorView::refreshResults() {
  // The records are the truth (they survive a restart and count every session of this station); the session
  // line says what this window did.
  const YieldCounters c = station_.recorded().counters();
  const YieldCounters s = station_.session().counters();
  const QDateTime shift = QDateTime::fromMSecsSinceEpoch(station_.shiftStartMs());
  const QString since = shift.date() == QDate::currentDate() && shift.time() == QTime(0, 0)
                            ? tr("today")
                            : tr("since %1").arg(shift.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
  counters_->setText(tr("%1 %2\nTested %3\nPassed %4\nFailed %5\nFirst-pass yield %6\n"
                        "This session: %7 tested, %8 passed, %9 failed")
                         .arg(station_.config().station, since)
                         .arg(c.tested)
                         .arg(c.passed)
                         .arg(c.failed)
                         .arg(percentText(c.firstPassYield))
                         .arg(s.tested)
                         .arg(s.passed)
                         .arg(s.failed));
  results_->clear();
  const bool recordsOpen = station_.recordsOpen() && station_.recorded().error().isEmpty();
  for (const core::RunRecord& run : recordsOpen ? station_.recorded().lastResults(kLastResults)
                                                : station_.session().lastResults(kLastResults)) {
    const QString verdict = run.outcome ? core::outcomeName(*run.outcome) : QStringLiteral("ERROR");
    QString line = QStringLiteral("%1  slot %2  %3").arg(verdict, run.slot, run.dutKey());
    if (run.outcome != core::Outcome::Pass) line += " - " + plainFailure(run.failingStep, run.failingMessage);
    auto* item = new QListWidgetItem(line, results_);
    item->setForeground(tileColour(run.outcome ? tileStateFor(*run.outcome) : TileState::Error).darker(130));
  }
}

void OperatorView::say(const QString& text) {
  status_->setText(text);
}

}  // namespace gizrig::gui
