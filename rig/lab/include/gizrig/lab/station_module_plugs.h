#pragma once
// The rig's side of one slot of a station, built from the station file alone (docs/real-station.md): the MCU
// on the slot's serial port, the phone app on the line's LAN, the station's router controllers (OpenWrt or
// the virtual air), the cloud's control when the station has one. A real line and the lab standing in for one
// (`gizrig lab up --station-out`) go through exactly this.

#include <QString>
#include <functional>
#include <memory>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/engine/scenario.h"
#include "gizrig/production/station_config.h"

namespace gagent::proto {
struct Product;
}
namespace gizrig::core {
class AirRouterBackend;
class AppPlug;
class McuPlug;
class QSerialPortLink;
class QtLanLinkFactory;
class LanTrafficTap;
class TracedLanLinkFactory;
class RouterPlug;
struct RunContext;
}  // namespace gizrig::core
namespace gizrig::cloud {
class AppClient;
class CloudPlug;
}  // namespace gizrig::cloud

namespace gizrig::lab {

class AirOnboarding;
class McuOnboarding;

class StationModulePlugs {
 public:
  StationModulePlugs(const core::StationConfig& station, const core::SlotConfig& slot,
                     std::shared_ptr<const gagent::proto::Product> product, core::RigClock& clock);
  ~StationModulePlugs();
  StationModulePlugs(const StationModulePlugs&) = delete;
  StationModulePlugs& operator=(const StationModulePlugs&) = delete;

  // Opens the slot's serial port; false with the OS reason.
  bool open(QString* error);

  // What the station lacks for `scenario` ("" when nothing): the reason it is SKIPPED.
  [[nodiscard]] QString missingFor(const core::Scenario& scenario) const;

  // Brings the module to the scenario's starting state without blocking: "unconfigured" and "production"
  // reset it (0x0B) and wait for its start-up; "station" then onboards it to the home router as the station's
  // home_router.onboarding says (through the air's SoftAP, or the MCU's 0x09 type 4), or, for "on_lan",
  // resets nothing and checks that the module is on the LAN. `done` gets "" or what went wrong, once.
  void prepare(core::SetupState setup, std::function<void(const QString& error)> done,
               core::RigMillis timeoutMs = 90000);

  // Points a scenario context at these plugs and the station's addresses.
  void fill(core::RunContext& context);

  core::McuPlug& mcu() { return *mcu_; }
  // Every LAN byte the slot's app sends or receives (for a wire trace).
  core::LanTrafficTap& lanTap() { return *lanTap_; }

 private:
  void resetModule(std::function<void(const QString&)> done, core::RigMillis timeoutMs);
  void onboard(std::function<void(const QString&)> done, core::RigMillis timeoutMs);
  [[nodiscard]] core::HomeRouterConfig::Onboarding onboarding() const;

  core::StationConfig station_;
  core::SlotConfig slot_;
  core::RigClock& clock_;
  std::unique_ptr<core::QSerialPortLink> serial_;
  std::unique_ptr<core::McuPlug> mcu_;
  std::unique_ptr<core::QtLanLinkFactory> links_;
  std::unique_ptr<core::LanTrafficTap> lanTap_;
  std::unique_ptr<core::TracedLanLinkFactory> tracedLinks_;
  std::unique_ptr<core::AppPlug> app_;
  std::unique_ptr<core::RouterPlug> router_;  // null: no router control
  core::AirRouterBackend* air_ = nullptr;     // the first air controller (owned through router_), or null
  std::unique_ptr<cloud::AppClient> phone_;
  std::unique_ptr<cloud::CloudPlug> cloud_;
  std::unique_ptr<AirOnboarding> onboarding_;  // null without an air controller
  std::unique_ptr<McuOnboarding> mcuOnboarding_;
  std::unique_ptr<QObject> preparing_;  // the context of a prepare()'s callbacks
};

}  // namespace gizrig::lab
