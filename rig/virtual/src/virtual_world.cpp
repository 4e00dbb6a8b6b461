#include "gizrig/virtual/virtual_world.h"

#include "gagent/core/log.h"
#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_cloud.h"
#include "gagent/sim/sim_module.h"

namespace gizrig::core {

namespace sim = gagent::sim;

gagent::hal::MacAddress virtualModuleMac(int index) {
  const auto n = static_cast<std::uint32_t>(index + 1);
  return {0x02,
          0x00,
          static_cast<std::uint8_t>(n >> 24),
          static_cast<std::uint8_t>(n >> 16),
          static_cast<std::uint8_t>(n >> 8),
          static_cast<std::uint8_t>(n)};
}

std::unique_ptr<VirtualWorld> VirtualWorld::create(const VirtualWorldOptions& options, QString& error) {
  std::optional<gagent::proto::Product> product = options.product;
  if (!product && !options.productFile.isEmpty()) {
    product = McuPlug::loadProductFile(options.productFile, error);
    if (!product) return nullptr;
  }

  std::unique_ptr<VirtualWorld> world(new VirtualWorld);
  sim::SimBoardOptions boardOptions;
  boardOptions.randomSeed = options.seed;
  world->board_ = std::make_unique<sim::SimBoard>(boardOptions);
  world->board_->uart().setPacing(options.uartBaud);
  if (options.mac) world->board_->system().setMac(*options.mac);
  world->logs_ = std::make_unique<gagent::core::LogHub>();
  world->cloud_ = std::make_unique<sim::SimCloud>(world->board_->net(), world->board_->dns());
  world->module_ = std::make_unique<sim::SimModule>(*world->board_, *world->logs_, options.agent);
  world->clock_ = std::make_unique<VirtualRigClock>(*world->board_, *world->module_);
  world->serialLink_ = std::make_unique<SimUartLink>(world->board_->uart(), *world->clock_);
  world->lanLinks_ = std::make_unique<SimLanLinkFactory>(world->board_->net(), *world->clock_);
  world->router_ = std::make_unique<SimRadioRouterBackend>(world->board_->radio(), world->board_->system(),
                                                           *world->clock_);
  world->cloudControl_ = std::make_unique<SimCloudControl>(*world->cloud_, *world->clock_);

  QList<VirtualRouter> routers;
  if (options.homeRouter)
    routers.push_back({kVirtualHomeSsid, kVirtualHomePassword, kVirtualHomeSignal, true});
  if (options.testRouters) {
    routers.push_back({kVirtualTestSsid1, kVirtualTestPassword, SimRadioRouterBackend::kDefaultSignal, true});
    routers.push_back({kVirtualTestSsid2, kVirtualTestPassword, SimRadioRouterBackend::kDefaultSignal, true});
  }
  routers.append(options.routers);
  for (const VirtualRouter& r : routers) {
    QString why;
    if (!world->router_->addRouter(r.ssid, r.password, r.signal, r.powered, &why)) {
      error = QStringLiteral("router \"%1\": %2").arg(r.ssid, why);
      return nullptr;
    }
  }

  if (product) {
    world->product_ = std::make_shared<const gagent::proto::Product>(*product);
    world->mcu_ = std::make_unique<McuPlug>(world->serialLink_.get(), world->clock_.get(), *product);
    world->mcu_->open();
  }
  world->module_->powerOn();  // the core starts at virtual 0; nothing moves until a run call
  return world;
}

VirtualWorld::~VirtualWorld() {
  // The McuPlug goes before its link; the rest in reverse declaration order.
  mcu_.reset();
}

QString VirtualWorld::did() const {
  if (module_->boots() == 0) return {};
  return QString::fromStdString(std::string(module_->agent().config().did.view()));
}

std::size_t VirtualWorld::moduleBoots() const {
  return module_->boots();
}

QHostAddress VirtualWorld::moduleStationAddress() {
  return fromSimIpv4(sim::SimNet::kStationAddress);
}

QHostAddress VirtualWorld::moduleSoftApAddress() {
  return fromSimIpv4(sim::SimNet::kSoftApAddress);
}

QHostAddress VirtualWorld::homeLanBroadcast() {
  return fromSimIpv4(gagent::hal::ipv4(10, 0, 0, 255));
}

}  // namespace gizrig::core
