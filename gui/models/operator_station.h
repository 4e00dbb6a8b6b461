#pragma once
// The station behind the operator view: the station file, the records store, the slots' plugs (real serial
// ports from the station file, or the ptys of a virtual lab it starts), one ProductionStation for the
// session, and a SlotTile per slot. No widgets: the view listens to its signals.

#include <QHash>
#include <QObject>
#include <QTemporaryDir>
#include <memory>
#include <optional>
#include <vector>

#include "app/gui_context.h"
#include "gizrig/core/production_station.h"
#include "gizrig/core/station_config.h"
#include "gizrig/core/station_slots.h"
#include "models/session_yield.h"
#include "models/slot_tile.h"

namespace gizrig::core {
class SqlRecordStore;
}
namespace gizrig::lab {
class LabService;
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

  // Starts a virtual production lab with slotCount() factory-new modules and tests them. Blocks for about a
  // second while the lab's children come up (the caller shows a busy cursor).
  bool startVirtualLab(QString* error);
  void stopVirtualLab();
  [[nodiscard]] bool virtualLabRunning() const { return lab_ != nullptr; }

  [[nodiscard]] bool ready() const { return plugs_ && plugs_->size() > 0; }
  [[nodiscard]] int tileCount() const { return static_cast<int>(tiles_.size()); }
  [[nodiscard]] const SlotTile& tile(int index) const { return tiles_.at(static_cast<std::size_t>(index)); }
  [[nodiscard]] const SessionYield& session() const { return session_; }
  [[nodiscard]] const QString& stationFile() const { return stationFile_; }
  [[nodiscard]] const core::StationConfig& config() const { return config_; }

  // A scanned serial: starts the next free slot with it. The slot index, or -1 when none is free.
  int scan(const QString& serial);
  bool startSlot(int index, const QString& serial);
  // Every free slot, without a serial.
  int startAll();

 signals:
  void tilesReset();
  void tileChanged(int index);
  void resultsChanged();
  void problem(const QString& text);

 private:
  bool openSlots(const QList<core::SlotConfig>& configs, QString* error);
  void resetTiles(int count);
  void ensureProductionStation();

  GuiContext& context_;
  QString stationFile_;
  core::StationConfig config_;
  int slotCount_ = 2;
  // Destroyed bottom-up: the runs before the plugs they use, the plugs before the lab that owns the ptys.
  std::unique_ptr<QTemporaryDir> labTempDir_;
  std::unique_ptr<lab::LabService> lab_;
  std::unique_ptr<core::SqlRecordStore> store_;
  std::unique_ptr<core::StationSlots> plugs_;
  std::unique_ptr<core::ProductionStation> station_;
  QHash<int, int> tileOfRun_;  // ProductionStation run index -> tile
  std::vector<SlotTile> tiles_;
  SessionYield session_;
};

}  // namespace gizrig::gui
