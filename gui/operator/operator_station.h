#pragma once
// The station behind the operator view: the station file, the records store, the slots' plugs (real serial
// ports from the station file, or the ptys of a virtual lab it starts on a thread of its own), one
// ProductionStation for the session, a SlotTile per slot, and the yield of this session and of the station's
// records since the shift start. No widgets: the view listens to its signals.

#include <QHash>
#include <QObject>
#include <memory>
#include <optional>
#include <vector>

#include "app/gui_context.h"
#include "gizrig/production/production_station.h"
#include "gizrig/production/station_config.h"
#include "gizrig/production/station_slots.h"
#include "operator/session_yield.h"
#include "operator/slot_tile.h"
#include "shared/lab_thread.h"

namespace gizrig::core {
class SqlRecordStore;
}

namespace gizrig::gui {

class OperatorStation : public QObject {
  Q_OBJECT
 public:
  explicit OperatorStation(GuiContext& context, QObject* parent = nullptr);
  ~OperatorStation() override;

  // Loads the station file; its serial ports (if any) become the slots. Stops a running virtual lab.
  bool loadStation(const QString& path, QString* error);
  // How many slots to use (the virtual lab's module count; a cap on the station file's ports).
  void setSlotCount(int count);
  [[nodiscard]] int slotCount() const { return slotCount_; }
  // Opens the records store (GuiContext::recordsDb); runs go unrecorded while it is not open.
  bool openRecords(const QString& spec, QString* error);
  [[nodiscard]] bool recordsOpen() const { return store_ != nullptr; }
  // The open records store (statistics, export), null when none is open.
  [[nodiscard]] core::RecordStore* store() const;

  // Starts a virtual production lab with slotCount() factory-new modules on the lab thread and returns at
  // once; labStarted() follows, with the slots open on the lab's ptys when it went well. False (nothing
  // started) while a lab is already starting.
  bool startVirtualLab();
  // Gives up a start in progress: labStarted() does not come, the lab is stopped once it is up.
  void cancelVirtualLab();
  void stopVirtualLab();
  [[nodiscard]] bool virtualLabStarting() const { return lab_.starting(); }
  [[nodiscard]] bool virtualLabRunning() const { return lab_.running(); }

  // The station's records since the shift start (default: local midnight today), from the records store.
  // Read on the GUI thread: one indexed query of a day's runs on a local SQLite file takes milliseconds (a
  // PostgreSQL server far away would want a worker; not this station's case).
  [[nodiscard]] const RecordedYield& recorded() const { return recorded_; }
  [[nodiscard]] std::int64_t shiftStartMs() const { return shiftStartMs_; }
  void setShiftStart(std::int64_t epochMs);
  // "New shift": a shift of this station (its operator) starting at `epochMs`, recorded in the records
  // database so another window, or this one restarted, counts from it too; then counted from here.
  void beginShift(std::int64_t epochMs);
  void refreshRecorded();

  [[nodiscard]] bool ready() const { return plugs_ && plugs_->size() > 0; }
  // The MCU plug of a slot (the engineer's console on a station slot), null when the slot is not open. It
  // goes when the slots are reopened or the lab stops (the plug's destroyed() says so).
  [[nodiscard]] core::McuPlug* slotMcu(int index) const { return plugs_ ? plugs_->mcu(index) : nullptr; }
  [[nodiscard]] int tileCount() const { return static_cast<int>(tiles_.size()); }
  [[nodiscard]] const SlotTile& tile(int index) const { return tiles_.at(static_cast<std::size_t>(index)); }
  [[nodiscard]] const SessionYield& session() const { return session_; }
  [[nodiscard]] const QString& stationFile() const { return stationFile_; }
  [[nodiscard]] const core::StationConfig& config() const { return config_; }

  // Who is testing (issue 13): a name or a badge scan, recorded in every run started from now on. Nothing
  // starts while nobody is logged in.
  void setOperator(const QString& name);
  [[nodiscard]] const QString& operatorName() const { return operator_; }

  // A scanned serial: starts the next free slot with it. The slot index, or -1 when none is free.
  int scan(const QString& serial);
  // Starts a new DUT in a free slot. A serial whose FAILs already used up the station's retests is refused.
  bool startSlot(int index, const QString& serial);
  // Every free slot, without a serial.
  int startAll();
  // The same DUT again in its slot after a FAIL or ERROR, while the station's retest rule allows it.
  bool retestSlot(int index);
  // Ends the slot's running test as ABORTED (recorded; not a try for the DUT).
  bool abortSlot(int index);
  // The typical length of a whole test at this station (median of the shift's PASS runs), nullopt before one.
  [[nodiscard]] std::optional<std::int64_t> typicalTestMs() const;

 signals:
  void tilesReset();
  void tileChanged(int index);
  void resultsChanged();
  void problem(const QString& text);
  void labStarted(bool ok, const QString& error);

 private:
  bool openSlots(const QList<core::SlotConfig>& configs, QString* error);
  void resetTiles(int count);
  void ensureProductionStation();
  bool beginRun(int index, const QString& serial, int earlierFailures);
  // FAILs of this serial at this station since the shift start (the records', else this session's).
  [[nodiscard]] int recordedFailures(const QString& serial) const;
  void onSlotFinished(int run, const core::RunRecord& record);
  void onLabStarted(bool ok, const QString& error);
  // The shift start from the records: the station's newest recorded shift if it began within the last
  // day, else local midnight (a shift is not carried on for days).
  void restoreShift();

  GuiContext& context_;
  QString stationFile_;
  core::StationConfig config_;
  int slotCount_ = 2;
  // Destroyed bottom-up: the runs before the plugs they use, the plugs before the lab that owns the ptys.
  LabThread lab_;
  std::unique_ptr<core::SqlRecordStore> store_;
  std::unique_ptr<core::StationSlots> plugs_;
  std::unique_ptr<core::ProductionStation> station_;
  QHash<int, int> tileOfRun_;  // ProductionStation run index -> tile
  std::vector<SlotTile> tiles_;
  SessionYield session_;
  RecordedYield recorded_;
  std::int64_t shiftStartMs_;
  QString operator_;
};

}  // namespace gizrig::gui
