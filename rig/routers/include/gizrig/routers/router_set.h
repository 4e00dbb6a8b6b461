#pragma once
// Several router controllers as one: a real line's test routers are often two OpenWrt devices (one per
// SSID), each with its own address and login. Calls go to the controller that owns the SSID; an SSID nobody
// owns is an error naming it.

#include <QList>
#include <QStringList>
#include <memory>
#include <vector>

#include "gizrig/plugs/router_control.h"

namespace gizrig::core {

class RouterSet final : public RouterControl {
 public:
  // `owner` answers for every SSID in `ssids` ("*": for any SSID, e.g. the virtual air).
  void add(std::unique_ptr<RouterControl> owner, const QStringList& ssids);
  [[nodiscard]] bool empty() const { return controllers_.empty(); }

  void setPower(const QString& ssid, bool on, Done done) override;
  void reboot(const QString& ssid, Done done) override;
  void configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) override;
  void setSignal(const QString& ssid, const QString& mac, int signal, Done done) override;
  void status(const QString& ssid,
              std::function<void(const RouterResult&, const RouterStatus&)> done) override;

 private:
  struct Controller {
    std::unique_ptr<RouterControl> control;
    QStringList ssids;
  };
  [[nodiscard]] RouterControl* owner(const QString& ssid) const;
  [[nodiscard]] RouterResult noOwner(const QString& ssid) const;

  std::vector<Controller> controllers_;
};

}  // namespace gizrig::core
