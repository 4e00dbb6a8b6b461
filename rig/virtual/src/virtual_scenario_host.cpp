#include "gizrig/virtual/virtual_scenario_host.h"

#include <QDateTime>
#include <QDir>

#include "gizrig/engine/engine_runner.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/virtual/virtual_world.h"

namespace gizrig::core {

namespace {

constexpr RigMillis kSetupLimitMs = 5LL * 60 * 1000;

// S6.2.5: the phone on the module's SoftAP sends the home router's credentials; the module reboots and joins.
QString onboardToHomeRouter(VirtualWorld& world, AppPlug& app) {
  std::optional<AppReply> reply;
  app.softApOnboard(VirtualWorld::moduleSoftApAddress(), kVirtualHomeSsid, kVirtualHomePassword, {},
                    [&](const AppReply& r) { reply = r; });
  world.clock().runUntil([&] { return reply.has_value(); }, world.nowMs() + kSetupLimitMs);
  if (!reply || !reply->ok())
    return QStringLiteral("setup: SoftAP onboarding failed: %1").arg(reply ? reply->error : "no answer");
  const bool joined = world.clock().runUntil([&] { return world.mcu()->wifiStatus().routerConnected; },
                                             world.nowMs() + kSetupLimitMs);
  return joined ? QString() : QStringLiteral("setup: the module did not join %1").arg(kVirtualHomeSsid);
}

}  // namespace

RunRecord runScenarioVirtual(const Scenario& scenario, const ActionRegistry& actions,
                             const VirtualRunOptions& options) {
  VirtualWorldOptions worldOptions;
  worldOptions.productFile =
      QDir(options.fixturesDir)
          .filePath(scenario.product.isEmpty() ? QStringLiteral("products/gokit-demo.json")
                                               : scenario.product);
  worldOptions.testRouters = scenario.setup == SetupState::Production || scenario.tags.contains("production");
  worldOptions.seed = options.seed;
  QString error;
  auto world = VirtualWorld::create(worldOptions, error);
  if (!world) return setupErrorRun(options.station, scenario.name, RunMode::Virtual, error);
  world->runFor(1000);  // power-on: handshake and the first status push

  AppPlug app(world->clock(), world->lanLinks());
  app.setProduct(world->sharedProduct());
  app.listenAnnouncements();  // 0005 / 0019 on UDP 2415 (S7.1.1, S6.1.3)
  if (scenario.setup == SetupState::Station) {
    const QString setupError = onboardToHomeRouter(*world, app);
    if (!setupError.isEmpty())
      return setupErrorRun(options.station, scenario.name, RunMode::Virtual, setupError);
  }

  RunContext context(world->clock());
  context.mcu = world->mcu();
  context.app = &app;
  context.router = &world->router();
  context.cloud = &world->cloudControl();
  context.module = scenario.setup == SetupState::Unconfigured ? VirtualWorld::moduleSoftApAddress()
                                                              : VirtualWorld::moduleStationAddress();
  context.broadcast = VirtualWorld::homeLanBroadcast();
  context.routerSsid = kVirtualHomeSsid;
  context.eventSources << &world->cloudControl();

  ScenarioRunner runner(context, actions);
  if (options.stepFinished) QObject::connect(&runner, &ScenarioRunner::stepFinished, options.stepFinished);
  RunOptions runOptions;
  runOptions.station = options.station;
  runOptions.mode = RunMode::Virtual;
  runOptions.store = options.store;
  runner.setOptions(runOptions);
  std::optional<RunRecord> result;
  QObject::connect(&runner, &ScenarioRunner::finished, [&](const RunRecord& record) { result = record; });
  if (!runner.start(scenario))
    return setupErrorRun(options.station, scenario.name, RunMode::Virtual,
                         QStringLiteral("the engine is busy"));
  const auto cancelled = [&] { return options.cancelled && options.cancelled(); };
  world->clock().runUntil([&] { return result.has_value() || cancelled(); },
                          world->nowMs() + options.limitMs);
  if (!result) {
    runner.abort(cancelled() ? QStringLiteral("cancelled")
                             : QStringLiteral("the scenario did not end within %1 min of virtual time")
                                   .arg(options.limitMs / 60000));
    world->clock().runUntil([&] { return result.has_value(); }, world->nowMs() + 1000);
  }
  return result ? *result
                : setupErrorRun(options.station, scenario.name, RunMode::Virtual,
                                QStringLiteral("the scenario never ended"));
}

}  // namespace gizrig::core
