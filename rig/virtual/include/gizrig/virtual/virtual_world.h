#pragma once
// The whole in-process virtual-time world in one object (docs/rig.md "One scenario, two kinds of time"): a
// SimBoard with one SimModule (the firmware core, powered on), the stand-in SimCloud, the routers in the air,
// the rig's clock on the board's VirtualClock, and the rig-side ends: the MCU's serial link, the phone's LAN
// links, the router and cloud backends, and (given a product) the McuPlug playing the MCU. The same plugs and
// scenarios that run against gagent-sim in real time run here, hours of spec time in well under a second.
// This is what `gizrig run --virtual` and the production sequence's --virtual mode build.
//
// Addresses are the sim's: module 10.0.0.50 on the home LAN (SimNet::kStationAddress), 10.10.100.254 as a
// SoftAP; the phone 10.0.0.20 / 10.10.100.100 (sim_lan_links.h). Plugs the caller creates on clock() and
// lanLinks() must be destroyed before the world.

#include <QHostAddress>
#include <QList>
#include <QString>
#include <memory>
#include <optional>

#include "gagent/core/agent.h"
#include "gagent/hal/system.h"
#include "gagent/proto/product.h"
#include "gagent/sim/sim_random.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/virtual/sim_cloud_control.h"
#include "gizrig/virtual/sim_lan_links.h"
#include "gizrig/virtual/sim_radio_router_backend.h"
#include "gizrig/virtual/sim_uart_link.h"
#include "gizrig/virtual/virtual_rig_clock.h"

namespace gagent::core {
class LogHub;
}
namespace gagent::sim {
class SimBoard;
class SimCloud;
class SimModule;
}  // namespace gagent::sim

namespace gizrig::core {

struct VirtualRouter {
  QString ssid;
  QString password;
  int signal = SimRadioRouterBackend::kDefaultSignal;
  bool powered = true;
};

// The routers the module's environment starts with.
inline constexpr const char* kVirtualHomeSsid = "HomeNet";
inline constexpr const char* kVirtualHomePassword = "password1";
inline constexpr int kVirtualHomeSignal = 72;
inline constexpr const char* kVirtualTestSsid1 = "GIZWITS_TEST_1";  // S5.1
inline constexpr const char* kVirtualTestSsid2 = "GIZWITS_TEST_2";
inline constexpr const char* kVirtualTestPassword = "GIZWITS_TEST_PASS";

struct VirtualWorldOptions {
  // The product the McuPlug plays: a fixture file, or a loaded product. Neither = no McuPlug (the caller
  // attaches its own MCU to serialLink()).
  QString productFile;
  std::optional<gagent::proto::Product> product;
  bool homeRouter = true;    // kVirtualHomeSsid / kVirtualHomePassword, signal 72
  bool testRouters = false;  // the production test routers GIZWITS_TEST_1 and _2 (S5.1)
  QList<VirtualRouter> routers;
  // The serial line's speed: 0 = bytes arrive the instant they are sent (exact and short), 9600 = the real
  // wire's byte times (S3.2), so timings include transmission.
  std::uint32_t uartBaud = 0;
  std::uint64_t seed = gagent::sim::SimRandom::kDefaultSeed;  // the board's random source (passcodes...)
  // The module's MAC; default SimSystem::kDefaultMac (020000000001). Worlds that stand for different units
  // (production slots) each take their own: virtualModuleMac(i).
  std::optional<gagent::hal::MacAddress> mac;
  gagent::core::AgentOptions agent;
};

// The MAC of the i-th virtual module (0-based): locally administered 02:00:00:00 + i+1, so module 0 keeps
// the sim's default 020000000001 and no two modules of a line share one.
[[nodiscard]] gagent::hal::MacAddress virtualModuleMac(int index);

class VirtualWorld {
 public:
  // nullopt-like: nullptr with `error` (the product file, a bad router) on failure.
  static std::unique_ptr<VirtualWorld> create(const VirtualWorldOptions& options, QString& error);
  ~VirtualWorld();
  VirtualWorld(const VirtualWorld&) = delete;
  VirtualWorld& operator=(const VirtualWorld&) = delete;

  // ---- the rig's side
  // ---------------------------------------------------------------------------------------
  VirtualRigClock& clock() { return *clock_; }
  SimUartLink& serialLink() { return *serialLink_; }
  SimLanLinkFactory& lanLinks() { return *lanLinks_; }
  SimRadioRouterBackend& router() { return *router_; }
  SimCloudControl& cloudControl() { return *cloudControl_; }
  McuPlug* mcu() { return mcu_.get(); }  // null without a product
  [[nodiscard]] const gagent::proto::Product* product() const { return product_.get(); }
  [[nodiscard]] std::shared_ptr<const gagent::proto::Product> sharedProduct() const { return product_; }

  // ---- the sim's side (inspection, or faults the backends do not cover)
  // ---------------------------------------
  gagent::sim::SimBoard& board() { return *board_; }
  gagent::sim::SimModule& module() { return *module_; }
  gagent::sim::SimCloud& cloud() { return *cloud_; }
  gagent::core::LogHub& logs() { return *logs_; }

  // ---- shortcuts
  // ---------------------------------------------------------------------------------------------
  void runUntil(RigMillis t) { clock_->runUntil(t); }
  void runFor(RigMillis d) { clock_->runFor(d); }
  [[nodiscard]] RigMillis nowMs() const { return clock_->nowMs(); }
  // The DID the module holds (empty before registration).
  [[nodiscard]] QString did() const;
  [[nodiscard]] std::size_t moduleBoots() const;
  static QHostAddress moduleStationAddress();  // 10.0.0.50
  static QHostAddress moduleSoftApAddress();   // 10.10.100.254
  static QHostAddress homeLanBroadcast();      // 10.0.0.255: the app's discovery broadcast on the home LAN

 private:
  VirtualWorld() = default;

  // Declaration order = construction order; destruction runs backwards, so every rig-side object goes
  // before the clock, and the clock before the module and the board it lives on.
  std::unique_ptr<gagent::sim::SimBoard> board_;
  std::unique_ptr<gagent::core::LogHub> logs_;
  std::unique_ptr<gagent::sim::SimCloud> cloud_;
  std::unique_ptr<gagent::sim::SimModule> module_;
  std::unique_ptr<VirtualRigClock> clock_;
  std::unique_ptr<SimUartLink> serialLink_;
  std::unique_ptr<SimLanLinkFactory> lanLinks_;
  std::unique_ptr<SimRadioRouterBackend> router_;
  std::unique_ptr<SimCloudControl> cloudControl_;
  std::shared_ptr<const gagent::proto::Product> product_;
  std::unique_ptr<McuPlug> mcu_;
};

}  // namespace gizrig::core
