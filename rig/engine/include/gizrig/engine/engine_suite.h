#pragma once
// Runs scenarios one after another on one ScenarioRunner (docs/rig.md "Engine"): each gets a fresh setup
// (the caller's hook, e.g. restart the module and bring it to the scenario's `setup` state) and its own
// RunRecord. A scenario's FAIL or ERROR does not stop the suite; abort() does.

#include <QList>
#include <QObject>
#include <vector>

#include "gizrig/engine/engine_runner.h"
#include "gizrig/engine/scenario_loader.h"

namespace gizrig::core {

class SuiteRunner : public QObject {
  Q_OBJECT
 public:
  SuiteRunner(RunContext context, ActionRegistry actions, QObject* parent = nullptr);

  void setOptions(const RunOptions& options) { runner_->setOptions(options); }
  void setSetupHook(SetupHook hook) { runner_->setSetupHook(std::move(hook)); }
  [[nodiscard]] ScenarioRunner& runner() { return *runner_; }

  // False when a suite is running already or there is nothing to run.
  bool start(std::vector<Scenario> scenarios);
  // Loads every scenario of `suite` first; false (error names the file and step) when one does not load.
  bool start(const Suite& suite, const ScenarioLoader& loader, QString& error);
  // Aborts the scenario in progress and skips the rest.
  void abort(const QString& reason);

  [[nodiscard]] bool isRunning() const { return running_; }
  [[nodiscard]] const QList<RunRecord>& records() const { return records_; }

 signals:
  void scenarioStarted(int index, const QString& name);
  void scenarioFinished(int index, const gizrig::core::RunRecord& record);
  void finished(const QList<gizrig::core::RunRecord>& records);

 private:
  void startNext();
  void onScenarioFinished(const RunRecord& record);

  ScenarioRunner* runner_;
  std::vector<Scenario> scenarios_;
  std::size_t next_ = 0;
  bool running_ = false;
  bool aborted_ = false;
  QList<RunRecord> records_;
};

}  // namespace gizrig::core
