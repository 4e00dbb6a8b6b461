#include "gizrig/production/station_slots.h"

#include "gizrig/links/qserialport_link.h"
#include "gizrig/links/traced_lan_links.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/plugs/router_plug.h"
#include "gizrig/production/power_cycle.h"
#include "gizrig/routers/air_router_backend.h"
#include "gizrig/routers/openwrt_router_backend.h"
#include "gizrig/routers/router_set.h"
#include "serial_slot_flasher.h"

namespace gizrig::core {

struct StationSlots::Slot {
  SlotConfig config;
  QString openError;
  // The slot's own view of the shared LAN links, so its traffic can be traced apart (--trace DIR).
  std::unique_ptr<LanTrafficTap> lanTap;
  std::unique_ptr<TracedLanLinkFactory> links;
  std::unique_ptr<QSerialPortLink> link;
  std::unique_ptr<McuPlug> mcu;
  std::unique_ptr<AppPlug> app;
  std::unique_ptr<SerialSlotFlasher> flasher;  // the station's flash step, on the same port
};

LanTrafficTap* StationSlots::lanTap(int index) const {
  return index >= 0 && index < size() ? slots_[static_cast<std::size_t>(index)]->lanTap.get() : nullptr;
}

McuPlug* StationSlots::mcu(int index) const {
  return index >= 0 && index < size() ? slots_[static_cast<std::size_t>(index)]->mcu.get() : nullptr;
}

StationSlots::StationSlots(RigClock& clock, std::shared_ptr<const gagent::proto::Product> product)
    : clock_(clock), product_(std::move(product)) {}

StationSlots::~StationSlots() {
  close();
}

bool StationSlots::open(const QList<SlotConfig>& configs, QString* error) {
  close();
  QStringList failures;
  for (const SlotConfig& config : configs) {
    auto slot = std::make_unique<Slot>();
    slot->config = config;
    SerialSettings settings;
    settings.baud = config.baud;
    slot->link = std::make_unique<QSerialPortLink>(config.serialPort, settings);
    QObject::connect(slot->link.get(), &SerialLink::errorOccurred, slot->link.get(),
                     [raw = slot.get()](const QString& message) {
                       if (raw->openError.isEmpty() && !raw->link->isOpen()) raw->openError = message;
                     });
    slot->mcu = std::make_unique<McuPlug>(slot->link.get(), &clock_, *product_);
    slot->lanTap = std::make_unique<LanTrafficTap>();
    slot->links = std::make_unique<TracedLanLinkFactory>(links_, *slot->lanTap);
    slot->app = std::make_unique<AppPlug>(clock_, *slot->links);
    slot->app->setProduct(product_);
    slot->flasher = std::make_unique<SerialSlotFlasher>(config.serialPort, slot->mcu.get());
    if (!slot->mcu->open()) {
      if (slot->openError.isEmpty())
        slot->openError = QStringLiteral("%1: cannot open").arg(config.serialPort);
      failures << QStringLiteral("slot %1: %2").arg(config.name, slot->openError);
    }
    slots_.push_back(std::move(slot));
  }
  if (!failures.isEmpty() && error != nullptr) *error = failures.join("; ");
  return failures.isEmpty();
}

QString StationSlots::openError(int index) const {
  return index >= 0 && index < size() ? slots_[static_cast<std::size_t>(index)]->openError : QString();
}

void StationSlots::close() {
  // Plugs before their links: the MCU plug reads its link until it goes.
  for (auto& slot : slots_) {
    slot->flasher.reset();
    slot->app.reset();
    slot->mcu.reset();
  }
  slots_.clear();
}

void StationSlots::useAirRouters(quint16 airPort) {
  // The backend's line client takes the link as its child.
  routers_ = std::make_unique<RouterPlug>(
      std::make_unique<AirRouterBackend>(new QtStreamLink, clock_, QHostAddress::LocalHost, airPort));
}

void StationSlots::useStationRouters(const QList<RouterControllerConfig>& routers) {
  routers_.reset();
  if (routers.isEmpty()) return;
  auto set = std::make_unique<RouterSet>();
  for (const RouterControllerConfig& r : routers) {
    std::unique_ptr<RouterControl> backend;
    if (r.backend == RouterControllerConfig::Backend::Air) {
      backend = std::make_unique<AirRouterBackend>(new QtStreamLink, clock_, r.address, r.port);
    } else {
      backend = std::make_unique<OpenWrtRouterBackend>(QUrl(r.url), r.username, r.password);
    }
    set->add(std::move(backend), r.ssids);
  }
  routers_ = std::make_unique<RouterPlug>(std::move(set));
}

const SlotConfig& StationSlots::config(int index) const {
  return slots_.at(static_cast<std::size_t>(index))->config;
}

ProductionSlot StationSlots::productionSlot(int index, const QString& serial) const {
  const Slot& slot = *slots_.at(static_cast<std::size_t>(index));
  std::function<void()> powerCycle;
  if (!slot.config.powerCycle.isEmpty()) {
    // The station's command (a USB relay); detached: the sequence goes on waiting for the handshake.
    powerCycle = [command = slot.config.powerCycle] { startPowerCycle(command); };
  }
  return ProductionSlot{slot.config.name, slot.mcu.get(),     slot.app.get(),
                        routers_.get(),   slot.config.module, serial,
                        slot.openError,   powerCycle,         slot.flasher.get()};
}

}  // namespace gizrig::core
