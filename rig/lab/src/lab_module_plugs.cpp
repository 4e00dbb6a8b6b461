#include "gizrig/lab/lab_module_plugs.h"

#include "gizrig/lab/air_onboarding.h"

#include "gizrig/cloud/app_client.h"
#include "gizrig/cloud/cloud_plug.h"
#include "gizrig/engine/engine_actions.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/links/qt_lan_links.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/plugs/router_plug.h"
#include "gizrig/routers/air_router_backend.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {
constexpr int kCloudApiTimeoutMs = 10000;
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
          cloud::CloudPlugSettings{QStringLiteral("127.0.0.1"), state.apiPort, kCloudApiTimeoutMs,
                                   state.apiSecret},
          phone_.get())),
      onboarding_(std::make_unique<AirOnboarding>(*air_, *app_, *mcu_, clock)) {
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
  onboarding_->start(QHostAddress(module_.ip), QString::fromLatin1(kLabHomeSsid),
                     QString::fromLatin1(kLabHomePassword), std::move(done), timeoutMs);
}

}  // namespace gizrig::lab
