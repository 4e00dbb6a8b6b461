#include "gizrig/lab/station_module_plugs.h"

#include <algorithm>

#include "gizrig/cloud/app_client.h"
#include "gizrig/cloud/cloud_plug.h"
#include "gizrig/engine/engine_actions.h"
#include "gizrig/lab/air_onboarding.h"
#include "gizrig/lab/mcu_onboarding.h"
#include "gizrig/lab/on_lan_check.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/links/qt_lan_links.h"
#include "gizrig/links/traced_lan_links.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/plugs/router_plug.h"
#include "gizrig/routers/air_router_backend.h"
#include "gizrig/routers/openwrt_router_backend.h"
#include "gizrig/routers/router_set.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {

constexpr int kCloudApiTimeoutMs = 10000;

}  // namespace

StationModulePlugs::StationModulePlugs(const StationConfig& station, const SlotConfig& slot,
                                       std::shared_ptr<const gagent::proto::Product> product, RigClock& clock)
    : station_(station), slot_(slot), clock_(clock) {
  SerialSettings settings;
  settings.baud = slot.baud;
  serial_ = std::make_unique<QSerialPortLink>(slot.serialPort, settings);
  mcu_ = std::make_unique<McuPlug>(serial_.get(), &clock, *product);
  links_ = std::make_unique<QtLanLinkFactory>();
  lanTap_ = std::make_unique<LanTrafficTap>();
  tracedLinks_ = std::make_unique<TracedLanLinkFactory>(*links_, *lanTap_);
  app_ = std::make_unique<AppPlug>(clock, *tracedLinks_);
  app_->setProduct(std::move(product));
  if (!station.routers.isEmpty()) {
    auto set = std::make_unique<RouterSet>();
    for (const RouterControllerConfig& r : station.routers) {
      if (r.backend == RouterControllerConfig::Backend::Air) {
        auto air = std::make_unique<AirRouterBackend>(new QtStreamLink, clock, r.address, r.port);
        if (air_ == nullptr) air_ = air.get();
        set->add(std::move(air), r.ssids);
      } else {
        set->add(std::make_unique<OpenWrtRouterBackend>(QUrl(r.url), r.username, r.password), r.ssids);
      }
    }
    router_ = std::make_unique<RouterPlug>(std::move(set));
  }
  if (station.cloud) {
    phone_ = std::make_unique<cloud::AppClient>(
        station.cloud->mqttAddress.toString(), station.cloud->mqttPort, station.cloud->appUser,
        station.cloud->appPassword, QStringLiteral("rig-app-%1").arg(slot.name));
    cloud_ = std::make_unique<cloud::CloudPlug>(
        cloud::CloudPlugSettings{station.cloud->apiAddress.toString(), station.cloud->apiPort,
                                 kCloudApiTimeoutMs, station.cloud->secret},
        phone_.get());
  }
  if (air_ != nullptr) onboarding_ = std::make_unique<AirOnboarding>(*air_, *app_, *mcu_, clock);
  mcuOnboarding_ = std::make_unique<McuOnboarding>(*mcu_, clock);
}

StationModulePlugs::~StationModulePlugs() = default;

bool StationModulePlugs::open(QString* error) {
  QString reason;
  QObject::connect(serial_.get(), &SerialLink::errorOccurred, serial_.get(),
                   [&reason](const QString& message) { reason = message; });
  const bool opened = mcu_->open();
  serial_->disconnect(serial_.get());
  if (!opened) {
    if (error != nullptr)
      *error = reason.isEmpty() ? QStringLiteral("cannot open %1").arg(slot_.serialPort) : reason;
    return false;
  }
  app_->listenAnnouncements();
  if (phone_) phone_->connectToBroker();
  return true;
}

QString StationModulePlugs::missingFor(const Scenario& scenario) const {
  QStringList missing;
  for (const QString& need : scenario.requirements) {
    if (need == QLatin1String("routers") && !router_) {
      missing << QStringLiteral("router control (the station file has no \"routers\")");
    } else if (need == QLatin1String("router_signal") && air_ == nullptr) {
      missing << QStringLiteral(
          "a per-module signal level (only the virtual air sets one; real routers cannot)");
    } else if (need == QLatin1String("cloud") && !cloud_) {
      missing << QStringLiteral("the cloud's control (the station file has no \"cloud\")");
    } else if (need == QLatin1String("power") && slot_.powerCycle.isEmpty()) {
      missing << QStringLiteral("a power-cycle command for slot %1 (\"power_cycle\")").arg(slot_.name);
    }
  }
  if (scenario.setup == SetupState::Station) {
    if (!station_.homeRouter) {
      missing << QStringLiteral("a home router for setup \"station\" (\"home_router\")");
    } else if (onboarding() == HomeRouterConfig::Onboarding::SoftAp && onboarding_ == nullptr) {
      missing << QStringLiteral(
          "SoftAP onboarding for setup \"station\" (the rig joins the module's SoftAP "
          "through the virtual air; this station's routers cannot: home_router.onboarding \"mcu\" or "
          "\"on_lan\" may suit the module)");
    }
    if (slot_.module.isNull()) missing << QStringLiteral("slot %1's module_ip").arg(slot_.name);
  }
  return missing.join("; ");
}

void StationModulePlugs::fill(RunContext& context) {
  context.mcu = mcu_.get();
  context.app = app_.get();
  context.router = router_.get();
  context.cloud = cloud_.get();
  context.module = slot_.module;
  context.broadcast = QHostAddress(station_.broadcast);
  context.routerSsid = station_.homeRouter ? station_.homeRouter->ssid : QString();
  if (cloud_) context.eventSources << cloud_.get();
  if (router_) context.eventSources << router_.get();
}

void StationModulePlugs::prepare(SetupState setup, std::function<void(const QString&)> done,
                                 RigMillis timeoutMs) {
  if (setup == SetupState::Any) {
    done({});
    return;
  }
  if (setup == SetupState::Station && onboarding() == HomeRouterConfig::Onboarding::OnLan) {
    preparing_ = std::make_unique<QObject>();
    checkModuleOnLan(*app_, *mcu_, slot_.module, preparing_.get(), std::min<RigMillis>(timeoutMs, 10000),
                     std::move(done));
    return;
  }
  resetModule(
      [this, setup, done = std::move(done), timeoutMs](const QString& error) {
        if (!error.isEmpty() || setup != SetupState::Station) {
          done(error);
          return;
        }
        onboard(done, timeoutMs);
      },
      timeoutMs);
}

HomeRouterConfig::Onboarding StationModulePlugs::onboarding() const {
  return station_.homeRouter ? station_.homeRouter->onboarding : HomeRouterConfig::Onboarding::SoftAp;
}

// From SoftAP (just reset) onto the home router.
void StationModulePlugs::onboard(std::function<void(const QString&)> done, RigMillis timeoutMs) {
  const HomeRouterConfig& home = *station_.homeRouter;
  if (home.onboarding == HomeRouterConfig::Onboarding::Mcu) {
    mcuOnboarding_->start(home.ssid, home.password, std::move(done), timeoutMs);
  } else {
    onboarding_->start(slot_.module, home.ssid, home.password, std::move(done), timeoutMs);
  }
}

// The MCU's reset (0x0B, S8.3): the module forgets its router and comes up again in SoftAP, as a factory-new
// one does. Done once its start-up handshake came and its status word says SoftAP.
void StationModulePlugs::resetModule(std::function<void(const QString&)> done, RigMillis timeoutMs) {
  preparing_ = std::make_unique<QObject>();
  QObject* attempt = preparing_.get();
  auto finished = std::make_shared<bool>(false);
  auto finish = [finished, done](const QString& error) {
    if (*finished) return;
    *finished = true;
    done(error);
  };
  const int handshakesBefore = mcu_->handshakeCount();
  const auto ready = [this, handshakesBefore] {
    return mcu_->handshakeCount() > handshakesBefore && mcu_->wifiStatus().softAp &&
           !mcu_->wifiStatus().station;
  };
  // The word after the reboot may equal the one before (a module already in SoftAP): statusChanged would not
  // fire, so the plug's state is looked at on every status push and handshake instead.
  const auto check = [ready, finish] {
    if (ready()) finish({});
  };
  QObject::connect(mcu_.get(), &McuPlug::event, attempt, [check](const QString& name, const QVariantMap&) {
    if (name == QLatin1String("mcu.status") || name == QLatin1String("mcu.handshake")) check();
  });
  QObject::connect(mcu_.get(), &McuPlug::commandTimedOut, attempt, [finish](quint8 cmd, quint8) {
    if (cmd == 0x0B) finish(QStringLiteral("the module did not ACK the reset (0x0B)"));
  });
  clock_.callAfter(timeoutMs, attempt, [this, finish, timeoutMs] {
    finish(QStringLiteral("after the reset (0x0B) the module did not come back in SoftAP within %1 s "
                          "(status %2)")
               .arg(timeoutMs / 1000)
               .arg(QStringLiteral("0x%1").arg(mcu_->statusWord().value_or(0), 4, 16, QLatin1Char('0'))));
  });
  mcu_->sendResetModule();
}

}  // namespace gizrig::lab
