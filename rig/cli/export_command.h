#pragma once
#include <QStringList>

namespace gizrig::cli {

// gizrig export: the records as flat rows (one per measurement) in CSV or JSON for the factory's systems.
int runExport(const QStringList& arguments);

}  // namespace gizrig::cli
