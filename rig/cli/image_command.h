#pragma once
#include <QStringList>

namespace gizrig::cli {
// gizrig image: writes a firmware image in the format the module's OTA path and boot check accept.
int runImage(const QStringList& arguments);
}  // namespace gizrig::cli
