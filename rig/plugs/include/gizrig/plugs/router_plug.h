#pragma once
// The routers around the DUT (docs/rig.md): a RouterControl backend (the virtual air, OpenWrt over ubus, the
// in-process SimRadio) behind one plug. Every call is passed to the backend and, when it completes, told to
// the scenario engine and the GUI as an event with the call's fields and its outcome:
//   router.power     {ssid, on, ok, error}
//   router.reboot    {ssid, ok, error}
//   router.configure {ssid, new_ssid, ok, error}          (the password is never put in an event)
//   router.signal    {ssid, mac, signal, ok, error}        (mac empty = every module)
//   router.status    {ssid, ok, error, powered, signal, clients (list of MACs)}
// The plug is itself a RouterControl, so code that only needs the control can take the plug. A power request
// equal to the latest one still on its way for that SSID rides on it (the slots of a station all switch the
// same test routers on): the backend gets one, every caller hears its result and gets its event.

#include <QHash>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <memory>
#include <vector>

#include "gizrig/plugs/router_control.h"

namespace gizrig::core {

class RouterPlug : public QObject, public RouterControl {
  Q_OBJECT
 public:
  // Takes the backend; a backend that is also a QObject must not have a parent.
  explicit RouterPlug(std::unique_ptr<RouterControl> backend, QObject* parent = nullptr);
  ~RouterPlug() override;

  void setPower(const QString& ssid, bool on, Done done) override;
  void reboot(const QString& ssid, Done done) override;
  void configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) override;
  void setSignal(const QString& ssid, const QString& mac, int signal, Done done) override;
  void status(const QString& ssid,
              std::function<void(const RouterResult&, const RouterStatus&)> done) override;

  [[nodiscard]] RouterControl& backend() { return *backend_; }

 signals:
  void event(const QString& name, const QVariantMap& fields);

 private:
  // Wraps `done` so the event goes out first, then the caller hears the result.
  Done reporting(const QString& name, QVariantMap fields, Done done);

  struct PendingPower {
    bool on = false;
    std::vector<Done> callers;
  };
  // Ends what no longer may ride on a pending power request of `ssid` (another kind of request went out).
  void forgetPendingPower(const QString& ssid) { pendingPower_.remove(ssid); }

  std::unique_ptr<RouterControl> backend_;
  QHash<QString, std::shared_ptr<PendingPower>>
      pendingPower_;  // the latest power request per SSID, in flight
  // Shared with every pending callback: a backend that answers after the plug is gone does not touch it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace gizrig::core
