#include "operator/operator_station.h"

#include <QDateTime>
#include <QDir>
#include <QUuid>
#include <algorithm>

#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/records/sql_record_store.h"
#include "operator/tile_readout.h"

namespace gizrig::gui {

OperatorStation::OperatorStation(GuiContext& context, QObject* parent)
    : QObject(parent),
      context_(context),
      shiftStartMs_(startOfLocalDayMs(QDateTime::currentMSecsSinceEpoch())) {
  connect(&lab_, &LabThread::started, this, &OperatorStation::onLabStarted);
  connect(&lab_, &LabThread::logLine, this, &OperatorStation::problem);
}

OperatorStation::~OperatorStation() {
  // A window closed (or SIGTERM) mid-run: the open runs are recorded ABORTED, not left unfinished.
  if (station_) station_->abortAll(QStringLiteral("the operator window closed"));
  station_.reset();
  plugs_.reset();
  stopVirtualLab();
}

bool OperatorStation::loadStation(const QString& path, QString* error) {
  auto config = core::StationConfig::load(path, error);
  if (!config) return false;
  station_.reset();
  plugs_.reset();
  stopVirtualLab();
  stationFile_ = path;
  config_ = std::move(*config);
  tileOfRun_.clear();
  restoreShift();
  refreshRecorded();
  if (!config_.slotConfigs.isEmpty()) {
    slotCount_ = static_cast<int>(config_.slotConfigs.size());
    // Real hardware: the ports open now, so a missing adapter shows before the first DUT goes in.
    if (!openSlots(config_.slotConfigs, error)) {
      resetTiles(slotCount_);
      return false;
    }
  }
  resetTiles(ready() ? plugs_->size() : slotCount_);
  return true;
}

void OperatorStation::setSlotCount(int count) {
  slotCount_ = std::clamp(count, 1, 64);
  if (!ready()) resetTiles(slotCount_);
}

bool OperatorStation::openRecords(const QString& spec, QString* error) {
  station_.reset();  // its runs point at the old store
  tileOfRun_.clear();
  store_ = core::SqlRecordStore::open(spec, error);
  recorded_ = {};
  restoreShift();
  refreshRecorded();
  return store_ != nullptr;
}

core::RecordStore* OperatorStation::store() const {
  return store_.get();
}

void OperatorStation::setShiftStart(std::int64_t epochMs) {
  shiftStartMs_ = epochMs;
  refreshRecorded();
}

void OperatorStation::beginShift(std::int64_t epochMs) {
  if (store_ && !stationFile_.isEmpty() &&
      !store_->beginShift({QUuid::createUuid(), config_.station,
                           operator_.isEmpty() ? config_.operatorName : operator_, epochMs})) {
    emit problem(tr("The new shift could not be recorded (it counts in this window only): %1")
                     .arg(store_->lastError()));
  }
  setShiftStart(epochMs);
}

void OperatorStation::restoreShift() {
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
  shiftStartMs_ = startOfLocalDayMs(now);
  if (!store_ || stationFile_.isEmpty()) return;
  const auto shift = store_->currentShift(config_.station);
  if (!shift && !store_->lastError().isEmpty())
    emit problem(tr("The shift could not be read: %1").arg(store_->lastError()));
  if (shift && shift->startedMs > now - kDayMs) shiftStartMs_ = shift->startedMs;
}

void OperatorStation::refreshRecorded() {
  if (!store_ || stationFile_.isEmpty()) return;  // no store, or no station yet: nothing to count
  if (!recorded_.refresh(*store_, config_.station, shiftStartMs_)) {
    emit problem(tr("The records could not be read: %1").arg(recorded_.error()));
  }
  emit resultsChanged();
}

bool OperatorStation::openSlots(const QList<core::SlotConfig>& configs, QString* error) {
  const QString productPath = QDir(context_.fixturesDir).filePath(config_.product);
  auto product = core::McuPlug::loadProductFile(productPath, *error);
  if (!product) return false;
  plugs_ = std::make_unique<core::StationSlots>(
      *context_.clock, std::make_shared<const gagent::proto::Product>(std::move(*product)));
  if (lab_.running()) plugs_->useAirRouters(lab_.state().airPort);
  if (!plugs_->open(configs, error)) {
    plugs_.reset();
    return false;
  }
  return true;
}

bool OperatorStation::startVirtualLab() {
  if (lab_.starting()) return false;
  station_.reset();
  plugs_.reset();
  stopVirtualLab();
  resetTiles(slotCount_);
  // The same production lab as `gizrig production --sim`: test routers in the air, factory-new modules (S5).
  lab::LabOptions options;
  options.runDir = context_.labDir;  // "" = a temporary one (LabThread)
  options.modules = slotCount_;
  options.production = true;
  options.accessPoints.clear();
  options.freshModules = true;
  options.bootRom = config_.flash.has_value();  // a flash step: modules wait in their ROM loader
  options.firstAddress = 0;  // the first free block: other labs on this machine may hold 127.0.0.11 and up
  return lab_.start(options);
}

void OperatorStation::onLabStarted(bool ok, const QString& error) {
  if (!ok) {
    emit labStarted(false, error);
    return;
  }
  QList<core::SlotConfig> configs;
  for (const lab::ModuleEntry& m : lab_.state().modules) {
    configs << core::SlotConfig{QString::number(m.index), m.pty, QHostAddress(m.ip), 9600, {}};
  }
  QString slotError;
  if (!openSlots(configs, &slotError)) {
    stopVirtualLab();
    emit labStarted(false, slotError);
    return;
  }
  resetTiles(plugs_->size());
  emit labStarted(true, {});
}

void OperatorStation::cancelVirtualLab() {
  lab_.cancel();
}

void OperatorStation::stopVirtualLab() {
  if (lab_.starting()) return lab_.cancel();  // never wait for a start: it winds down on the lab thread
  if (lab_.running()) {
    station_.reset();
    plugs_.reset();
  }
  lab_.stop();
}

void OperatorStation::resetTiles(int count) {
  tiles_.clear();
  for (int i = 0; i < count; ++i) {
    tiles_.emplace_back(ready() && i < plugs_->size() ? plugs_->config(i).name : QString::number(i + 1));
  }
  emit tilesReset();
}

void OperatorStation::ensureProductionStation() {
  if (station_) return;
  station_ =
      std::make_unique<core::ProductionStation>(*context_.clock, config_, store_.get(), core::RunMode::Real);
  station_->setOperatorName(operator_);
  connect(station_.get(), &core::ProductionStation::stepStarted, this,
          [this](int run, const QString& step, int index, int total) {
            const int tile = tileOfRun_.value(run, -1);
            if (tile < 0) return;
            tiles_[static_cast<std::size_t>(tile)].stepStarted(step, index, total, context_.clock->nowMs());
            emit tileChanged(tile);
          });
  connect(station_.get(), &core::ProductionStation::stepProgress, this,
          [this](int run, const QString& step, int percent) {
            const int tile = tileOfRun_.value(run, -1);
            if (tile < 0) return;
            tiles_[static_cast<std::size_t>(tile)].stepProgress(step, percent);
            emit tileChanged(tile);
          });
  connect(station_.get(), &core::ProductionStation::stepFinished, this,
          [this](int run, const core::StepRecord&) {
            const int tile = tileOfRun_.value(run, -1);
            const auto runs = station_->runs();
            if (tile < 0 || run >= static_cast<int>(runs.size())) return;
            tiles_[static_cast<std::size_t>(tile)].noteMac(runs[static_cast<std::size_t>(run)].dut.mac);
            emit tileChanged(tile);
          });
  connect(station_.get(), &core::ProductionStation::slotFinished, this, &OperatorStation::onSlotFinished);
}

void OperatorStation::onSlotFinished(int run, const core::RunRecord& record) {
  const int tile = tileOfRun_.value(run, -1);
  session_.add(record);
  refreshRecorded();  // the store has the run by now (ProductionStation writes, then signals)
  if (!station_->storeError().isEmpty()) {
    emit problem(tr("The result could not be recorded: %1").arg(station_->storeError()));
  }
  if (tile >= 0) {
    SlotTile& slot = tiles_[static_cast<std::size_t>(tile)];
    slot.finish(record);
    // The retest rule: a DUT may FAIL max_retests + 1 times; then it is rejected.
    if (config_.maxRetests && slot.state() == TileState::Fail)
      slot.setRetestsLeft(std::max(0, *config_.maxRetests + 1 - slot.failures()));
    emit tileChanged(tile);
  }
  emit resultsChanged();
}

void OperatorStation::setOperator(const QString& name) {
  operator_ = name.trimmed();
  if (station_) station_->setOperatorName(operator_);
}

int OperatorStation::recordedFailures(const QString& serial) const {
  if (serial.isEmpty()) return 0;
  const bool fromRecords = recordsOpen() && recorded_.error().isEmpty();
  int count = 0;
  for (const core::RunRecord& run : fromRecords ? recorded_.runs() : session_.runs())
    count += run.dut.serial == serial && run.outcome == core::Outcome::Fail ? 1 : 0;
  return count;
}

bool OperatorStation::beginRun(int index, const QString& serial, int earlierFailures) {
  if (!ready() || index < 0 || index >= plugs_->size() || !tiles_[static_cast<std::size_t>(index)].free()) {
    return false;
  }
  if (operator_.isEmpty()) {
    emit problem(tr("Log in first (your name or badge): every result records who tested it."));
    return false;
  }
  if (config_.maxRetests && earlierFailures > *config_.maxRetests) {
    emit problem(
        tr("%1 already failed %2 times, and %3 retest(s) are allowed: put it in the reject bin.")
            .arg(serial.isEmpty()
                     ? tr("The module in slot %1").arg(tiles_[static_cast<std::size_t>(index)].name())
                     : serial)
            .arg(earlierFailures)
            .arg(*config_.maxRetests));
    return false;
  }
  ensureProductionStation();
  tiles_[static_cast<std::size_t>(index)].start(serial, context_.clock->nowMs(), earlierFailures);
  emit tileChanged(index);
  // startSlot may finish a run synchronously (a slot that cannot start): map the run before it can report.
  tileOfRun_.insert(static_cast<int>(station_->runs().size()), index);
  station_->startSlot(plugs_->productionSlot(index, serial));
  return true;
}

bool OperatorStation::startSlot(int index, const QString& serial) {
  return beginRun(index, serial, recordedFailures(serial));
}

bool OperatorStation::retestSlot(int index) {
  if (index < 0 || index >= tileCount()) return false;
  const SlotTile& tile = tiles_[static_cast<std::size_t>(index)];
  if (tile.state() != TileState::Fail && tile.state() != TileState::Error) return false;
  const QString serial = tile.serial();  // a copy: the tile restarts below
  // The records count FAILs this DUT had in any slot; the tile counts those of a DUT without a serial.
  return beginRun(index, serial, std::max(tile.failures(), recordedFailures(serial)));
}

bool OperatorStation::abortSlot(int index) {
  if (!station_) return false;
  for (auto it = tileOfRun_.cbegin(); it != tileOfRun_.cend(); ++it) {
    if (it.value() == index && station_->abortSlot(it.key(), tr("the operator pressed Abort"))) return true;
  }
  return false;
}

std::optional<std::int64_t> OperatorStation::typicalTestMs() const {
  const bool fromRecords = recordsOpen() && recorded_.error().isEmpty();
  if (fromRecords) return gui::typicalTestMs(recorded_.runs());
  std::vector<core::RunRecord> newestFirst = session_.lastResults(50);
  return gui::typicalTestMs(newestFirst);
}

int OperatorStation::scan(const QString& serial) {
  const QString trimmed = serial.trimmed();
  if (trimmed.isEmpty()) return -1;
  for (int i = 0; i < tileCount(); ++i) {
    if (tiles_[static_cast<std::size_t>(i)].free()) return startSlot(i, trimmed) ? i : -1;
  }
  return -1;
}

int OperatorStation::startAll() {
  int started = 0;
  for (int i = 0; i < tileCount(); ++i) {
    if (tiles_[static_cast<std::size_t>(i)].free() && startSlot(i, QString())) ++started;
  }
  return started;
}

}  // namespace gizrig::gui
