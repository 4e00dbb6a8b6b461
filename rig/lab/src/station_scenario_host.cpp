#include "gizrig/lab/station_scenario_host.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/engine/engine_runner.h"
#include "gizrig/lab/station_module_plugs.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/power_cycle.h"
#include "gizrig/production/slot_trace.h"
#include "host_wait.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {

constexpr int kStatusPushWaitMs = 3000;
constexpr int kHandshakeGuardMs = 30000;
constexpr int kSetupGuardMs = 120000;

// The run's trace file, `<slot>-<scenario>-<time>.trace` in `directory` (null: no directory, or it could not
// be created: said on the log line, the run goes on untraced).
std::unique_ptr<SlotTrace> startTrace(const QString& directory, const StationConfig& station,
                                      const SlotConfig& slot, const Scenario& scenario,
                                      StationModulePlugs& plugs, RigClock& clock,
                                      const std::function<void(const QString&)>& logLine) {
  if (directory.isEmpty()) return nullptr;
  QString scenarioPart = scenario.name;
  scenarioPart.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
  const QDateTime now = QDateTime::currentDateTimeUtc();
  const QString name = QStringLiteral("%1-%2-%3.trace")
                           .arg(slot.name, scenarioPart, now.toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
  const QString header = QStringLiteral("gizrig wire trace: station %1, slot %2, scenario \"%3\", started %4")
                             .arg(station.station, slot.name, scenario.name, now.toString(Qt::ISODateWithMs));
  QString error;
  auto trace = SlotTrace::create(QDir(directory).filePath(name), header, clock, &error);
  if (!trace) {
    if (logLine) logLine(error);
    return nullptr;
  }
  trace->attach(&plugs.mcu(), &plugs.lanTap());
  return trace;
}

}  // namespace

RunRecord runScenarioOnStation(const Scenario& scenario, const ActionRegistry& actions,
                               const StationConfig& station, const SlotConfig& slot,
                               const StationRunOptions& options) {
  const QString stationName = station.station + "/" + slot.name;
  const auto setupError = [&](const QString& why) {
    RunRecord run = setupErrorRun(stationName, scenario.name, RunMode::Real,
                                  cancelRequested(options.cancelled) ? kRunCancelled : why);
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
  // shows it is there; a silent one is restarted (0x29) as the production test does, and one that does not
  // restart on 0x29 (GAgent v4.2.6 only ACKs it) is power-cycled when the slot can.
  const auto statusKnown = [&] { return plugs.mcu().statusWord().has_value(); };
  if (!spinUntil(statusKnown, kStatusPushWaitMs, options.cancelled)) {
    plugs.mcu().sendRestartModule();
    const bool canPowerCycle = !slot.powerCycle.isEmpty();
    bool up =
        spinUntil(statusKnown, canPowerCycle ? static_cast<int>(kRestartHandshakeWaitMs) : kHandshakeGuardMs,
                  options.cancelled);
    if (!up && canPowerCycle && !cancelRequested(options.cancelled)) {
      if (options.logLine)
        options.logLine(
            QStringLiteral("slot %1: no status after the restart 0x29 within %2 s: power-cycling it")
                .arg(slot.name)
                .arg(kRestartHandshakeWaitMs / 1000));
      if (!startPowerCycle(slot.powerCycle))
        return setupError(
            QStringLiteral("slot %1's power_cycle command could not be started").arg(slot.name));
      up = spinUntil(statusKnown, kHandshakeGuardMs, options.cancelled);
    }
    if (!up)
      return setupError(canPowerCycle
                            ? QStringLiteral("the module neither pushed its status nor answered a "
                                             "restart (0x29) nor its power cycle")
                            : QStringLiteral("the module neither pushed its status nor answered a "
                                             "restart (0x29); the slot has no power_cycle command"));
  }
  // Traced from the setup on: a failed onboarding is often what the engineer wants to read.
  std::unique_ptr<SlotTrace> trace =
      startTrace(options.traceDirectory, station, slot, scenario, plugs, clock, options.logLine);
  std::optional<QString> prepared;
  plugs.prepare(scenario.setup, [&](const QString& e) { prepared = e; });
  spinUntil([&] { return prepared.has_value(); }, kSetupGuardMs, options.cancelled);
  if (!prepared) return setupError(QStringLiteral("%1 never ended").arg(setupStateName(scenario.setup)));
  if (!prepared->isEmpty()) return setupError(*prepared);

  RunContext context(clock);
  plugs.fill(context);
  ScenarioRunner runner(context, actions);
  if (options.logLine) QObject::connect(&runner, &ScenarioRunner::logLine, options.logLine);
  RunOptions runOptions;
  runOptions.station = stationName;
  runOptions.mode = RunMode::Real;
  runOptions.store = options.store;
  if (trace) runOptions.trace = trace->path();
  runner.setOptions(runOptions);
  std::optional<RunRecord> result;
  QObject::connect(&runner, &ScenarioRunner::finished, [&](const RunRecord& record) { result = record; });
  if (cancelRequested(options.cancelled)) return setupError(kRunCancelled);
  if (!runner.start(scenario)) return setupError(QStringLiteral("the engine is busy"));
  if (!spinUntil([&] { return result.has_value(); }, options.guardMs, options.cancelled)) {
    runner.abort(cancelRequested(options.cancelled)
                     ? kRunCancelled
                     : QStringLiteral("the scenario did not end within %1 min").arg(options.guardMs / 60000));
    spinUntil([&] { return result.has_value(); }, 2000, {});  // the abort's own short wait: not cancellable
  }
  return result ? *result : setupError(QStringLiteral("the scenario never ended"));
}

}  // namespace gizrig::lab
