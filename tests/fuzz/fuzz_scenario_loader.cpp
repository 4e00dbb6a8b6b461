// libFuzzer target for the scenario loader (rig/engine scenario_loader.h): any bytes as a scenario file.
// It loads or says why, naming the file; what loads has steps, a product and only durations within
// kMaxScenarioDurationMs; no input crashes it, allocates without bound or throws.
#include <cstddef>
#include <cstdint>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario_loader.h"

using namespace gizrig::core;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ActionRegistry actions = standardActions();
  static const ScenarioLoader loader(actions, GAGENT_FIXTURES_DIR);
  const QByteArray json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
  QString error;
  const auto scenario = loader.loadJson(json, QStringLiteral("fuzz.json"), error);
  if (!scenario) {
    check(error.startsWith(QStringLiteral("fuzz.json: ")));
    return 0;
  }
  check(!scenario->steps.empty() && !scenario->product.isEmpty());
  for (const auto* list : {&scenario->steps, &scenario->teardown}) {
    for (const Step& step : *list) {
      check(step.waitMs >= 0 && step.waitMs <= kMaxScenarioDurationMs);
      if (step.within) check(*step.within >= 0 && *step.within <= kMaxScenarioDurationMs);
      if (step.timeout) check(*step.timeout >= 0 && *step.timeout <= kMaxScenarioDurationMs);
      check(!step.name.isEmpty());
    }
  }
  return 0;
}
