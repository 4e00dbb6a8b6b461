#pragma once
// The run record's outputs besides the database: JUnit XML for CI, JSON (one document per run) for tools, and
// a self-contained HTML report for people. All are pure functions of the records.

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>
#include <vector>

#include "gizrig/records/run_record.h"

namespace gizrig::core {

// <testsuites> with a <testsuite> per run (name = scenario, hostname = station, properties = ids, versions,
// mode) and a <testcase> per step (<failure> for FAIL, <error> for ERROR, measurements in <system-out>). A
// run that failed outside any step, or never finished, gets one extra testcase "(run)" carrying that.
[[nodiscard]] QByteArray toJunitXml(const std::vector<RunRecord>& runs);

// One JSON document per run, steps and measurements included; times are UTC ms. Absent limits and the outcome
// of an unfinished run are left out, not null.
[[nodiscard]] QJsonObject runToJson(const RunRecord& run);
[[nodiscard]] QByteArray runToJsonDocument(const RunRecord& run);  // indented UTF-8
// The inverse of runToJson; nullopt with `error` naming the field on a malformed document.
[[nodiscard]] std::optional<RunRecord> runFromJson(const QJsonObject& json, QString* error);
[[nodiscard]] std::optional<RunRecord> runFromJsonDocument(const QByteArray& document, QString* error);

// A complete HTML page with inline CSS and no external assets: a per-station yield table, the runs (newest
// first, as given) and the failing steps with their messages (steps only for runs that carry them).
[[nodiscard]] QString renderHtmlReport(const std::vector<RunRecord>& runs,
                                       const std::vector<StationYield>& yield);

}  // namespace gizrig::core
