#pragma once
// Runs a scenario in real time against a virtual module in a lab of its own (gagent-sim on a pty, the virtual
// air, the stand-in cloud on mosquitto): the same scenario files that run in virtual time
// (virtual_scenario_host.h). The module is factory-new at the start; a "station" setup onboards it over
// SoftAP to HomeNet through the air.

#include <QString>
#include <functional>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario.h"
#include "gizrig/records/record_store.h"
#include "gizrig/records/run_record.h"

namespace gizrig::lab {

struct LabRunOptions {
  QString fixturesDir;
  core::RecordStore* store = nullptr;
  QString station = QStringLiteral("lab");
  int guardMs = 15 * 60 * 1000;  // wall-clock safety net for a scenario that never ends
  // Polled (from the running thread) wherever the host waits: the lab setup and the scenario. When it
  // answers true the run ends at once as ERROR "cancelled" (the engine's abort during the steps, a setup
  // error before them) and the lab's processes are stopped and reaped before runScenarioInLab returns.
  std::function<bool()> cancelled;
  // The engine's log lines (steps, attempts, outcome) and the lab's (module restarts), as they happen.
  std::function<void(const QString&)> logLine;
  // Each finished step, as it finishes (the QA view's per-scenario progress).
  std::function<void(const core::StepRecord&)> stepFinished;
};

core::RunRecord runScenarioInLab(const core::Scenario& scenario, const core::ActionRegistry& actions,
                                 const LabRunOptions& options);

}  // namespace gizrig::lab
