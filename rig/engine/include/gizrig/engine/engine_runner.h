#pragma once
// Runs one scenario against a RunContext on its RigClock (docs/rig.md "Engine") and produces its RunRecord.
// Nothing blocks: every wait is a deadline on the clock, so the same run works in real and in virtual time.
//
// Per step, attempts = 1 + "retry"; the last attempt's outcome counts. Outcomes:
//   do       the handler's outcome; a handler that does not complete within its timeout (+ a grace) is ERROR
//   expect   PASS when a matching event is found (engine_events.h: the earliest unconsumed match since the
//            previous step began; for the first step, since the run began, so events the setup caused
//            count), FAIL when none arrives within "within"
//   measure  FAIL when the value is missing or outside its limits (run_record.h's rules)
//   wait     PASS after the time
// The first step that is not PASS stops the steps (unless it is a FAIL with "continueOnFail"); the
// teardown steps run in any case. A run that failed to set up gets one ERROR step "setup".
// Steps are recorded with start times in UTC ms: the run's start (RunOptions or the wall clock) plus the
// RigClock time since, so virtual runs get consistent timelines.

#include <QHash>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <functional>
#include <optional>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/engine_events.h"
#include "gizrig/engine/scenario.h"
#include "gizrig/records/record_store.h"
#include "gizrig/records/run_record.h"

namespace gizrig::core {

struct RunOptions {
  QString station;
  QString slot;
  QString operatorName;
  RunMode mode = RunMode::Real;
  std::optional<std::int64_t> startedEpochMs;  // the run's start in UTC ms; default: the wall clock
  RecordStore* store = nullptr;                // written as the run goes (beginRun, addStep, finishRun)
  RigMillis actionGraceMs = 1000;              // beyond an action's timeout before the engine gives up
  QString trace;                               // the run's wire trace file, named in its record ("" = none)
};

// Brings the module to the scenario's `setup` state (restart it, configure it...), then calls done with ""
// or the reason it could not. Called once per scenario run, before the first step.
using SetupDone = std::function<void(const QString& error)>;
using SetupHook = std::function<void(const Scenario& scenario, RunContext& context, SetupDone done)>;

class ScenarioRunner : public QObject {
  Q_OBJECT
 public:
  ScenarioRunner(RunContext context, ActionRegistry actions, QObject* parent = nullptr);
  ~ScenarioRunner() override;

  void setOptions(const RunOptions& options) { options_ = options; }
  void setSetupHook(SetupHook hook) { setupHook_ = std::move(hook); }

  // Starts a run; false when one is running already. `finished` follows (possibly before start returns,
  // when nothing in the scenario waits).
  bool start(const Scenario& scenario);
  // Ends the run now: the step in progress is recorded as ERROR, teardown is skipped.
  void abort(const QString& reason);

  [[nodiscard]] bool isRunning() const { return running_; }
  [[nodiscard]] const RunRecord& record() const { return record_; }
  [[nodiscard]] const EventHistory& history() const { return history_; }
  [[nodiscard]] RunContext& context() { return context_; }

 public slots:
  // Every plug event arrives here (the context's plugs and event sources are connected at construction);
  // tests and controls without a signal may post directly.
  void postEvent(const QString& name, const QVariantMap& fields);

 signals:
  void stepStarted(int index, const QString& name);
  void stepFinished(const gizrig::core::StepRecord& step);
  void logLine(const QString& line);
  void finished(const gizrig::core::RunRecord& record);

 private:
  enum class Phase : std::uint8_t { Idle, Setup, Steps, Teardown };

  void beginSteps();
  void nextStep();
  void beginAttempt();
  void finishAttempt(const ActionResult& result, std::optional<Measurement> measurement = std::nullopt);
  void recordStep(const ActionResult& result, std::optional<Measurement> measurement);
  void finishRun();
  void noteDutIds(const QVariantMap& values);

  void runAction();
  void runExpect();
  void runMeasure();
  void checkWaiting();  // a new event: does the waiting expect / measure complete?
  bool tryExpect();
  bool tryMeasure(bool final);
  void armDeadline(RigMillis ms, std::function<void()> onDeadline);
  void cancelTimers();

  [[nodiscard]] std::int64_t epochNow() const;
  void log(const QString& line);

  RunContext context_;
  ActionRegistry actions_;
  RunOptions options_;
  SetupHook setupHook_;

  Scenario scenario_;
  RunRecord record_;
  EventHistory history_;
  Phase phase_ = Phase::Idle;
  bool running_ = false;
  std::int64_t epochStart_ = 0;
  RigMillis clockStart_ = 0;

  const std::vector<Step>* list_ = nullptr;
  std::size_t listIndex_ = 0;
  const Step* step_ = nullptr;
  int recordIndex_ = 0;
  int attempt_ = 0;
  quint64 token_ = 0;  // identifies the attempt in progress; late callbacks of older ones are ignored
  TimerId deadline_ = 0;
  bool waiting_ = false;  // an expect / measure waits for an event
  RigMillis stepStartedAt_ = 0;
  quint64 stepStartSeq_ = 1;             // history seq when the current step began
  quint64 windowStartSeq_ = 1;           // ... when the previous step began: the expect window
  QHash<QString, QVariantMap> results_;  // by step name: action results and matched events
  QVariantMap lastResult_;
};

}  // namespace gizrig::core
