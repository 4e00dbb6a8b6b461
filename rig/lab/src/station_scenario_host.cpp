#include "gizrig/lab/station_scenario_host.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/engine/engine_runner.h"
#include "gizrig/lab/station_module_plugs.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {

constexpr int kHandshakeGuardMs = 30000;
constexpr int kSetupGuardMs = 120000;
const QString kCancelled = QStringLiteral("cancelled");

bool cancelRequested(const StationRunOptions& options) {
  return options.cancelled && options.cancelled();
}

// Spins the Qt event loop until `done`, a cancel, or the wall-clock guard (a safety net, not a measurement).
template <typename Done>
bool spin(Done&& done, int guardMs, const StationRunOptions& options) {
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

}  // namespace

RunRecord runScenarioOnStation(const Scenario& scenario, const ActionRegistry& actions,
                               const StationConfig& station, const SlotConfig& slot,
                               const StationRunOptions& options) {
  const QString stationName = station.station + "/" + slot.name;
  const auto setupError = [&](const QString& why) {
    RunRecord run =
        setupErrorRun(stationName, scenario.name, RunMode::Real, cancelRequested(options) ? kCancelled : why);
    if (options.store != nullptr) options.store->saveRun(run);
    return run;
  };
  RealClock clock;
  QString error;
  const QString productPath =
      QDir(options.fixturesDir).filePath(scenario.product.isEmpty() ? station.product : scenario.product);
  auto product = McuPlug::loadProductFile(productPath, error);
  if (!product) return setupError(error);
  StationModulePlugs plugs(station, slot, std::make_shared<const gagent::proto::Product>(*product), clock);
  if (const QString missing = plugs.missingFor(scenario); !missing.isEmpty()) {
    RunRecord run = skippedRun(stationName, scenario.name, RunMode::Real,
                               QStringLiteral("the station cannot provide: %1").arg(missing));
    if (options.store != nullptr) options.store->saveRun(run);
    return run;
  }
  if (!plugs.open(&error)) return setupError(QStringLiteral("serial port: %1").arg(error));
  // A module that is already up does not handshake again by itself: its next status push (or heartbeat)
  // shows it is there; a silent one is restarted (0x29) as the production test does.
  if (!spin([&] { return plugs.mcu().statusWord().has_value(); }, 3000, options)) {
    plugs.mcu().sendRestartModule();
    if (!spin([&] { return plugs.mcu().statusWord().has_value(); }, kHandshakeGuardMs, options))
      return setupError(
          QStringLiteral("the module neither pushed its status nor answered a restart (0x29)"));
  }
  std::optional<QString> prepared;
  plugs.prepare(scenario.setup, [&](const QString& e) { prepared = e; });
  spin([&] { return prepared.has_value(); }, kSetupGuardMs, options);
  if (!prepared)
    return setupError(QStringLiteral("%1 never ended").arg(setupStateName(scenario.setup)));
  if (!prepared->isEmpty()) return setupError(*prepared);

  RunContext context(clock);
  plugs.fill(context);
  ScenarioRunner runner(context, actions);
  if (options.logLine) QObject::connect(&runner, &ScenarioRunner::logLine, options.logLine);
  RunOptions runOptions;
  runOptions.station = stationName;
  runOptions.mode = RunMode::Real;
  runOptions.store = options.store;
  runner.setOptions(runOptions);
  std::optional<RunRecord> result;
  QObject::connect(&runner, &ScenarioRunner::finished, [&](const RunRecord& record) { result = record; });
  if (cancelRequested(options)) return setupError(kCancelled);
  if (!runner.start(scenario)) return setupError(QStringLiteral("the engine is busy"));
  if (!spin([&] { return result.has_value(); }, options.guardMs, options)) {
    runner.abort(cancelRequested(options)
                     ? kCancelled
                     : QStringLiteral("the scenario did not end within %1 min").arg(options.guardMs / 60000));
    const StationRunOptions uncancellable{};
    spin([&] { return result.has_value(); }, 2000, uncancellable);
  }
  return result ? *result : setupError(QStringLiteral("the scenario never ended"));
}

}  // namespace gizrig::lab
