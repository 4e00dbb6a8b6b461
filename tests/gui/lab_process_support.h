#pragma once
// For GUI tests that start a real-time lab: wait on the wall clock with the event loop turning, and list the
// lab's processes among this test's children, so a test proves it leaves none behind.

#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStringList>
#include <functional>

namespace gui_b_test {

inline bool waitUntil(const std::function<bool()>& done, int limitMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done() && timer.elapsed() < limitMs) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  return done();
}

// The lab's processes among this test's children (by /proc: parent pid and command name). Zombies count: a
// child not yet reaped is still left behind.
inline QStringList labChildren() {
  QStringList found;
  const QString me = QString::number(::getpid());
  for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) continue;
    const QString line = QString::fromUtf8(stat.readAll());
    // "<pid> (<comm>) <state> <ppid> ...": comm may hold spaces, so split after the last ')'.
    const auto close = line.lastIndexOf(')');
    if (close < 0) continue;
    const QString comm = line.mid(line.indexOf('(') + 1, close - line.indexOf('(') - 1);
    const QStringList rest = line.mid(close + 2).split(' ');
    if (rest.size() < 2 || rest[1] != me) continue;
    if (comm.startsWith("gagent-sim") || comm.startsWith("gagent-air") || comm.startsWith("mosquitto"))
      found << comm + "/" + pid + "/" + rest[0];
  }
  return found;
}

}  // namespace gui_b_test
