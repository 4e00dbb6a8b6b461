#pragma once
// Runs a scenario in virtual time against the firmware core in-process: a fresh VirtualWorld per scenario
// (home router HomeNet/password1, the test routers for production setups), the module brought to the
// scenario's setup state, the standard plugs wired into the engine's RunContext. What `gizrig run --virtual`,
// the certification suite test and the GUI's QA view use.

#include <QString>
#include <functional>
#include <optional>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario.h"
#include "gizrig/records/record_store.h"
#include "gizrig/records/run_record.h"

namespace gizrig::core {

struct VirtualRunOptions {
  QString fixturesDir;  // products are relative to it
  RecordStore* store = nullptr;
  QString station = QStringLiteral("virtual");
  RigMillis limitMs = 4LL * 3600 * 1000;  // virtual time a scenario may take (a 2-hour rule fits)
  std::uint64_t seed = 1;
  // Polled while the scenario runs (between virtual-time events): when it answers true the run ends at once
  // (the engine's abort: the step in progress is an ERROR "aborted: cancelled"); the caller decides what the
  // run then is (gizrig run: ABORTED).
  std::function<bool()> cancelled;
  // Each finished step, as it finishes (the QA view's per-scenario progress).
  std::function<void(const StepRecord&)> stepFinished;
};

// The run record; an ERROR record (never nullopt) when the world or the setup could not be built.
RunRecord runScenarioVirtual(const Scenario& scenario, const ActionRegistry& actions,
                             const VirtualRunOptions& options);

}  // namespace gizrig::core
