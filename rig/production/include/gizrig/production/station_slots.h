#pragma once
// The plugs of a real-time station: per slot a serial link, an MCU plug and an app plug, plus the optional
// test-router control. Wired once and borrowed by every DUT run in the slot, so gizrig production and the
// operator view (gizrig-gui) share one wiring instead of two copies.

#include <QList>
#include <memory>
#include <vector>

#include "gizrig/links/qt_lan_links.h"
#include "gizrig/production/production_sequence.h"
#include "gizrig/production/station_config.h"

namespace gagent::proto {
struct Product;
}

namespace gizrig::core {

class McuPlug;
class AppPlug;
class LanTrafficTap;
class QSerialPortLink;
class RouterPlug;

class StationSlots {
 public:
  StationSlots(RigClock& clock, std::shared_ptr<const gagent::proto::Product> product);
  ~StationSlots();
  StationSlots(const StationSlots&) = delete;
  StationSlots& operator=(const StationSlots&) = delete;

  // Opens every slot's serial port. False when one did not open: `error` names each such slot, port and OS
  // reason; the slot stays, its runs end in ERROR with that reason, and the other slots run.
  bool open(const QList<SlotConfig>& configs, QString* error);
  void close();
  // The test routers of the virtual lab: the air's line protocol on 127.0.0.1:`airPort`.
  void useAirRouters(quint16 airPort);
  // The station file's router controllers (OpenWrt over ubus, or the air), one RouterSet over all of them.
  void useStationRouters(const QList<RouterControllerConfig>& routers);
  // Why slot `index`'s port did not open ("" when it did).
  [[nodiscard]] QString openError(int index) const;

  [[nodiscard]] int size() const { return static_cast<int>(slots_.size()); }
  [[nodiscard]] const SlotConfig& config(int index) const;
  // The MCU plug of slot `index` (for an engineer's console on it), null out of range.
  [[nodiscard]] McuPlug* mcu(int index) const;
  // Every LAN byte slot `index`'s app sends or receives (for its wire trace), null out of range.
  [[nodiscard]] LanTrafficTap* lanTap(int index) const;
  // Slot `index` as a production run wants it, with the scanned serial (may be empty).
  [[nodiscard]] ProductionSlot productionSlot(int index, const QString& serial) const;

 private:
  struct Slot;
  RigClock& clock_;
  std::shared_ptr<const gagent::proto::Product> product_;
  QtLanLinkFactory links_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::unique_ptr<RouterPlug> routers_;
};

}  // namespace gizrig::core
