#pragma once
#include <QStringList>

namespace gizrig::cli {
// gizrig flash: writes firmware images through the ESP ROM serial loader (docs/flashing.md).
int runFlash(const QStringList& arguments);
}  // namespace gizrig::cli
