#pragma once
// The real-time scenario hosts' one way to wait (lab_scenario_host.cpp, station_scenario_host.cpp): spin the
// Qt event loop until a condition holds, the caller cancels, or a wall-clock guard expires (a safety net, not
// a measurement).

#include <QEventLoop>
#include <QString>
#include <QTimer>
#include <functional>

namespace gizrig::lab {

inline const QString kRunCancelled = QStringLiteral("cancelled");

// Whether the caller asked to stop (its options' `cancelled`, which may be empty).
inline bool cancelRequested(const std::function<bool()>& cancelled) {
  return cancelled && cancelled();
}

// True when `done` holds at the end. The wake timer turns the loop at least every 50 ms, so a cancel is seen
// while nothing else happens.
template <typename Done>
bool spinUntil(Done&& done, int guardMs, const std::function<bool()>& cancelled) {
  QEventLoop loop;
  QTimer guard;
  guard.setSingleShot(true);
  guard.start(guardMs);
  QTimer wake;
  wake.start(50);
  while (!done() && guard.isActive() && !cancelRequested(cancelled)) {
    loop.processEvents(QEventLoop::WaitForMoreEvents, 50);
  }
  return done();
}

}  // namespace gizrig::lab
