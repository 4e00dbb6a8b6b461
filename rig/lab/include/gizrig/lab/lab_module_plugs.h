#pragma once
// The rig's side of one virtual-lab module, built from where the lab listens (LabState: plain data), so it
// may live on another thread than the lab itself: the MCU on the module's pty, the phone app on the loopback
// LAN, the air's routers, the stand-in cloud's API and its app-side MQTT client. One wiring for the real-time
// scenario host (lab_scenario_host.h) and the engineer view's lab module.

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/lab/lab_state.h"

namespace gagent::proto {
struct Product;
}
namespace gizrig::core {
class AirRouterBackend;
class AppPlug;
class McuPlug;
class QSerialPortLink;
class QtLanLinkFactory;
class RouterPlug;
struct RunContext;
}  // namespace gizrig::core
namespace gizrig::cloud {
class AppClient;
class CloudPlug;
}  // namespace gizrig::cloud

namespace gizrig::lab {

class AirOnboarding;

// The home router every lab starts with (LabOptions::accessPoints' default).
inline constexpr const char* kLabHomeSsid = "HomeNet";
inline constexpr const char* kLabHomePassword = "password1";

class LabModulePlugs {
 public:
  LabModulePlugs(const LabState& state, const ModuleEntry& module,
                 std::shared_ptr<const gagent::proto::Product> product, core::RigClock& clock);
  ~LabModulePlugs();
  LabModulePlugs(const LabModulePlugs&) = delete;
  LabModulePlugs& operator=(const LabModulePlugs&) = delete;

  // Opens the module's pty; false with the reason.
  bool open(QString* error);

  core::McuPlug& mcu() { return *mcu_; }
  core::AppPlug& app() { return *app_; }
  core::AirRouterBackend& air() { return *air_; }
  core::RouterPlug& router() { return *router_; }
  cloud::CloudPlug& cloud() { return *cloud_; }
  [[nodiscard]] const ModuleEntry& module() const { return module_; }

  // Points a scenario context at these plugs and the lab's addresses (module, broadcast, home router).
  void fill(core::RunContext& context);

  // S6.2.5 through the air, without blocking: the phone joins the module's SoftAP, sends the home router's
  // credentials (0001), and waits until the module's status word says it joined the router. `done` gets ""
  // or what went wrong, exactly once, unless these plugs are destroyed first.
  void onboard(std::function<void(const QString& error)> done, core::RigMillis timeoutMs = 60000);

 private:
  LabState state_;
  ModuleEntry module_;
  core::RigClock& clock_;
  std::unique_ptr<core::QSerialPortLink> serial_;
  std::unique_ptr<core::McuPlug> mcu_;
  std::unique_ptr<core::QtLanLinkFactory> links_;
  std::unique_ptr<core::AppPlug> app_;
  core::AirRouterBackend* air_;  // owned by router_
  std::unique_ptr<core::RouterPlug> router_;
  std::unique_ptr<cloud::AppClient> phone_;
  std::unique_ptr<cloud::CloudPlug> cloud_;
  std::unique_ptr<AirOnboarding> onboarding_;
};

}  // namespace gizrig::lab
