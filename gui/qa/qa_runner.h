#pragma once
// Runs a selection of scenario files off the GUI thread, in virtual time or in real time. The QA view moves
// one QaRunner to a QThread; run() loads each file and runs it with runScenarioVirtual (a fresh VirtualWorld
// each) or with lab::runScenarioInLab (a lab of its own each: gagent-sim on a pty, gagent-air, mosquitto,
// the same as `gizrig run --sim`), and reports every record back through queued signals. The record store is
// opened in the worker's thread (a QtSql connection belongs to the thread that opened it), and so is the lab
// (its child processes and sockets live on the worker's event loop, which the lab host spins).
// Cancel is checked between scenarios, and in real time also inside the scenario: the lab host polls it
// wherever it waits, ends the run as ERROR "cancelled" and stops the lab's processes. A virtual scenario
// takes well under a second of real time, so there it stops after the scenario in progress.

#include <QMetaType>
#include <QObject>
#include <QStringList>
#include <atomic>
#include <cstdint>

#include "gizrig/records/run_record.h"

namespace gizrig::gui {

enum class QaRunMode : std::uint8_t { VirtualTime, RealTime };

class QaRunner : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  void cancel() { cancelled_ = true; }  // any thread
  void rearm() { cancelled_ = false; }  // before queueing a run, so a cancel right after it counts

 public slots:
  void run(const QStringList& scenarioFiles, const QString& fixturesDir, const QString& recordsDb,
           gizrig::gui::QaRunMode mode = gizrig::gui::QaRunMode::VirtualTime);

 signals:
  void scenarioStarted(int index, int total, const QString& file);
  // The scenario at `index` loaded: it has `steps` steps (teardown included); then each one as it finishes.
  void scenarioSteps(int index, int steps);
  void stepFinished(int index, int done);
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
