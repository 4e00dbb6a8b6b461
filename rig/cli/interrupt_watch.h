#pragma once
// Ctrl-C / SIGTERM while runs are open: the rig must finish them as ABORTED, print a line and clean up, not
// die with rows left unfinished and /tmp/gizrig-* behind. The handler only sets a flag and writes a byte to a
// socket pair (nothing else is async-signal-safe); the command polls interrupted() in its waits, or listens
// to fired() in an event loop. A second signal kills the process as usual (the handler resets itself).

#include <QObject>
#include <QString>

class QSocketNotifier;

namespace gizrig::cli {

class InterruptWatch : public QObject {
  Q_OBJECT
 public:
  InterruptWatch();            // installs the SIGINT and SIGTERM handlers; one watch at a time
  ~InterruptWatch() override;  // restores the default handlers
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  [[nodiscard]] bool interrupted() const;
  // "SIGINT" or "SIGTERM"; empty before a signal.
  [[nodiscard]] QString signalName() const;

 signals:
  void fired();

 private:
  QSocketNotifier* notifier_ = nullptr;
};

}  // namespace gizrig::cli
