#include "gizrig/production/station_slots.h"

#include "gizrig/routers/air_router_backend.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/plugs/router_plug.h"

namespace gizrig::core {

struct StationSlots::Slot {
  SlotConfig config;
  std::unique_ptr<QSerialPortLink> link;
  std::unique_ptr<McuPlug> mcu;
  std::unique_ptr<AppPlug> app;
};

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
  for (const SlotConfig& config : configs) {
    auto slot = std::make_unique<Slot>();
    slot->config = config;
    slot->link = std::make_unique<QSerialPortLink>(config.serialPort);
    slot->mcu = std::make_unique<McuPlug>(slot->link.get(), &clock_, *product_);
    slot->app = std::make_unique<AppPlug>(clock_, links_);
    slot->app->setProduct(product_);
    if (!slot->mcu->open()) {
      if (error) *error = QStringLiteral("slot %1: cannot open %2").arg(config.name, config.serialPort);
      close();
      return false;
    }
    slots_.push_back(std::move(slot));
  }
  return true;
}

void StationSlots::close() {
  // Plugs before their links: the MCU plug reads its link until it goes.
  for (auto& slot : slots_) {
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

const SlotConfig& StationSlots::config(int index) const {
  return slots_.at(static_cast<std::size_t>(index))->config;
}

ProductionSlot StationSlots::productionSlot(int index, const QString& serial) const {
  const Slot& slot = *slots_.at(static_cast<std::size_t>(index));
  return ProductionSlot{slot.config.name, slot.mcu.get(),     slot.app.get(),
                        routers_.get(),   slot.config.module, serial};
}

}  // namespace gizrig::core
