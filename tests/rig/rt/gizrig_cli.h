#pragma once
// Runs build/bin/gizrig (GIZRIG_BINARY) as a user would and keeps what it printed, for the rt tests of the
// command line.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace gizrig::test {

struct CliRun {
  int exitCode = -1;  // -1: it crashed or did not end within the guard
  QString output;     // stdout and stderr together
};

inline CliRun gizrig(const QStringList& args, int timeoutMs = 120000) {
  QProcess process;
  process.setProgram(GIZRIG_BINARY);
  process.setArguments(args);
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start();
  process.waitForFinished(timeoutMs);
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAll())};
}

}  // namespace gizrig::test
