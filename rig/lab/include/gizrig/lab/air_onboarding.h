#pragma once
// S6.2.5 through the virtual air, without blocking: the phone joins the module's SoftAP (found in the air by
// the module's LAN address), sends the home router's credentials (0001), and waits until the module's status
// word says it joined the router. Shared by the lab's module plugs and a station whose routers are the air.

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/lab/setup_attempt.h"

namespace gizrig::core {
class AirRouterBackend;
class AppPlug;
class McuPlug;
}  // namespace gizrig::core

namespace gizrig::lab {

class AirOnboarding {
 public:
  AirOnboarding(core::AirRouterBackend& air, core::AppPlug& app, core::McuPlug& mcu, core::RigClock& clock);
  ~AirOnboarding();
  AirOnboarding(const AirOnboarding&) = delete;
  AirOnboarding& operator=(const AirOnboarding&) = delete;

  // `done` gets "" or what went wrong, exactly once, unless this object goes first. A new start() drops the
  // previous attempt without calling it.
  void start(const QHostAddress& module, const QString& ssid, const QString& password,
             std::function<void(const QString& error)> done, core::RigMillis timeoutMs = 60000);

 private:
  void joinSoftAp(const QString& softAp, QPointer<QObject> attempt);
  void sendCredentials(const QHostAddress& module, QPointer<QObject> attempt);
  void awaitRouter(QObject* attempt);
  void finish(const QString& error);

  core::AirRouterBackend& air_;
  core::AppPlug& app_;
  core::McuPlug& mcu_;
  QString ssid_;
  QString password_;
  SetupAttempt attempt_;
};

}  // namespace gizrig::lab
