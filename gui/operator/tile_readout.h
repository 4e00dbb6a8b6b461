#pragma once
// What a slot tile says beyond its verdict, in the operator's words (issue 13): the step in progress as an
// action ("Connecting to the test WiFi"), the time it has taken against that step's limit and the whole
// test's expected time, and once finished the values that decide a module (signal level, join time, round
// trip) against their limits. Free functions of plain data, so they are tested without a display.

#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

#include "gizrig/production/station_config.h"
#include "gizrig/records/run_record.h"

namespace gizrig::gui {

class SlotTile;

// "Connecting to the test WiFi" for "join_test_router"; an unknown step reads as its name in words.
[[nodiscard]] QString plainStep(const QString& step);

// The limit ProductionSequence holds the step to: its own for the join (max_join_ms), step_timeout_ms else.
[[nodiscard]] std::int64_t stepLimitMs(const QString& step, const core::ProductionLimits& limits);

// The longest a whole test may take: every step at its limit.
[[nodiscard]] std::int64_t worstCaseTestMs(const core::ProductionLimits& limits);

// The typical length of a test here: the median of the PASS runs' durations (newest first, at most 50
// looked at), nullopt before the first PASS.
[[nodiscard]] std::optional<std::int64_t> typicalTestMs(const std::vector<core::RunRecord>& runs);

// "1.2 s", "850 ms", "2 min 5 s".
[[nodiscard]] QString durationText(std::int64_t ms);

// A running tile's lines: "Step 5 of 10: Connecting to the test WiFi", "this step 2.1 s (limit 60 s)",
// "whole test 3.4 s (usually 4.1 s)" - or "(at most 3 min 15 s)" before a PASS was seen.
[[nodiscard]] QStringList runningLines(const SlotTile& tile, std::int64_t nowMs,
                                       const core::ProductionLimits& limits,
                                       std::optional<std::int64_t> typicalMs);

// A finished tile's deciding values, one line each: "Signal level 5 (at least 3)", "Join time 1.2 s (at
// most 60 s)", "Round trip 85 ms (at most 3 s)"; a value outside its limits ends in "- OUT OF LIMITS". A
// value the run never reached is left out.
[[nodiscard]] QStringList measuredLines(const std::vector<core::Measurement>& measurements);

}  // namespace gizrig::gui
