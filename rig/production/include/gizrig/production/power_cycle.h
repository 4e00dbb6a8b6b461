#pragma once
// A slot's power cycle: the station file's `power_cycle` shell command (a USB relay's command line), started
// detached so the caller goes on waiting for the module's start-up handshake.

#include <QString>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

// A module restarting on the MCU's 0x29 handshakes again within this (gagent-sim: about 1 s; GAgent v4.2.6's
// Linux port under a supervisor: 0.6 s); after it, a slot that can power-cycle its module does.
inline constexpr RigMillis kRestartHandshakeWaitMs = 4000;

// False when the shell could not be started (the command's own exit status is not waited for).
bool startPowerCycle(const QString& command);

}  // namespace gizrig::core
