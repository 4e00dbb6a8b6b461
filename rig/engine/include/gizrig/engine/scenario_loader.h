#pragma once
// Loads scenario and suite files (JSON, QJsonDocument) into scenario.h's model. Every error names the file,
// the step and the field, e.g.
//   certification/x.json: steps[2].within: bad duration "10x" (use 200ms, 10s, 3min or 2h)
//   x.json: steps[0].do: unknown action "mcu.sned"
// so a QA engineer can fix a file without reading the engine. Mistakes of the scenario are load-time
// errors, never a FAIL blamed on the DUT: a "from": "@<step>" naming no earlier step, a data point the
// product lacks or a value outside its range (mcu.set, app.control, cloud.appControl), a product file that
// does not load, a duration over kMaxScenarioDurationMs, a key given twice in one object.

#include <QByteArray>
#include <QString>
#include <optional>

#include "gizrig/clock/rig_clock.h"

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario.h"

namespace gizrig::core {

// The longest wait, within or timeout a scenario may ask for: a day (virtual time runs it in milliseconds,
// real time would hang a station).
inline constexpr RigMillis kMaxScenarioDurationMs = 24LL * 60 * 60 * 1000;

class ScenarioLoader {
 public:
  // Action names (and their parameter checks) come from the registry the scenarios will run with.
  // `fixturesDir` is where "product" paths are resolved, as the hosts resolve them; empty: the parent of the
  // scenario file's directory (fixtures/scenarios/x.json -> fixtures).
  explicit ScenarioLoader(const ActionRegistry& actions, QString fixturesDir = {})
      : actions_(actions), fixturesDir_(std::move(fixturesDir)) {}

  [[nodiscard]] std::optional<Scenario> loadFile(const QString& path, QString& error) const;
  // `file` only names the source in errors and in Scenario::file.
  [[nodiscard]] std::optional<Scenario> loadJson(const QByteArray& json, const QString& file,
                                                 QString& error) const;

  // A suite: {"name", "description", "scenarios": ["handshake.json", ...], "tags": ["lan", ...]}. Listed
  // files come first in their order (relative to `scenariosDir`), then every scenario in `scenariosDir`
  // carrying one of the tags, by file name, each file once. Every listed scenario must load.
  // `scenariosDir` empty: "<suite's dir>/../scenarios".
  [[nodiscard]] std::optional<Suite> loadSuiteFile(const QString& path, QString& error,
                                                   const QString& scenariosDir = {}) const;

 private:
  const ActionRegistry& actions_;
  QString fixturesDir_;
};

}  // namespace gizrig::core
