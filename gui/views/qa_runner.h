#pragma once
// Runs a selection of scenario files in virtual time off the GUI thread. The QA view moves one QaRunner to a
// QThread; run() loads each file, runs it with runScenarioVirtual (a fresh VirtualWorld each) and reports
// every record back through queued signals. The record store is opened in the worker's thread (a QtSql
// connection belongs to the thread that opened it). Cancel is checked between scenarios: a virtual scenario
// takes well under a second of real time, so that is where the run stops.

#include <QMetaType>
#include <QObject>
#include <QStringList>
#include <atomic>

#include "gizrig/core/run_record.h"

namespace gizrig::gui {

class QaRunner : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  void cancel() { cancelled_ = true; }  // any thread
  void rearm() { cancelled_ = false; }  // before queueing a run, so a cancel right after it counts

 public slots:
  void run(const QStringList& scenarioFiles, const QString& fixturesDir, const QString& recordsDb);

 signals:
  void scenarioStarted(int index, int total, const QString& file);
  void scenarioFinished(int index, const gizrig::core::RunRecord& record);
  void logLine(const QString& line);
  void finished(bool cancelled);

 private:
  std::atomic<bool> cancelled_{false};
};

// A record for a scenario that could not even load: one ERROR step carrying the loader's message.
[[nodiscard]] core::RunRecord loadErrorRecord(const QString& file, const QString& error);

}  // namespace gizrig::gui

Q_DECLARE_METATYPE(gizrig::core::RunRecord)
