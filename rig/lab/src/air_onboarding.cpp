#include "gizrig/lab/air_onboarding.h"

#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/routers/air_router_backend.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {
// gagent-sim's SoftAP password (docs/virtual-lab.md).
const QString kSoftApPassword = QStringLiteral("123456789");
}  // namespace

AirOnboarding::AirOnboarding(AirRouterBackend& air, AppPlug& app, McuPlug& mcu, RigClock& clock)
    : air_(air), app_(app), mcu_(mcu), attempt_(clock) {}

AirOnboarding::~AirOnboarding() = default;

void AirOnboarding::start(const QHostAddress& module, const QString& ssid, const QString& password,
                          std::function<void(const QString&)> done, RigMillis timeoutMs) {
  ssid_ = ssid;
  password_ = password;
  QPointer<QObject> attempt = attempt_.begin(std::move(done), timeoutMs, [timeoutMs] {
    return QStringLiteral("setup: onboarding did not finish within %1 s").arg(timeoutMs / 1000);
  });
  air_.modules([this, attempt, module](const RouterResult& result, const QList<AirModule>& modules) {
    if (!attempt) return;
    QString softAp;
    for (const AirModule& m : modules)
      if (QHostAddress(m.ip).isEqual(module, QHostAddress::TolerantConversion)) softAp = m.softApSsid;
    if (!result.ok || softAp.isEmpty())
      return finish(QStringLiteral("setup: the module's SoftAP is not in the air"));
    joinSoftAp(softAp, attempt);
  });
}

void AirOnboarding::joinSoftAp(const QString& softAp, QPointer<QObject> attempt) {
  air_.softApJoin(softAp, kSoftApPassword,
                  [this, attempt](const RouterResult& result, const QHostAddress& ip) {
                    if (!attempt) return;
                    if (!result.ok || ip.isNull())
                      return finish(QStringLiteral("setup: could not join the module's SoftAP"));
                    sendCredentials(ip, attempt);
                  });
}

void AirOnboarding::sendCredentials(const QHostAddress& module, QPointer<QObject> attempt) {
  app_.softApOnboard(module, ssid_, password_, {}, [this, attempt](const AppReply& reply) {
    if (!attempt) return;
    if (!reply.ok()) return finish(QStringLiteral("setup: SoftAP onboarding failed: %1").arg(reply.error));
    awaitRouter(attempt);
  });
}

void AirOnboarding::awaitRouter(QObject* attempt) {
  const auto joined = [this] { return mcu_.wifiStatus().routerConnected; };
  if (joined()) return finish({});
  QObject::connect(&mcu_, &McuPlug::statusChanged, attempt, [this, joined] {
    if (joined()) finish({});
  });
}

void AirOnboarding::finish(const QString& error) {
  attempt_.finish(error);
}

}  // namespace gizrig::lab
