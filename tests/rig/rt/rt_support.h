#pragma once
// Shared pieces of the rig's real-time tests: one QCoreApplication per binary, and an event loop that runs
// until a condition holds or a generous guard expires (a safety net for a broken test, never a timing
// assertion: the machine is shared).

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

namespace gizrig::test {

inline QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "rig_rt_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

template <typename Done>
bool spinUntil(Done&& done, int guardMs = 20000) {
  QEventLoop loop;
  QTimer guard;
  guard.setSingleShot(true);
  guard.start(guardMs);
  while (!done() && guard.isActive()) loop.processEvents(QEventLoop::WaitForMoreEvents, 50);
  return done();
}

}  // namespace gizrig::test
