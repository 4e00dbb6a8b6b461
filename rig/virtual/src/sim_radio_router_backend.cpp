#include "gizrig/virtual/sim_radio_router_backend.h"

#include <algorithm>

#include "gagent/sim/sim_radio.h"
#include "gagent/sim/sim_system.h"

namespace gizrig::core {

namespace {

constexpr qsizetype kMinWpaPassword = 8;
constexpr qsizetype kMaxWpaPassword = 63;  // a 64th character would be a raw hex key

std::string text(const QString& s) {
  return s.toStdString();
}

std::uint8_t signalByte(int signal) {
  return static_cast<std::uint8_t>(std::clamp(signal, 0, 100));
}

}  // namespace

SimRadioRouterBackend::SimRadioRouterBackend(gagent::sim::SimRadio& radio, gagent::sim::SimSystem& system,
                                             VirtualRigClock& clock, QObject* parent)
    : QObject(parent), radio_(radio), system_(system), clock_(clock) {}

QString SimRadioRouterBackend::checkPassword(const QString& password) {
  if (password.isEmpty()) return {};  // an open network
  if (password.size() < kMinWpaPassword || password.size() > kMaxWpaPassword)
    return QStringLiteral("a WPA2 password has 8 to 63 characters (or none for an open network)");
  return {};
}

QString SimRadioRouterBackend::checkRouter(const QString& ssid, const QString& password, int signal) {
  if (ssid.isEmpty() || ssid.toUtf8().size() > 32) return QStringLiteral("an SSID has 1 to 32 bytes");
  if (signal < 0 || signal > 100) return QStringLiteral("the signal is 0 to 100");
  return checkPassword(password);
}

bool SimRadioRouterBackend::addRouter(const QString& ssid, const QString& password, int signal, bool powered,
                                      QString* error) {
  const QString why = checkRouter(ssid, password, signal);
  if (!why.isEmpty()) {
    if (error != nullptr) *error = why;
    return false;
  }
  std::erase_if(routers_, [&](const Router& r) { return r.ssid == ssid; });
  routers_.push_back({ssid, password, signal, powered});
  radio_.addAccessPoint(text(ssid), text(password), signalByte(signal), powered);
  return true;
}

bool SimRadioRouterBackend::removeRouter(const QString& ssid) {
  if (find(ssid) == nullptr) return false;
  std::erase_if(routers_, [&](const Router& r) { return r.ssid == ssid; });
  radio_.removeAccessPoint(text(ssid));
  return true;
}

QStringList SimRadioRouterBackend::routers() const {
  QStringList out;
  for (const Router& r : routers_) out.push_back(r.ssid);
  return out;
}

SimRadioRouterBackend::Router* SimRadioRouterBackend::find(const QString& ssid) {
  const auto it =
      std::find_if(routers_.begin(), routers_.end(), [&](const Router& r) { return r.ssid == ssid; });
  return it == routers_.end() ? nullptr : &*it;
}

RouterResult SimRadioRouterBackend::noRouter(const QString& ssid) {
  return {false, QStringLiteral("no router with SSID \"%1\" in the virtual air").arg(ssid)};
}

void SimRadioRouterBackend::complete(Done done, RouterResult result) {
  clock_.requestPass();  // the air may have changed under the module
  clock_.callAt(clock_.nowMs(), this, [done = std::move(done), result = std::move(result)] {
    if (done) done(result);
  });
}

QString SimRadioRouterBackend::moduleMac() const {
  const gagent::hal::MacAddress mac = system_.mac();
  return QString::fromLatin1(
      QByteArray(reinterpret_cast<const char*>(mac.data()), static_cast<qsizetype>(mac.size()))
          .toHex()
          .toUpper());
}

void SimRadioRouterBackend::setPower(const QString& ssid, bool on, Done done) {
  Router* router = find(ssid);
  if (router == nullptr) return complete(std::move(done), noRouter(ssid));
  router->powered = on;
  radio_.setPowered(text(ssid), on);
  complete(std::move(done), ok());
}

void SimRadioRouterBackend::reboot(const QString& ssid, Done done) {
  Router* router = find(ssid);
  if (router == nullptr) return complete(std::move(done), noRouter(ssid));
  const bool wasPowered = router->powered;
  radio_.setPowered(text(ssid), false);  // the client table goes (S5.7)
  if (!wasPowered) return complete(std::move(done), ok());
  auto powerOn = [this, ssid] {
    if (Router* r = find(ssid); r != nullptr && r->powered) radio_.setPowered(text(ssid), true);
  };
  if (rebootMs_ <= 0) {
    powerOn();
  } else {
    clock_.callAfter(rebootMs_, this, powerOn);
  }
  complete(std::move(done), ok());
}

void SimRadioRouterBackend::configure(const QString& ssid, const QString& newSsid, const QString& password,
                                      Done done) {
  Router* router = find(ssid);
  if (router == nullptr) return complete(std::move(done), noRouter(ssid));
  const Router old = *router;
  const QString error = checkRouter(newSsid, password, old.signal);
  if (!error.isEmpty()) return complete(std::move(done), {false, error});
  // Clients are dropped (the virtual air's AP-SET); a router already called newSsid is replaced.
  if (newSsid != ssid) removeRouter(ssid);
  addRouter(newSsid, password, old.signal, old.powered);
  complete(std::move(done), ok());
}

void SimRadioRouterBackend::setSignal(const QString& ssid, const QString& mac, int signal, Done done) {
  Router* router = find(ssid);
  if (router == nullptr) return complete(std::move(done), noRouter(ssid));
  if (signal < 0 || signal > 100)
    return complete(std::move(done), {false, QStringLiteral("the signal is 0 to 100, not %1").arg(signal)});
  QString wanted = mac;
  wanted.remove(QLatin1Char(':'));
  if (!wanted.isEmpty() && wanted.toUpper() != moduleMac())
    return complete(
        std::move(done),
        {false,
         QStringLiteral("no module with MAC %1 in the virtual air (it has %2 only)").arg(mac, moduleMac())});
  router->signal = signal;
  radio_.setSignal(text(ssid), signalByte(signal));
  complete(std::move(done), ok());
}

void SimRadioRouterBackend::status(const QString& ssid,
                                   std::function<void(const RouterResult&, const RouterStatus&)> done) {
  RouterResult result = ok();
  RouterStatus status;
  if (const Router* router = find(ssid)) {
    status.ssid = router->ssid;
    status.powered = router->powered;
    status.signal = router->signal;
    if (radio_.stationLink() == gagent::hal::LinkState::Up && radio_.stationSsid() == text(ssid))
      status.clientMacs.push_back(moduleMac());
  } else {
    result = noRouter(ssid);
  }
  clock_.callAt(clock_.nowMs(), this, [done = std::move(done), result, status] {
    if (done) done(result, status);
  });
}

}  // namespace gizrig::core
