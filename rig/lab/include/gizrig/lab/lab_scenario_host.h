#pragma once
// Runs a scenario in real time against a virtual module in a lab of its own (gagent-sim on a pty, the virtual
// air, the stand-in cloud on mosquitto): the same scenario files that run in virtual time
// (virtual_scenario_host.h). The module is factory-new at the start; a "station" setup onboards it over
// SoftAP to HomeNet through the air.

#include <QString>

#include "gizrig/core/engine_actions.h"
#include "gizrig/core/record_store.h"
#include "gizrig/core/run_record.h"
#include "gizrig/core/scenario.h"

namespace gizrig::lab {

struct LabRunOptions {
  QString fixturesDir;
  core::RecordStore* store = nullptr;
  QString station = QStringLiteral("lab");
  int guardMs = 15 * 60 * 1000;  // wall-clock safety net for a scenario that never ends
};

core::RunRecord runScenarioInLab(const core::Scenario& scenario, const core::ActionRegistry& actions,
                                 const LabRunOptions& options);

}  // namespace gizrig::lab
