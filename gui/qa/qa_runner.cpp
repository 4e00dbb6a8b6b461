#include "qa/qa_runner.h"

#include <QDateTime>
#include <QFileInfo>
#include <QUuid>
#include <memory>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario_loader.h"
#include "gizrig/lab/lab_scenario_host.h"
#include "gizrig/records/sql_record_store.h"
#include "gizrig/virtual/virtual_scenario_host.h"

namespace gizrig::gui {

core::RunRecord loadErrorRecord(const QString& file, const QString& error) {
  core::RunRecord record;
  record.id = QUuid::createUuid();
  record.station = QStringLiteral("virtual");
  record.scenario = QFileInfo(file).fileName();
  record.mode = core::RunMode::Virtual;
  record.startedMs = QDateTime::currentMSecsSinceEpoch();
  core::StepRecord step;
  step.name = QStringLiteral("load");
  step.startedMs = record.startedMs;
  step.outcome = core::Outcome::Error;
  step.message = error;
  record.steps.push_back(step);
  core::finishRun(record, record.startedMs);
  return record;
}

void QaRunner::run(const QStringList& scenarioFiles, const QString& fixturesDir, const QString& recordsDb,
                   QaRunMode mode) {
  const core::ActionRegistry actions = core::standardActions();
  const core::ScenarioLoader loader(actions, fixturesDir);
  std::unique_ptr<core::SqlRecordStore> store;
  if (!recordsDb.isEmpty()) {
    QString error;
    store = core::SqlRecordStore::open(recordsDb, &error);
    if (!store) emit logLine(tr("records not kept: %1").arg(error));
  }
  core::VirtualRunOptions options;
  options.fixturesDir = fixturesDir;
  options.store = store.get();
  options.station = QStringLiteral("virtual");
  lab::LabRunOptions labOptions;
  labOptions.fixturesDir = fixturesDir;
  labOptions.store = store.get();
  labOptions.station = QStringLiteral("lab");  // as `gizrig run --sim`
  labOptions.cancelled = [this] { return cancelled_.load(); };
  labOptions.logLine = [this](const QString& line) { emit logLine(QStringLiteral("   ") + line); };
  const auto total = static_cast<int>(scenarioFiles.size());
  int current = 0;
  int done = 0;
  // Called on this (the worker's) thread as the engine finishes each step; the view hears it queued.
  const auto stepDone = [this, &current, &done](const core::StepRecord&) {
    emit stepFinished(current, ++done);
  };
  options.stepFinished = stepDone;
  labOptions.stepFinished = stepDone;
  for (int i = 0; i < total; ++i) {
    if (cancelled_) break;
    const QString& file = scenarioFiles[i];
    current = i;
    done = 0;
    emit scenarioStarted(i, total, file);
    QString error;
    const auto scenario = loader.loadFile(file, error);
    core::RunRecord record;
    if (scenario) emit scenarioSteps(i, static_cast<int>(scenario->steps.size() + scenario->teardown.size()));
    if (!scenario) {
      record = loadErrorRecord(file, error);
      if (store) store->saveRun(record);
    } else {
      emit logLine(tr("▶ %1 (%2)%3")
                       .arg(scenario->name, QFileInfo(file).fileName(),
                            mode == QaRunMode::RealTime ? tr(", real time") : QString()));
      record = mode == QaRunMode::RealTime ? lab::runScenarioInLab(*scenario, actions, labOptions)
                                           : core::runScenarioVirtual(*scenario, actions, options);
    }
    // The summary of the steps (in real time the engine's lines above showed them as they happened).
    for (const auto& step : record.steps) {
      QString line = QStringLiteral("   %1  %2").arg(core::outcomeName(step.outcome), -5).arg(step.name);
      if (!step.message.isEmpty()) line += QStringLiteral(" — ") + step.message;
      emit logLine(line);
    }
    emit logLine(tr("%1 %2").arg(record.outcome ? core::outcomeName(*record.outcome) : tr("UNFINISHED"),
                                 record.scenario));
    emit scenarioFinished(i, record);
  }
  emit finished(cancelled_);
}

}  // namespace gizrig::gui
