#include "gizrig/lab/lab_module_plugs.h"

#include "gizrig/cloud/app_client.h"
#include "gizrig/cloud/cloud_plug.h"
#include "gizrig/routers/air_router_backend.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/engine/engine_actions.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/links/qt_lan_links.h"
#include "gizrig/plugs/router_plug.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {
constexpr int kCloudApiTimeoutMs = 10000;
// gagent-sim's SoftAP password (docs/virtual-lab.md).
const QString kSoftApPassword = QStringLiteral("123456789");
}  // namespace

LabModulePlugs::LabModulePlugs(const LabState& state, const ModuleEntry& module,
                               std::shared_ptr<const gagent::proto::Product> product, RigClock& clock)
    : state_(state),
      module_(module),
      clock_(clock),
      serial_(std::make_unique<QSerialPortLink>(module.pty)),
      mcu_(std::make_unique<McuPlug>(serial_.get(), &clock, *product)),
      links_(std::make_unique<QtLanLinkFactory>()),
      app_(std::make_unique<AppPlug>(clock, *links_)),
      air_(new AirRouterBackend(new QtStreamLink, clock, QHostAddress::LocalHost, state.airPort)),
      router_(std::make_unique<RouterPlug>(std::unique_ptr<RouterControl>(air_))),
      phone_(std::make_unique<cloud::AppClient>(QStringLiteral("127.0.0.1"), state.mosquittoPort,
                                                state.appUser, state.appPassword, QStringLiteral("rig-app"))),
      cloud_(std::make_unique<cloud::CloudPlug>(
          cloud::CloudPlugSettings{QStringLiteral("127.0.0.1"), state.apiPort, kCloudApiTimeoutMs},
          phone_.get())) {
  app_->setProduct(std::move(product));
}

LabModulePlugs::~LabModulePlugs() = default;

bool LabModulePlugs::open(QString* error) {
  if (!mcu_->open()) {
    if (error != nullptr) *error = QStringLiteral("cannot open %1").arg(module_.pty);
    return false;
  }
  app_->listenAnnouncements();
  phone_->connectToBroker();
  return true;
}

void LabModulePlugs::fill(RunContext& context) {
  context.mcu = mcu_.get();
  context.app = app_.get();
  context.router = router_.get();
  context.cloud = cloud_.get();
  context.module = QHostAddress(module_.ip);
  context.broadcast = QHostAddress(state_.broadcast);
  context.routerSsid = QString::fromLatin1(kLabHomeSsid);
  context.eventSources << cloud_.get() << router_.get();
}

void LabModulePlugs::onboard(std::function<void(const QString&)> done, RigMillis timeoutMs) {
  onboarding_ = std::make_unique<QObject>();  // the previous onboarding's callbacks and timer go with it
  onboarded_ = std::move(done);
  QObject* attempt = onboarding_.get();
  onboardTimer_ = clock_.callAfter(timeoutMs, attempt, [this, timeoutMs] {
    finishOnboarding(QStringLiteral("setup: onboarding did not finish within %1 s").arg(timeoutMs / 1000));
  });
  air_->modules([this, attempt](const RouterResult& result, const QList<AirModule>& modules) {
    if (attempt != onboarding_.get()) return;
    QString softAp;
    for (const AirModule& m : modules)
      if (m.ip == module_.ip) softAp = m.softApSsid;
    if (!result.ok || softAp.isEmpty())
      return finishOnboarding(QStringLiteral("setup: the module's SoftAP is not in the air"));
    joinSoftAp(softAp);
  });
}

void LabModulePlugs::joinSoftAp(const QString& softAp) {
  QObject* attempt = onboarding_.get();
  air_->softApJoin(softAp, kSoftApPassword,
                   [this, attempt](const RouterResult& result, const QHostAddress& ip) {
                     if (attempt != onboarding_.get()) return;
                     if (!result.ok || ip.isNull())
                       return finishOnboarding(QStringLiteral("setup: could not join the module's SoftAP"));
                     sendCredentials(ip);
                   });
}

void LabModulePlugs::sendCredentials(const QHostAddress& module) {
  QObject* attempt = onboarding_.get();
  app_->softApOnboard(
      module, QString::fromLatin1(kLabHomeSsid), QString::fromLatin1(kLabHomePassword), {},
      [this, attempt](const AppReply& reply) {
        if (attempt != onboarding_.get()) return;
        if (!reply.ok())
          return finishOnboarding(QStringLiteral("setup: SoftAP onboarding failed: %1").arg(reply.error));
        awaitRouter();
      });
}

void LabModulePlugs::awaitRouter() {
  const auto joined = [this] { return mcu_->wifiStatus().routerConnected; };
  if (joined()) return finishOnboarding({});
  QObject::connect(mcu_.get(), &McuPlug::statusChanged, onboarding_.get(), [this, joined] {
    if (joined()) finishOnboarding({});
  });
}

void LabModulePlugs::finishOnboarding(const QString& error) {
  if (!onboarded_) return;
  clock_.cancel(onboardTimer_);
  auto done = std::move(onboarded_);
  onboarded_ = nullptr;
  done(error);
}

}  // namespace gizrig::lab
