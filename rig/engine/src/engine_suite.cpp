#include "gizrig/engine/engine_suite.h"

namespace gizrig::core {

SuiteRunner::SuiteRunner(RunContext context, ActionRegistry actions, QObject* parent)
    : QObject(parent), runner_(new ScenarioRunner(std::move(context), std::move(actions), this)) {
  connect(runner_, &ScenarioRunner::finished, this, &SuiteRunner::onScenarioFinished);
}

bool SuiteRunner::start(std::vector<Scenario> scenarios) {
  if (running_ || scenarios.empty()) return false;
  scenarios_ = std::move(scenarios);
  next_ = 0;
  records_.clear();
  running_ = true;
  aborted_ = false;
  startNext();
  return true;
}

bool SuiteRunner::start(const Suite& suite, const ScenarioLoader& loader, QString& error) {
  std::vector<Scenario> scenarios;
  for (const QString& file : suite.scenarioFiles) {
    auto scenario = loader.loadFile(file, error);
    if (!scenario) return false;
    scenarios.push_back(std::move(*scenario));
  }
  if (scenarios.empty()) {
    error = QStringLiteral("%1: the suite has no scenarios").arg(suite.file);
    return false;
  }
  if (!start(std::move(scenarios))) {
    error = QStringLiteral("a suite is running already");
    return false;
  }
  return true;
}

void SuiteRunner::abort(const QString& reason) {
  if (!running_) return;
  aborted_ = true;
  if (runner_->isRunning()) {
    runner_->abort(reason);  // finishes through onScenarioFinished
  } else {
    running_ = false;
    emit finished(records_);
  }
}

void SuiteRunner::startNext() {
  // A scenario that finishes at once calls back into onScenarioFinished, which calls this again: loop here
  // rather than recurse per scenario only when the runner refuses to start (it never does while idle).
  const int index = static_cast<int>(next_);
  const Scenario& scenario = scenarios_[next_++];
  emit scenarioStarted(index, scenario.name);
  runner_->start(scenario);
}

void SuiteRunner::onScenarioFinished(const RunRecord& record) {
  if (!running_) return;
  records_.push_back(record);
  emit scenarioFinished(static_cast<int>(records_.size()) - 1, record);
  if (aborted_ || next_ >= scenarios_.size()) {
    running_ = false;
    emit finished(records_);
    return;
  }
  startNext();
}

}  // namespace gizrig::core
