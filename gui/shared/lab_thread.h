#pragma once
// A virtual lab (lab::LabService) started and run on a thread of its own, so the GUI thread never waits for
// it. LabService::start blocks (it waits for each child's "ready" line, about a second in all) and a crashed
// module is restarted with the same blocking wait (S12.3); the lab's in-process cloud (HTTP API, M2M gate,
// SQLite registry) also serves its requests on the lab's thread. Why a thread that owns the lab for its whole
// life rather than a thread that only starts it and moveToThread()s it back: the lab's QSqlDatabase belongs
// to the thread that opened it, and its children are started with PR_SET_PDEATHSIG, which Linux fires when
// the *thread* that forked them ends - a start-only thread would kill the modules as it exits. An
// asynchronous LabService::start would mean rewriting the lab's supervision as a state machine in rig/lab for
// the GUI's sake; this keeps rig/lab as it is, and `gizrig lab` keeps its simple blocking start.
//
// The GUI talks to it only through queued signals and the LabState copy that started() delivers (addresses,
// ptys, ports: plain data).

#include <QObject>
#include <QString>
#include <QThread>
#include <cstdint>

#include "gizrig/lab/lab_service.h"
#include "gizrig/lab/lab_state.h"

class QTemporaryDir;

namespace gizrig::gui {

class LabThread : public QObject {
  Q_OBJECT
 public:
  explicit LabThread(QObject* parent = nullptr);
  // Stops the lab (blocking: its children get SIGTERM, a few seconds at worst) and the thread.
  ~LabThread() override;
  LabThread(const LabThread&) = delete;
  LabThread& operator=(const LabThread&) = delete;

  // Starts the lab on the lab thread; started() follows. An empty runDir gets a temporary directory, removed
  // after the lab stopped. False when a lab is already starting or running.
  bool start(lab::LabOptions options);
  // Forgets a start in progress: started() will not come for it, the GUI is free at once, and the lab (once
  // its blocking start returned) is stopped on its thread.
  void cancel();
  // Stops a running lab and waits for it (the children end on SIGTERM at once; at most seconds).
  void stop();

  [[nodiscard]] bool starting() const { return phase_ == Phase::Starting; }
  [[nodiscard]] bool running() const { return phase_ == Phase::Running; }
  // Valid while running(): where everything listens.
  [[nodiscard]] const lab::LabState& state() const { return state_; }
  // The lab's M2M gate while running(), else null. It lives on the lab thread: connect to its signals
  // (queued), do not call into it.
  [[nodiscard]] cloud::M2mGate* gate() const { return running() ? &lab_->gate() : nullptr; }

 signals:
  void started(bool ok, const QString& error);
  void logLine(const QString& line);

 private:
  enum class Phase : std::uint8_t { Idle, Starting, Running };
  void onStarted(std::uint64_t generation, bool ok, const QString& error, const lab::LabState& state);
  void retire(bool wait);  // stops and deletes the current lab on its thread

  QThread thread_;
  QObject* anchor_;                  // lives on thread_: the context of calls that delete a lab there
  lab::LabService* lab_ = nullptr;   // lives on thread_; deleted there
  QTemporaryDir* runDir_ = nullptr;  // the temporary run directory of lab_, deleted after it
  std::uint64_t generation_ = 0;     // a start's answer counts only if no cancel/stop came since
  Phase phase_ = Phase::Idle;
  lab::LabState state_;
};

}  // namespace gizrig::gui
