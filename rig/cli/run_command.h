#pragma once
#include <QStringList>

namespace gizrig::cli {
// gizrig run <scenario.json | suite.json> --virtual: scenarios from fixtures/ against the firmware in virtual
// time.
int runScenarios(const QStringList& arguments);
// gizrig report [--db SPEC] [--out FILE]: the HTML report with yield per station from the records.
int runReport(const QStringList& arguments);
}  // namespace gizrig::cli
