#pragma once
#include <QStringList>

namespace gizrig::cli {
// gizrig lab up|down|status|serve: the virtual lab (docs/virtual-lab.md).
int runLab(const QStringList& arguments);
}  // namespace gizrig::cli
