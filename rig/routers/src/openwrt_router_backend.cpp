#include "gizrig/routers/openwrt_router_backend.h"

#include "gizrig/routers/mac_text.h"

#include <QJsonArray>
#include <QTimer>

namespace gizrig::core {

namespace {

const QString kWireless = QStringLiteral("wireless");

RouterResult failed(const UbusResult& result) {
  return {false, result.error};
}

}  // namespace

OpenWrtRouterBackend::OpenWrtRouterBackend(const QUrl& endpoint, const QString& username,
                                           const QString& password, QObject* parent)
    : QObject(parent), ubus_(endpoint, username, password, this) {}

void OpenWrtRouterBackend::failSoon(Done done, const QString& error) {
  QTimer::singleShot(0, this, [done = std::move(done), error] { done({false, error}); });
}

void OpenWrtRouterBackend::findIface(const QString& ssid,
                                     std::function<void(const RouterResult&, const Iface&)> done) {
  ubus_.call(QStringLiteral("uci"), QStringLiteral("get"),
             {{QStringLiteral("config"), kWireless}, {QStringLiteral("type"), QStringLiteral("wifi-iface")}},
             [ssid, done = std::move(done)](const UbusResult& result) {
               if (!result.ok) return done(failed(result), {});
               const QJsonObject values = result.data.value(QStringLiteral("values")).toObject();
               for (auto it = values.begin(); it != values.end(); ++it) {
                 const QJsonObject section = it.value().toObject();
                 if (section.value(QStringLiteral("ssid")).toString() != ssid) continue;
                 const QString name = section.value(QStringLiteral(".name")).toString(it.key());
                 return done({true, {}}, {name, section.value(QStringLiteral("device")).toString()});
               }
               done({false, QStringLiteral("the router has no access point \"%1\"").arg(ssid)}, {});
             });
}

void OpenWrtRouterBackend::setPower(const QString& ssid, bool on, Done done) {
  findIface(ssid, [this, on, done = std::move(done)](const RouterResult& found, const Iface& iface) {
    if (!found.ok) return done(found);
    QJsonObject args;
    if (!iface.device.isEmpty()) args.insert(QStringLiteral("device"), iface.device);
    ubus_.call(QStringLiteral("network.wireless"), on ? QStringLiteral("up") : QStringLiteral("down"), args,
               [done](const UbusResult& result) {
                 done(result.ok ? RouterResult{true, {}} : failed(result));
               });
  });
}

void OpenWrtRouterBackend::reboot(const QString& ssid, Done done) {
  findIface(ssid, [this, done = std::move(done)](const RouterResult& found, const Iface&) {
    if (!found.ok) return done(found);
    ubus_.call(QStringLiteral("system"), QStringLiteral("reboot"), {}, [done](const UbusResult& result) {
      done(result.ok ? RouterResult{true, {}} : failed(result));
    });
  });
}

void OpenWrtRouterBackend::configure(const QString& ssid, const QString& newSsid, const QString& password,
                                     Done done) {
  if (newSsid.isEmpty() || newSsid.toUtf8().size() > 32) {
    return failSoon(std::move(done), QStringLiteral("the new SSID must have 1-32 bytes"));
  }
  if (!password.isEmpty() && (password.size() < 8 || password.size() > 63)) {
    return failSoon(std::move(done), QStringLiteral("a WPA2 password has 8-63 characters"));
  }
  findIface(
      ssid, [this, newSsid, password, done = std::move(done)](const RouterResult& found, const Iface& iface) {
        if (!found.ok) return done(found);
        const QJsonObject values{{QStringLiteral("ssid"), newSsid},
                                 {QStringLiteral("key"), password},
                                 {QStringLiteral("encryption"),
                                  password.isEmpty() ? QStringLiteral("none") : QStringLiteral("psk2")}};
        ubus_.call(QStringLiteral("uci"), QStringLiteral("set"),
                   {{QStringLiteral("config"), kWireless},
                    {QStringLiteral("section"), iface.section},
                    {QStringLiteral("values"), values}},
                   [this, done](const UbusResult& set) {
                     if (!set.ok) return done(failed(set));
                     ubus_.call(QStringLiteral("uci"), QStringLiteral("commit"),
                                {{QStringLiteral("config"), kWireless}}, [done](const UbusResult& commit) {
                                  done(commit.ok ? RouterResult{true, {}} : failed(commit));
                                });
                   });
      });
}

void OpenWrtRouterBackend::setSignal(const QString&, const QString&, int, Done done) {
  failSoon(std::move(done),
           QStringLiteral("not supported: a real router cannot set a module's signal (use an attenuator)"));
}

void OpenWrtRouterBackend::status(const QString& ssid,
                                  std::function<void(const RouterResult&, const RouterStatus&)> done) {
  findIface(ssid, [this, ssid, done = std::move(done)](const RouterResult& found, const Iface& iface) {
    if (!found.ok) return done(found, {});
    ubus_.call(
        QStringLiteral("network.wireless"), QStringLiteral("status"), {},
        [this, ssid, iface, done](const UbusResult& radios) {
          if (!radios.ok) return done(failed(radios), {});
          const QJsonObject radio = radios.data.value(iface.device).toObject();
          QString ifname;
          for (const QJsonValue& entry : radio.value(QStringLiteral("interfaces")).toArray()) {
            const QJsonObject object = entry.toObject();
            if (object.value(QStringLiteral("section")).toString() == iface.section) {
              ifname = object.value(QStringLiteral("ifname")).toString();
            }
          }
          RouterStatus status{ssid, radio.value(QStringLiteral("up")).toBool() && !ifname.isEmpty(), -1, {}};
          if (!status.powered) return done({true, {}}, status);
          ubus_.call(
              QStringLiteral("iwinfo"), QStringLiteral("assoclist"), {{QStringLiteral("device"), ifname}},
              [status, done](const UbusResult& clients) mutable {
                if (!clients.ok) return done(failed(clients), {});
                for (const QJsonValue& entry : clients.data.value(QStringLiteral("results")).toArray()) {
                  const QString mac = macHex(entry.toObject().value(QStringLiteral("mac")).toString());
                  if (!mac.isEmpty()) status.clientMacs.append(mac);
                }
                done({true, {}}, status);
              });
        });
  });
}

}  // namespace gizrig::core
