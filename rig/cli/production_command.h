#pragma once
#include <QStringList>

namespace gizrig::cli {
// gizrig production: the end-of-line test on a station's slots (real ports, --sim lab modules, --virtual).
int runProduction(const QStringList& arguments);
}  // namespace gizrig::cli
