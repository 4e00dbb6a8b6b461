// Child of records_kill_test: writes sample runs into a SQLite record store as fast as it can, one commit per
// step, and reports each commit on stdout *after* it returned, until it is killed with SIGKILL.
//   records_writer_helper <db-path> <first-run-number>
// Lines: "begun <n>", "step <n> <index>", "finished <n>". Exit 2 with a message on stderr on any error.
#include <QCoreApplication>
#include <cstdio>

#include "records_samples.h"
#include "gizrig/records/sql_record_store.h"

namespace {

constexpr int kStepsPerRun = 5;

int failWith(const QString& message) {
  std::fprintf(stderr, "records_writer_helper: %s\n", qPrintable(message));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const QStringList args = QCoreApplication::arguments();
  bool numberOk = false;
  const int first = args.size() == 3 ? args[2].toInt(&numberOk) : 0;
  if (!numberOk) return failWith(QStringLiteral("usage: records_writer_helper <db-path> <first-run-number>"));
  QString error;
  auto store = gizrig::core::SqlRecordStore::open(args[1], &error);
  if (!store) return failWith(error);
  for (int n = first;; ++n) {
    const gizrig::core::RunRecord run = gizrig::core::samples::fullRun(n, kStepsPerRun);
    if (!store->beginRun(run)) return failWith(store->lastError());
    std::printf("begun %d\n", n);
    std::fflush(stdout);
    for (const auto& step : run.steps) {
      if (!store->addStep(run.id, step)) return failWith(store->lastError());
      std::printf("step %d %d\n", n, step.index);
      std::fflush(stdout);
    }
    if (!store->finishRun(run)) return failWith(store->lastError());
    std::printf("finished %d\n", n);
    std::fflush(stdout);
  }
}
