#pragma once
// Runs a scenario in real time on one slot of a station (docs/real-station.md): a real module on a serial
// port and the line's LAN, or the lab standing in for one (`gizrig lab up --station-out`). What the station
// cannot provide (router control, the cloud, a power switch, SoftAP onboarding) makes the run SKIPPED with
// the reason, never a FAIL and never faked.

#include <QString>
#include <functional>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario.h"
#include "gizrig/production/station_config.h"
#include "gizrig/records/record_store.h"
#include "gizrig/records/run_record.h"

namespace gizrig::lab {

struct StationRunOptions {
  QString fixturesDir;
  core::RecordStore* store = nullptr;
  int guardMs = 15 * 60 * 1000;     // wall-clock safety net for a scenario that never ends
  std::function<bool()> cancelled;  // polled while waiting; true ends the run as ERROR "cancelled"
  std::function<void(const QString&)> logLine;
  // Where each run writes its wire trace (`--trace DIR`, an existing directory); "" = none.
  QString traceDirectory;
};

core::RunRecord runScenarioOnStation(const core::Scenario& scenario, const core::ActionRegistry& actions,
                                     const core::StationConfig& station, const core::SlotConfig& slot,
                                     const StationRunOptions& options);

}  // namespace gizrig::lab
