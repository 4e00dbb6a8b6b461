#pragma once
// Loads scenario and suite files (JSON, QJsonDocument) into scenario.h's model. Every error names the file,
// the step and the field, e.g.
//   certification/x.json: steps[2].within: bad duration "10x" (use 200ms, 10s, 3min or 2h)
//   x.json: steps[0].do: unknown action "mcu.sned"
// so a QA engineer can fix a file without reading the engine.

#include <QByteArray>
#include <QString>
#include <optional>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario.h"

namespace gizrig::core {

class ScenarioLoader {
 public:
  // Action names (and their parameter checks) come from the registry the scenarios will run with.
  explicit ScenarioLoader(const ActionRegistry& actions) : actions_(actions) {}

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
};

}  // namespace gizrig::core
