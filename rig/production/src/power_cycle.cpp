#include "gizrig/production/power_cycle.h"

#include <QProcess>

namespace gizrig::core {

bool startPowerCycle(const QString& command) {
  return QProcess::startDetached(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
}

}  // namespace gizrig::core
