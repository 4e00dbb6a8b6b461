// A rig killed with SIGKILL mid-run keeps every step and every run it committed, and the SQLite file stays
// sound (docs/rig.md "Records"). The writer is a child process (records_writer_helper) killed at several
// points; the database is reopened after each kill, hot WAL and all.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <map>
#include <set>

#include "gizrig/records/sql_record_store.h"
#include "records_samples.h"

namespace gizrig::core {
namespace {

constexpr int kStepsPerRun = 5;  // as in records_writer_helper

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "records_kill_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

// What the child said it committed.
struct Reported {
  std::set<int> begun;
  std::set<std::pair<int, int>> steps;
  std::set<int> finished;
  int lines = 0;
};

void parseLine(const QByteArray& line, Reported& reported) {
  const QList<QByteArray> words = line.trimmed().split(' ');
  if (words.size() == 2 && words[0] == "begun") reported.begun.insert(words[1].toInt());
  if (words.size() == 2 && words[0] == "finished") reported.finished.insert(words[1].toInt());
  if (words.size() == 3 && words[0] == "step") reported.steps.insert({words[1].toInt(), words[2].toInt()});
  ++reported.lines;
}

// Runs the writer until it has reported `killAfterLines` commits, then SIGKILLs it. The QProcess destructor
// kills and reaps it on any early return.
Reported runAndKill(const QString& dbPath, int firstRun, int killAfterLines) {
  Reported reported;
  QProcess writer;
  writer.setProgram(QStringLiteral(RECORDS_WRITER_HELPER));
  writer.setArguments({dbPath, QString::number(firstRun)});
  writer.start();
  EXPECT_TRUE(writer.waitForStarted(10000)) << writer.errorString().toStdString();
  const QDeadlineTimer guard(30000);  // a safety net against a hung child, not a speed assertion
  while (reported.lines < killAfterLines && !guard.hasExpired() && writer.state() == QProcess::Running) {
    writer.waitForReadyRead(100);
    while (writer.canReadLine() && reported.lines < killAfterLines) parseLine(writer.readLine(), reported);
  }
  writer.kill();  // SIGKILL
  writer.waitForFinished(10000);
  EXPECT_EQ(writer.exitStatus(), QProcess::CrashExit)
      << "the writer stopped on its own: " << writer.readAllStandardError().toStdString();
  EXPECT_GE(reported.lines, killAfterLines);
  return reported;
}

TEST(RecordsKill, EveryCommittedStepAndRunSurvivesSigkillAndTheFileStaysSound) {
  app();
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString db = dir.filePath(QStringLiteral("runs.db"));
  // Kill points chosen to land in different places of a run: counts of reported lines are never a multiple of
  // the 7 lines one run reports, so each kill falls inside a run.
  const std::vector<std::pair<int, int>> rounds = {{0, 40}, {1000, 23}, {2000, 59}, {3000, 3}};
  std::map<int, Reported> reportedByRound;
  for (const auto& [firstRun, killAfter] : rounds) {
    reportedByRound[firstRun] = runAndKill(db, firstRun, killAfter);

    QString error;
    auto store = SqlRecordStore::open(db, &error);
    ASSERT_NE(store, nullptr) << error.toStdString();
    EXPECT_EQ(store->integrityCheck().toStdString(), "ok");

    for (const auto& [round, reported] : reportedByRound) {
      for (int n : reported.begun) {
        const auto run = store->run(samples::runId(n));
        ASSERT_TRUE(run) << "run " << n << " was reported begun: " << store->lastError().toStdString();
        const RunRecord expected = samples::fullRun(n, kStepsPerRun);
        if (reported.finished.count(n) != 0) {
          EXPECT_EQ(*run, expected) << "finished run " << n;
          continue;
        }
        // Cut short: every reported step is there; anything stored (one more step, or even the finish, may
        // have committed before the kill but after the last report) is exactly what was written.
        for (const auto& [rn, index] : reported.steps) {
          if (rn != n) continue;
          EXPECT_LT(static_cast<std::size_t>(index), run->steps.size())
              << "run " << n << " lost step " << index;
        }
        for (std::size_t i = 0; i < run->steps.size(); ++i) EXPECT_EQ(run->steps[i], expected.steps[i]);
        if (run->finished()) {
          EXPECT_EQ(*run, expected);
        } else {
          RunRecord header = expected;
          header.steps = run->steps;
          header.outcome.reset();
          header.finishedMs.reset();
          header.failingStep.clear();
          header.failingMessage.clear();
          EXPECT_EQ(*run, header);
        }
      }
    }
    // Nothing in the file that was never written: every stored run is one of the writer's.
    for (const RunRecord& row : store->runs({})) {
      const int n = row.slot.isEmpty() ? -1 : static_cast<int>((row.startedMs - samples::kEpoch) / 60'000);
      EXPECT_EQ(row.id, samples::runId(n));
    }
  }
  // The kills did land mid-run: runs cut short are in the file (a child between two runs at every one of the
  // kills would be a vanishing coincidence).
  QString error;
  auto store = SqlRecordStore::open(db, &error);
  ASSERT_NE(store, nullptr) << error.toStdString();
  int cutShort = 0;
  for (const RunRecord& row : store->runs({})) cutShort += row.finished() ? 0 : 1;
  EXPECT_GE(cutShort, 1);
  // The last round killed the writer before its first run finished; it was still begun.
  EXPECT_TRUE(reportedByRound[3000].finished.empty());
  EXPECT_EQ(reportedByRound[3000].begun, std::set<int>{3000});
}

}  // namespace
}  // namespace gizrig::core
