#include "gizrig/lab/lab_scenario_host.h"

#include <QDateTime>
#include <QDir>
#include <QTemporaryDir>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/engine/engine_runner.h"
#include "gizrig/lab/lab_module_plugs.h"
#include "gizrig/lab/lab_service.h"
#include "gizrig/plugs/mcu_plug.h"
#include "host_wait.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {

constexpr int kSetupGuardMs = 60000;

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
                         cancelRequested(options.cancelled) ? kRunCancelled : why);
  };
  if (cancelRequested(options.cancelled)) return setupError(kRunCancelled);
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
  LabModulePlugs plugs(lab.state(), module, std::make_shared<const gagent::proto::Product>(*product), clock);
  if (!plugs.open(&error)) return setupError(error);
  if (!spinUntil([&] { return plugs.mcu().statusWord().has_value(); }, kSetupGuardMs, options.cancelled)) {
    return setupError(QStringLiteral("setup: no handshake from the module"));
  }
  if (scenario.setup == SetupState::Station) {
    std::optional<QString> onboardError;
    plugs.onboard([&](const QString& e) { onboardError = e; }, kSetupGuardMs);
    spinUntil([&] { return onboardError.has_value(); }, kSetupGuardMs + 1000, options.cancelled);
    if (!onboardError)
      return setupError(cancelRequested(options.cancelled) ? kRunCancelled
                                                           : QStringLiteral("setup: onboarding never ended"));
    if (!onboardError->isEmpty()) return setupError(*onboardError);
  }

  RunContext context(clock);
  plugs.fill(context);
  ScenarioRunner runner(context, actions);
  if (options.logLine) QObject::connect(&runner, &ScenarioRunner::logLine, options.logLine);
  if (options.stepFinished) QObject::connect(&runner, &ScenarioRunner::stepFinished, options.stepFinished);
  RunOptions runOptions;
  runOptions.station = options.station;
  runOptions.mode = RunMode::Real;
  runOptions.store = options.store;
  runner.setOptions(runOptions);
  std::optional<RunRecord> result;
  QObject::connect(&runner, &ScenarioRunner::finished, [&](const RunRecord& record) { result = record; });
  if (cancelRequested(options.cancelled)) return setupError(kRunCancelled);
  if (!runner.start(scenario)) return setupError(QStringLiteral("the engine is busy"));
  if (!spinUntil([&] { return result.has_value(); }, options.guardMs, options.cancelled)) {
    // abort() records the step in progress as ERROR and finishes the run (the store gets it too).
    runner.abort(cancelRequested(options.cancelled)
                     ? kRunCancelled
                     : QStringLiteral("the scenario did not end within %1 min").arg(options.guardMs / 60000));
    spinUntil([&] { return result.has_value(); }, 2000, {});  // the abort's own short wait: not cancellable
  }
  lab.stop();
  return result ? *result
                : setupErrorRun(options.station, scenario.name, RunMode::Real,
                                QStringLiteral("the scenario never ended"));
}

}  // namespace gizrig::lab
