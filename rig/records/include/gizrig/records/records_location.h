#pragma once
// Where the records live when nobody says: one per-user file shared by `gizrig production`, `gizrig run`,
// `gizrig report`, `gizrig export` and the GUI, so a run recorded by one is read by the others. `--db` (or a
// station file's "database") overrides it.

#include <QString>

namespace gizrig::core {

// $XDG_DATA_HOME/gizrig/records.db (~/.local/share/gizrig/records.db when unset).
[[nodiscard]] QString defaultRecordsPath();

// For a writer: creates the directory an SQLite path lives in (a PostgreSQL URL needs nothing). False with
// `error` set when it cannot be made.
bool prepareRecordsLocation(const QString& spec, QString* error);

// For a reader: an SQLite file that does not exist is an error (opening it would create an empty database
// and report nothing as if all were well). PostgreSQL URLs pass; the server says whether the database exists.
bool recordsExist(const QString& spec, QString* error);

}  // namespace gizrig::core
