#pragma once
// The operator view's export (issue 13): the same rows as `gizrig export` (rig/records record_export.h), of
// the runs a query selects, oldest first, written all or nothing (QSaveFile).

#include <QString>

#include "gizrig/records/record_store.h"

namespace gizrig::gui {

// CSV, or JSON when `path` ends in ".json". The number of runs written, or -1 with `error`.
int exportRecords(core::RecordStore& store, const core::RunQuery& query, const QString& path, QString* error);

}  // namespace gizrig::gui
