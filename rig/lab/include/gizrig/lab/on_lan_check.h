#pragma once
// Setup "station" on a module that is on the station's LAN by itself (home_router.onboarding "on_lan": a
// wired module such as GAgent's Linux port, or one joined to the line's router by hand). Nothing is sent to
// the module's MCU side and nothing is reset: the check is that the module answers discovery (0003 -> 0004,
// S7.1) at its address; when it does not, a status word saying "no router" is part of what is reported.

#include <QHostAddress>
#include <QString>
#include <functional>

#include "gizrig/clock/rig_clock.h"

class QObject;

namespace gizrig::core {
class AppPlug;
class McuPlug;
}  // namespace gizrig::core

namespace gizrig::lab {

// `done` gets "" or what was seen, once, unless `owner` goes first.
void checkModuleOnLan(core::AppPlug& app, const core::McuPlug& mcu, const QHostAddress& module,
                      QObject* owner, core::RigMillis timeoutMs,
                      std::function<void(const QString& error)> done);

}  // namespace gizrig::lab
