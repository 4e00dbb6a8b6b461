#pragma once
#include <QStringList>

namespace gizrig::cli {
// gizrig decode [--as mcu|lan|mqtt] [HEX...]: names the frames of a hex dump (stdin when no HEX is given).
int runDecode(const QStringList& arguments);
}  // namespace gizrig::cli
