#pragma once
// Setup "station" through the MCU (home_router.onboarding "mcu"): the MCU hands the module the home router's
// credentials itself, 0x09 type 4 "write config directly" (protocol 1.8), and waits until the module's status
// word says it joined. For a line whose rig cannot steer a phone onto the module's SoftAP. GAgent v4.2.6
// ignores type 4 (it takes only 1 and 2): such a module ends in a clear error, never a silent pass.

#include <QString>
#include <functional>
#include <memory>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/lab/setup_attempt.h"

namespace gizrig::core {
class McuPlug;
}  // namespace gizrig::core

namespace gizrig::lab {

class McuOnboarding {
 public:
  McuOnboarding(core::McuPlug& mcu, core::RigClock& clock);
  ~McuOnboarding();
  McuOnboarding(const McuOnboarding&) = delete;
  McuOnboarding& operator=(const McuOnboarding&) = delete;

  // `done` gets "" or what went wrong, exactly once, unless this object goes first. A new start() drops the
  // previous attempt without calling it.
  void start(const QString& ssid, const QString& password, std::function<void(const QString& error)> done,
             core::RigMillis timeoutMs = 60000);

 private:
  core::McuPlug& mcu_;
  SetupAttempt attempt_;
};

}  // namespace gizrig::lab
