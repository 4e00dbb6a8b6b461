#pragma once
// QJsonDocument keeps the last of two equal keys in one object without a word, so a scenario or station file
// with `"within": "1s", ..., "within": "10s"` would run with a value its author may not have meant. The
// loaders call this on text QJsonDocument already accepted and refuse a file with a duplicate.

#include <QByteArray>
#include <QString>
#include <optional>

namespace gizrig::core {

// The path of the first key that appears twice in one object, e.g. "steps[2].within" (a top-level key is
// its bare name), or nullopt. `json` must be valid JSON (parse it with QJsonDocument first).
[[nodiscard]] std::optional<QString> findDuplicateJsonKey(const QByteArray& json);

}  // namespace gizrig::core
