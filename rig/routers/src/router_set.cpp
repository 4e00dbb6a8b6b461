#include "gizrig/routers/router_set.h"

namespace gizrig::core {

void RouterSet::add(std::unique_ptr<RouterControl> owner, const QStringList& ssids) {
  controllers_.push_back(Controller{std::move(owner), ssids});
}

RouterControl* RouterSet::owner(const QString& ssid) const {
  for (const Controller& c : controllers_) {
    if (c.ssids.contains(ssid) || c.ssids.contains(QStringLiteral("*"))) return c.control.get();
  }
  return nullptr;
}

RouterResult RouterSet::noOwner(const QString& ssid) const {
  QStringList known;
  for (const Controller& c : controllers_) known << c.ssids;
  return RouterResult{false,
                      QStringLiteral("no router controller of the station switches \"%1\" (it has: %2)")
                          .arg(ssid, known.isEmpty() ? QStringLiteral("none") : known.join(", "))};
}

void RouterSet::setPower(const QString& ssid, bool on, Done done) {
  if (RouterControl* c = owner(ssid)) return c->setPower(ssid, on, std::move(done));
  done(noOwner(ssid));
}

void RouterSet::reboot(const QString& ssid, Done done) {
  if (RouterControl* c = owner(ssid)) return c->reboot(ssid, std::move(done));
  done(noOwner(ssid));
}

void RouterSet::configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) {
  if (RouterControl* c = owner(ssid)) return c->configure(ssid, newSsid, password, std::move(done));
  done(noOwner(ssid));
}

void RouterSet::setSignal(const QString& ssid, const QString& mac, int signal, Done done) {
  if (RouterControl* c = owner(ssid)) return c->setSignal(ssid, mac, signal, std::move(done));
  done(noOwner(ssid));
}

void RouterSet::status(const QString& ssid,
                       std::function<void(const RouterResult&, const RouterStatus&)> done) {
  if (RouterControl* c = owner(ssid)) return c->status(ssid, std::move(done));
  done(noOwner(ssid), RouterStatus{});
}

}  // namespace gizrig::core
