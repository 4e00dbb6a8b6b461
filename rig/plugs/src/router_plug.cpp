#include "gizrig/plugs/router_plug.h"

namespace gizrig::core {

namespace {

void addResult(QVariantMap& fields, const RouterResult& result) {
  fields.insert(QStringLiteral("ok"), result.ok);
  fields.insert(QStringLiteral("error"), result.error);
}

}  // namespace

RouterPlug::RouterPlug(std::unique_ptr<RouterControl> backend, QObject* parent)
    : QObject(parent), backend_(std::move(backend)) {}

RouterPlug::~RouterPlug() {
  *alive_ = false;
}

RouterControl::Done RouterPlug::reporting(const QString& name, QVariantMap fields, Done done) {
  return [this, alive = alive_, name, fields = std::move(fields),
          done = std::move(done)](const RouterResult& result) mutable {
    if (*alive) {
      addResult(fields, result);
      emit event(name, fields);
    }
    if (done) done(result);
  };
}

void RouterPlug::setPower(const QString& ssid, bool on, Done done) {
  Done caller = reporting(QStringLiteral("router.power"),
                          {{QStringLiteral("ssid"), ssid}, {QStringLiteral("on"), on}}, std::move(done));
  // Only the latest request for the SSID is joined: an "on" after a pending "off" must go out after it.
  if (const auto it = pendingPower_.find(ssid); it != pendingPower_.end() && (*it)->on == on) {
    (*it)->callers.push_back(std::move(caller));
    return;
  }
  auto pending = std::make_shared<PendingPower>();
  pending->on = on;
  pending->callers.push_back(std::move(caller));
  pendingPower_.insert(ssid, pending);
  backend_->setPower(ssid, on, [this, alive = alive_, ssid, pending](const RouterResult& result) {
    if (*alive && pendingPower_.value(ssid) == pending) pendingPower_.remove(ssid);
    for (Done& each : pending->callers) each(result);
  });
}

void RouterPlug::reboot(const QString& ssid, Done done) {
  forgetPendingPower(ssid);
  backend_->reboot(
      ssid, reporting(QStringLiteral("router.reboot"), {{QStringLiteral("ssid"), ssid}}, std::move(done)));
}

void RouterPlug::configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) {
  forgetPendingPower(ssid);
  backend_->configure(
      ssid, newSsid, password,
      reporting(QStringLiteral("router.configure"),
                {{QStringLiteral("ssid"), ssid}, {QStringLiteral("new_ssid"), newSsid}}, std::move(done)));
}

void RouterPlug::setSignal(const QString& ssid, const QString& mac, int signal, Done done) {
  backend_->setSignal(
      ssid, mac, signal,
      reporting(
          QStringLiteral("router.signal"),
          {{QStringLiteral("ssid"), ssid}, {QStringLiteral("mac"), mac}, {QStringLiteral("signal"), signal}},
          std::move(done)));
}

void RouterPlug::status(const QString& ssid,
                        std::function<void(const RouterResult&, const RouterStatus&)> done) {
  backend_->status(ssid, [this, alive = alive_, ssid, done = std::move(done)](const RouterResult& result,
                                                                              const RouterStatus& status) {
    if (*alive) {
      QVariantMap fields{{QStringLiteral("ssid"), ssid}};
      addResult(fields, result);
      if (result.ok) {
        fields.insert(QStringLiteral("powered"), status.powered);
        fields.insert(QStringLiteral("signal"), status.signal);
        fields.insert(QStringLiteral("clients"), status.clientMacs);
      }
      emit event(QStringLiteral("router.status"), fields);
    }
    if (done) done(result, status);
  });
}

}  // namespace gizrig::core
