#pragma once
#include <QString>
#include <vector>

#include "gizrig/records/run_record.h"

namespace gizrig::cli {
// Writes the runs as JUnit XML and/or a JSON array (an empty path skips that output). False, with a message
// on stderr naming the file, when one cannot be written.
bool writeRunOutputs(const QString& command, const QString& junitPath, const QString& jsonPath,
                     const std::vector<core::RunRecord>& runs);
}  // namespace gizrig::cli
