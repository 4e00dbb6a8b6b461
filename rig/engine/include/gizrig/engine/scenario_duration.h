#pragma once
// Durations as scenario files write them: "200ms", "10s", "3min", "2h" (a non-negative integer and a unit,
// nothing else), so a typo such as "10x" or "10" is an error and never a silent default.

#include <QString>
#include <optional>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

// Milliseconds, or nullopt when `text` is not <digits><ms|s|min|h> (or overflows).
[[nodiscard]] std::optional<RigMillis> parseDuration(const QString& text);

// The shortest exact form: 200 -> "200ms", 10000 -> "10s", 180000 -> "3min", 7200000 -> "2h".
[[nodiscard]] QString formatDuration(RigMillis ms);

}  // namespace gizrig::core
