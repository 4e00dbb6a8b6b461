#pragma once
// RouterControl over a real OpenWrt router (HIL), through ubus JSON-RPC on HTTP (UbusClient). An access point
// is named by its SSID, as everywhere in the rig; the backend finds its wifi-iface section in the wireless
// config.
//
//   configure  uci set wireless.<section> ssid/key/encryption (psk2, or none for an empty password),
//              then uci commit wireless (rpcd's commit raises config.change, and netifd reloads the radio)
//   setPower   network.wireless up|down {"device": <the section's radio>} - the whole radio, so every SSID on
//              it: a real router cannot power one SSID alone
//   reboot     system reboot (the whole router; clears every client table, S5.7)
//   status     network.wireless status (radio up, the section's ifname) + iwinfo assoclist {"device":
//   ifname};
//              signal -1 (a real router has no default signal to report)
//   setSignal  not supported (use an attenuator)

#include <QObject>
#include <QUrl>

#include "gizrig/plugs/router_control.h"
#include "gizrig/routers/ubus_client.h"

namespace gizrig::core {

class OpenWrtRouterBackend : public QObject, public RouterControl {
  Q_OBJECT
 public:
  // `endpoint`: http://<router>/ubus; the account needs uci, network.wireless, system and iwinfo rights.
  OpenWrtRouterBackend(const QUrl& endpoint, const QString& username, const QString& password,
                       QObject* parent = nullptr);

  void setPower(const QString& ssid, bool on, Done done) override;
  void reboot(const QString& ssid, Done done) override;
  void configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) override;
  void setSignal(const QString& ssid, const QString& mac, int signal, Done done) override;
  void status(const QString& ssid,
              std::function<void(const RouterResult&, const RouterStatus&)> done) override;

  [[nodiscard]] UbusClient& ubus() { return ubus_; }

 private:
  struct Iface {
    QString section;  // "cfg033579" or a named section
    QString device;   // "radio0"
  };
  // The wifi-iface whose ssid is `ssid`.
  void findIface(const QString& ssid, std::function<void(const RouterResult&, const Iface&)> done);
  void failSoon(Done done, const QString& error);

  UbusClient ubus_;
};

}  // namespace gizrig::core
