#pragma once
// The records for the factory's own systems (MES, SPC, a spreadsheet): flat rows, one per measurement, each
// carrying its limits, unit and verdict, the step and the run it belongs to (DUT ids, station, times). A step
// that measured nothing gets one row with the measurement columns empty, so a failing step without a value
// is not lost. Times are UTC, ISO 8601 with milliseconds.

#include <QByteArray>
#include <QStringList>
#include <optional>
#include <vector>

#include "gizrig/records/record_store.h"
#include "gizrig/records/run_record.h"

namespace gizrig::core {

// The runs `query` selects, each read in full (steps, measurements), oldest first (a factory system appends
// in time order): what `gizrig export` and the operator view's export write. nullopt with `error` when the
// store fails.
[[nodiscard]] std::optional<std::vector<RunRecord>> runsForExport(RecordStore& store, const RunQuery& query,
                                                                  QString* error);

// The column names, in order: the CSV header and the JSON keys.
[[nodiscard]] QStringList exportColumns();
// The rows of `runs` (each with its steps), every cell as text ("" when absent).
[[nodiscard]] std::vector<QStringList> exportRows(const std::vector<RunRecord>& runs);
// RFC 4180 CSV (header line, CRLF line ends, fields quoted when they hold a comma, quote or line break).
[[nodiscard]] QByteArray exportCsv(const std::vector<RunRecord>& runs);
// A JSON array of objects keyed by exportColumns(), cells as in the CSV except value (a number, or the text
// a text measurement holds), low and high (numbers); null when absent.
[[nodiscard]] QByteArray exportJson(const std::vector<RunRecord>& runs);

}  // namespace gizrig::core
