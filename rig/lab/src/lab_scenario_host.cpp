#include "gizrig/lab/lab_scenario_host.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include "gizrig/cloud/app_client.h"
#include "gizrig/cloud/cloud_plug.h"
#include "gizrig/core/air_router_backend.h"
#include "gizrig/core/app_plug.h"
#include "gizrig/core/engine_runner.h"
#include "gizrig/core/mcu_plug.h"
#include "gizrig/core/qserialport_link.h"
#include "gizrig/core/qt_lan_links.h"
#include "gizrig/core/rig_clock.h"
#include "gizrig/core/router_plug.h"
#include "gizrig/lab/lab_service.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {

constexpr quint16 kRouterBit = 1u << 4;
constexpr int kSetupGuardMs = 60000;
const QString kHomeSsid = QStringLiteral("HomeNet");
const QString kHomePassword = QStringLiteral("password1");

const QString kCancelled = QStringLiteral("cancelled");

// Whether the caller asked to stop (LabRunOptions::cancelled).
bool cancelRequested(const LabRunOptions& options) {
  return options.cancelled && options.cancelled();
}

// Spins the Qt event loop until `done`, a cancel, or the wall-clock guard (a safety net, not a measurement).
// The guard timer also wakes the loop at least every 50 ms, so a cancel is seen while nothing else happens.
template <typename Done>
bool spin(Done&& done, int guardMs, const LabRunOptions& options) {
  QEventLoop loop;
  QTimer guard;
  guard.setSingleShot(true);
  guard.start(guardMs);
  QTimer wake;
  wake.start(50);
  while (!done() && guard.isActive() && !cancelRequested(options)) {
    loop.processEvents(QEventLoop::WaitForMoreEvents, 50);
  }
  return done();
}

// S6.2.5 through the air: the phone joins the module's SoftAP and sends the home router's credentials.
QString onboard(AirRouterBackend& air, AppPlug& app, McuPlug& mcu, const LabRunOptions& options) {
  std::optional<QString> softAp;
  air.modules([&](const RouterResult& result, const QList<AirModule>& modules) {
    softAp = result.ok && !modules.isEmpty() ? modules.front().softApSsid : QString();
  });
  if (!spin([&] { return softAp.has_value(); }, kSetupGuardMs, options) || softAp->isEmpty()) {
    return QStringLiteral("setup: the module's SoftAP is not in the air");
  }
  std::optional<QHostAddress> address;
  air.softApJoin(
      *softAp, QStringLiteral("123456789"),
      [&](const RouterResult& result, const QHostAddress& ip) { address = result.ok ? ip : QHostAddress(); });
  if (!spin([&] { return address.has_value(); }, kSetupGuardMs, options) || address->isNull()) {
    return QStringLiteral("setup: could not join the module's SoftAP");
  }
  std::optional<AppReply> reply;
  app.softApOnboard(*address, kHomeSsid, kHomePassword, {}, [&](const AppReply& r) { reply = r; });
  if (!spin([&] { return reply.has_value(); }, kSetupGuardMs, options) || !reply->ok()) {
    return QStringLiteral("setup: SoftAP onboarding failed: %1").arg(reply ? reply->error : "no answer");
  }
  if (!spin([&] { return (mcu.statusWord().value_or(0) & kRouterBit) != 0; }, kSetupGuardMs, options)) {
    return QStringLiteral("setup: the module did not join %1").arg(kHomeSsid);
  }
  return {};
}

}  // namespace

RunRecord runScenarioInLab(const Scenario& scenario, const ActionRegistry& actions,
                           const LabRunOptions& options) {
  QTemporaryDir dir;
  LabOptions labOptions;
  labOptions.runDir = dir.path();
  labOptions.modules = 1;
  labOptions.freshModules = true;
  labOptions.production = scenario.setup == SetupState::Production || scenario.tags.contains("production");
  // A run that cannot start, or was cancelled before its steps: one ERROR "setup" step saying which.
  const auto setupError = [&](const QString& why) {
    return setupErrorRun(options.station, scenario.name, RunMode::Real,
                         cancelRequested(options) ? kCancelled : why);
  };
  if (cancelRequested(options)) return setupError(kCancelled);
  LabService lab(labOptions);
  if (options.logLine) QObject::connect(&lab, &LabService::logLine, options.logLine);
  QString error;
  if (!lab.start(&error)) return setupError(QStringLiteral("lab: %1").arg(error));
  const ModuleEntry module = lab.state().modules.front();

  RealClock clock;
  const QString productPath =
      QDir(options.fixturesDir)
          .filePath(scenario.product.isEmpty() ? QStringLiteral("products/gokit-demo.json")
                                               : scenario.product);
  auto product = McuPlug::loadProductFile(productPath, error);
  if (!product) return setupError(error);
  auto shared = std::make_shared<const gagent::proto::Product>(*product);
  QSerialPortLink serial(module.pty);
  McuPlug mcu(&serial, &clock, *product);
  if (!mcu.open()) return setupError(QStringLiteral("cannot open %1").arg(module.pty));
  if (!spin([&] { return mcu.statusWord().has_value(); }, kSetupGuardMs, options)) {
    return setupError(QStringLiteral("setup: no handshake from the module"));
  }
  QtLanLinkFactory links;
  AppPlug app(clock, links);
  app.setProduct(shared);
  app.listenAnnouncements();
  auto* airBackend =
      new AirRouterBackend(new QtStreamLink, clock, QHostAddress::LocalHost, lab.state().airPort);
  RouterPlug router{std::unique_ptr<RouterControl>(airBackend)};
  cloud::AppClient phone(QStringLiteral("127.0.0.1"), lab.state().mosquittoPort, lab.state().appUser,
                         lab.state().appPassword, QStringLiteral("rig-app"));
  phone.connectToBroker();
  cloud::CloudPlug cloudPlug(
      cloud::CloudPlugSettings{QStringLiteral("127.0.0.1"), lab.state().apiPort, 10000}, &phone);

  if (scenario.setup == SetupState::Station) {
    const QString onboardError = onboard(*airBackend, app, mcu, options);
    if (!onboardError.isEmpty()) return setupError(onboardError);
  }

  RunContext context(clock);
  context.mcu = &mcu;
  context.app = &app;
  context.router = &router;
  context.cloud = &cloudPlug;
  context.module = QHostAddress(module.ip);
  context.broadcast = QHostAddress(lab.state().broadcast);
  context.routerSsid = kHomeSsid;
  context.eventSources << &cloudPlug << &router;
  ScenarioRunner runner(context, actions);
  if (options.logLine) QObject::connect(&runner, &ScenarioRunner::logLine, options.logLine);
  RunOptions runOptions;
  runOptions.station = options.station;
  runOptions.mode = RunMode::Real;
  runOptions.store = options.store;
  runner.setOptions(runOptions);
  std::optional<RunRecord> result;
  QObject::connect(&runner, &ScenarioRunner::finished, [&](const RunRecord& record) { result = record; });
  if (cancelRequested(options)) return setupError(kCancelled);
  if (!runner.start(scenario)) return setupError(QStringLiteral("the engine is busy"));
  if (!spin([&] { return result.has_value(); }, options.guardMs, options)) {
    // abort() records the step in progress as ERROR and finishes the run (the store gets it too).
    runner.abort(cancelRequested(options)
                     ? kCancelled
                     : QStringLiteral("the scenario did not end within %1 min").arg(options.guardMs / 60000));
    const LabRunOptions uncancellable{};  // the abort's own short wait must not end early
    spin([&] { return result.has_value(); }, 2000, uncancellable);
  }
  lab.stop();
  return result ? *result
                : setupErrorRun(options.station, scenario.name, RunMode::Real,
                                QStringLiteral("the scenario never ended"));
}

}  // namespace gizrig::lab
