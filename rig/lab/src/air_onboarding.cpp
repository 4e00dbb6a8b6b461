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
    : air_(air), app_(app), mcu_(mcu), clock_(clock) {}

AirOnboarding::~AirOnboarding() = default;

void AirOnboarding::start(const QHostAddress& module, const QString& ssid, const QString& password,
                          std::function<void(const QString&)> done, RigMillis timeoutMs) {
  attempt_ = std::make_unique<QObject>();  // the previous attempt's callbacks and timer go with it
  done_ = std::move(done);
  ssid_ = ssid;
  password_ = password;
  QObject* attempt = attempt_.get();
  timer_ = clock_.callAfter(timeoutMs, attempt, [this, timeoutMs] {
    finish(QStringLiteral("setup: onboarding did not finish within %1 s").arg(timeoutMs / 1000));
  });
  air_.modules([this, attempt, module](const RouterResult& result, const QList<AirModule>& modules) {
    if (attempt != attempt_.get()) return;
    QString softAp;
    for (const AirModule& m : modules)
      if (QHostAddress(m.ip).isEqual(module, QHostAddress::TolerantConversion)) softAp = m.softApSsid;
    if (!result.ok || softAp.isEmpty())
      return finish(QStringLiteral("setup: the module's SoftAP is not in the air"));
    joinSoftAp(softAp);
  });
}

void AirOnboarding::joinSoftAp(const QString& softAp) {
  QObject* attempt = attempt_.get();
  air_.softApJoin(softAp, kSoftApPassword,
                  [this, attempt](const RouterResult& result, const QHostAddress& ip) {
                    if (attempt != attempt_.get()) return;
                    if (!result.ok || ip.isNull())
                      return finish(QStringLiteral("setup: could not join the module's SoftAP"));
                    sendCredentials(ip);
                  });
}

void AirOnboarding::sendCredentials(const QHostAddress& module) {
  QObject* attempt = attempt_.get();
  app_.softApOnboard(module, ssid_, password_, {}, [this, attempt](const AppReply& reply) {
    if (attempt != attempt_.get()) return;
    if (!reply.ok()) return finish(QStringLiteral("setup: SoftAP onboarding failed: %1").arg(reply.error));
    awaitRouter();
  });
}

void AirOnboarding::awaitRouter() {
  const auto joined = [this] { return mcu_.wifiStatus().routerConnected; };
  if (joined()) return finish({});
  QObject::connect(&mcu_, &McuPlug::statusChanged, attempt_.get(), [this, joined] {
    if (joined()) finish({});
  });
}

void AirOnboarding::finish(const QString& error) {
  if (!done_) return;
  clock_.cancel(timer_);
  auto done = std::move(done_);
  done_ = nullptr;
  done(error);
}

}  // namespace gizrig::lab
