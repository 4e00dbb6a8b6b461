#pragma once
// A scenario and a suite as loaded from fixtures/scenarios/*.json and fixtures/suites/*.json (docs/rig.md
// "Engine"): plain data that the loader (scenario_loader.h) fills and the runner (engine_runner.h) walks.
//
// Step kinds, one per JSON object:
//   {"do": "<action>", ...params}                                   an action on a plug or a control
//   {"expect": "<event>", "where": {field: value | {"min":..,"max":..}}, "within": "30s"}
//   {"measure": "<name>", "from": "<event>.<field>" | "@last.<field>" | "@<step name>.<field>",
//    "unit": "...", "limits": {"min":..,"max":..}}   (or "event" + "field", or "interval": {"from","to"})
//   {"wait": "5s"}
// and on each: "name", "timeout", "retry" (extra attempts), "clauses", "continueOnFail".

#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>
#include <optional>
#include <vector>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

enum class StepKind : std::uint8_t { Action, Expect, Measure, Wait };
[[nodiscard]] QString stepKindName(StepKind kind);  // "do", "expect", "measure", "wait"

// One "where" entry: an exact value, or an inclusive numeric range (either end optional).
struct FieldCondition {
  QString field;  // a path into the event's fields: "rssi", "values.LED_R"
  QVariant equals;
  bool isRange = false;
  std::optional<double> min;
  std::optional<double> max;
};

// Where a measurement's value comes from.
enum class MeasureSource : std::uint8_t {
  Event,         // the latest matching event since the previous step began (or, with "within", the next one)
  ActionResult,  // a field of an earlier action's result ("@last" = the latest action step)
  Interval,      // ms from the latest "from" event before the latest "to" event to that "to" event
};

struct Step {
  StepKind kind = StepKind::Wait;
  int index = 0;  // position in its list (steps or teardown)
  QString name;   // given, or made from the step ("do mcu.send", "expect mcu.ack", ...)

  // Action
  QString action;
  QVariantMap params;  // the step object minus the step keys (do, name, timeout, retry, clauses, ...)

  // Expect, and Measure from an event
  QString event;
  std::vector<FieldCondition> where;
  std::optional<RigMillis> within;  // Expect: required ("within" or "timeout"); Measure: optional wait

  // Measure
  QString measure;
  MeasureSource source = MeasureSource::Event;
  QString from;                // as written ("mcu.ack.ntp", "@last.roundTripMs")
  QString field;               // ActionResult: the field; Event: set when given as "event" + "field"
  QString stepRef;             // ActionResult: "last" or a step name
  QString fromEvent, toEvent;  // Interval
  QString unit;
  std::optional<double> low;
  std::optional<double> high;

  // Wait
  RigMillis waitMs = 0;

  // Every kind
  std::optional<RigMillis> timeout;
  int retry = 0;
  QStringList clauses;
  bool continueOnFail = false;
};

// The module state a scenario starts from; the caller's setup hook brings the module there.
enum class SetupState : std::uint8_t { Any, Unconfigured, Station, Production };

// What a scenario may require of a station (docs/real-station.md): router control (power, reboot,
// configure), a per-module signal level (the virtual air; real routers cannot), the stand-in cloud's
// control, a power-cycle command for the slot.
inline const QStringList kScenarioRequirements{QStringLiteral("routers"), QStringLiteral("router_signal"),
                                               QStringLiteral("cloud"), QStringLiteral("power")};
[[nodiscard]] QString setupStateName(SetupState state);  // "", "unconfigured", "station", "production"

struct Scenario {
  QString file;  // where it was loaded from ("" for JSON given in memory)
  QString name;
  QString description;
  QStringList tags;
  QStringList clauses;
  QString product;  // fixture path relative to fixtures/ ("products/gokit-demo.json")
  SetupState setup = SetupState::Any;
  // The equipment it needs beyond a module on a serial port and the LAN (kScenarioRequirements): declared
  // in the file ("requires") plus what its actions imply (router.* -> routers, cloud.* -> cloud,
  // router.signal -> router_signal). A station that lacks one skips the scenario with that reason.
  QStringList requirements;
  std::vector<Step> steps;
  std::vector<Step> teardown;  // always run after the steps, even after a FAIL (restore faults, power, ...)
};

struct Suite {
  QString file;
  QString name;
  QString description;
  QStringList scenarioFiles;  // absolute paths, in run order
};

}  // namespace gizrig::core
