#pragma once
// A slot's power cycle: the station file's `power_cycle` shell command (a USB relay's command line), started
// detached so the caller goes on waiting for the module's start-up handshake.

#include <QString>

namespace gizrig::core {

// False when the shell could not be started (the command's own exit status is not waited for).
bool startPowerCycle(const QString& command);

}  // namespace gizrig::core
