#pragma once
// The scenario engine's actions: a registry from name ("mcu.send", "app.login", "router.power", ...) to a
// handler bound to the real plugs through a RunContext. A handler completes through `done` exactly once
// (late calls are ignored by the runner). Its outcome follows docs/rig.md: PASS, FAIL when the DUT did not
// answer or answered wrongly (a request that timed out, a login refused), ERROR when the rig could not do
// its part (no such plug in this rig, a link error, a router backend error, a bad parameter).

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <functional>
#include <map>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/records/run_record.h"

namespace gizrig::core {

class McuPlug;
class AppPlug;
class RouterControl;
class CloudControl;
class EventHistory;

// What a scenario runs against. Plugs may be null: an action needing a missing one is an ERROR.
struct RunContext {
  explicit RunContext(RigClock& rigClock) : clock(rigClock) {}
  RigClock& clock;
  McuPlug* mcu = nullptr;
  AppPlug* app = nullptr;
  RouterControl* router = nullptr;
  CloudControl* cloud = nullptr;
  QHostAddress module;     // the DUT's address (LAN steps)
  QHostAddress broadcast;  // where discovery broadcasts go: 127.255.255.255 in the lab, never 255.255.255.255
  QString routerSsid;      // the router router.* steps act on unless they name one ("ssid")
  QString did;             // the DUT's DID for cloud.* steps; empty: the latest "did" any event carried
  // More event sources (e.g. the cloud plug): QObjects with a signal `event(QString, QVariantMap)`.
  QList<QObject*> eventSources;
};

struct ActionResult {
  Outcome outcome = Outcome::Pass;
  QString message;     // why not PASS
  QVariantMap values;  // what the action learned (round trip, passcode, device list...), for `measure`

  static ActionResult pass(QVariantMap values = {}) { return {Outcome::Pass, {}, std::move(values)}; }
  static ActionResult fail(QString why, QVariantMap values = {}) {
    return {Outcome::Fail, std::move(why), std::move(values)};
  }
  static ActionResult error(QString why) { return {Outcome::Error, std::move(why), {}}; }
};
using ActionDone = std::function<void(const ActionResult&)>;

struct ActionCall {
  QString action;
  QVariantMap params;
  RigMillis timeoutMs =
      0;  // the step's "timeout", or the action's default: what the handler waits for the DUT
  const EventHistory* history = nullptr;
};

using ActionHandler = std::function<void(const ActionCall& call, RunContext& context, ActionDone done)>;
// Checks parameters when the scenario loads: "" or "<param>: <reason>".
using ActionValidator = std::function<QString(const QVariantMap& params)>;

struct ActionSpec {
  QString name;
  QStringList required;  // parameters that must be present
  QString summary;       // one line for `gizrig actions`
  ActionHandler handler;
  ActionValidator validate;            // optional
  RigMillis defaultTimeoutMs = 10000;  // when the step sets none
};

class ActionRegistry {
 public:
  void add(ActionSpec spec);  // replaces an action of the same name
  [[nodiscard]] const ActionSpec* find(const QString& name) const;
  [[nodiscard]] QStringList names() const;

 private:
  std::map<QString, ActionSpec> specs_;
};

// Every action the rig knows (docs/rig.md): mcu.*, app.*, router.*, cloud.*.
[[nodiscard]] ActionRegistry standardActions();
void addMcuActions(ActionRegistry& registry);     // actions_mcu.cpp
void addAppActions(ActionRegistry& registry);     // actions_app.cpp
void addRouterActions(ActionRegistry& registry);  // actions_router.cpp
void addCloudActions(ActionRegistry& registry);   // actions_cloud.cpp

}  // namespace gizrig::core
