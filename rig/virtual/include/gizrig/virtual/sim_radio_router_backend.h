#pragma once
// RouterControl over the air of the virtual-time world (sim::SimRadio): the routers around the one simulated
// module. SimRadio keeps no list a caller can read, so the routers are added through this backend, which
// mirrors them (SSID, password, power, signal) to answer status().
//
// Semantics, matching the virtual air where they can:
// - power off, reboot, configure (rename / new password) and removal drop the module's link at that
//   instant (S5.7); it does not come back by itself (the firmware rejoins).
// - reboot is a power cycle: off, then on again `rebootMs` later (0 = within the same instant).
// - one module only: setSignal takes an empty MAC or the module's MAC; status lists the module's MAC (upper
//   case) as a client while its station link to that SSID is up.
// - every call completes through its callback exactly once, at the clock's next turn (never inside the call).

#include <QObject>
#include <QString>
#include <vector>

#include "gizrig/plugs/router_control.h"
#include "gizrig/virtual/virtual_rig_clock.h"

namespace gagent::sim {
class SimRadio;
class SimSystem;
}  // namespace gagent::sim

namespace gizrig::core {

class SimRadioRouterBackend final : public QObject, public RouterControl {
  Q_OBJECT
 public:
  static constexpr int kDefaultSignal = 70;

  SimRadioRouterBackend(gagent::sim::SimRadio& radio, gagent::sim::SimSystem& system, VirtualRigClock& clock,
                        QObject* parent = nullptr);

  // The air (synchronous: set up before or between runs). Adding an SSID again replaces that router.
  // False with `error` for an empty SSID, a WPA2 password outside 8-63 characters, or a signal outside 0-100.
  bool addRouter(const QString& ssid, const QString& password, int signal = kDefaultSignal,
                 bool powered = true, QString* error = nullptr);
  bool removeRouter(const QString& ssid);
  [[nodiscard]] QStringList routers() const;
  void setRebootTime(RigMillis ms) { rebootMs_ = ms; }

  // RouterControl
  void setPower(const QString& ssid, bool on, Done done) override;
  void reboot(const QString& ssid, Done done) override;
  void configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) override;
  void setSignal(const QString& ssid, const QString& mac, int signal, Done done) override;
  void status(const QString& ssid,
              std::function<void(const RouterResult&, const RouterStatus&)> done) override;

  // The module's MAC, 12 upper-case hex digits.
  [[nodiscard]] QString moduleMac() const;

 private:
  struct Router {
    QString ssid;
    QString password;
    int signal = kDefaultSignal;
    bool powered = true;
  };
  Router* find(const QString& ssid);
  void complete(Done done, RouterResult result);
  static RouterResult ok() { return {true, {}}; }
  static RouterResult noRouter(const QString& ssid);
  static QString checkPassword(const QString& password);
  static QString checkRouter(const QString& ssid, const QString& password, int signal);

  gagent::sim::SimRadio& radio_;
  gagent::sim::SimSystem& system_;
  VirtualRigClock& clock_;
  std::vector<Router> routers_;
  RigMillis rebootMs_ = 0;
};

}  // namespace gizrig::core
