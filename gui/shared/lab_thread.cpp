#include "shared/lab_thread.h"

#include <QMetaObject>
#include <QTemporaryDir>

namespace gizrig::gui {

LabThread::LabThread(QObject* parent) : QObject(parent), anchor_(new QObject) {
  thread_.setObjectName(QStringLiteral("virtual-lab"));
  anchor_->moveToThread(&thread_);
  thread_.start();
}

LabThread::~LabThread() {
  retire(true);
  // Everything queued to the lab thread before (a cancelled start and its retirement) runs before this.
  QMetaObject::invokeMethod(
      anchor_, [] {}, Qt::BlockingQueuedConnection);
  thread_.quit();
  thread_.wait();
  delete anchor_;  // its thread has ended: nothing else can touch it
}

bool LabThread::start(lab::LabOptions options) {
  if (phase_ != Phase::Idle) return false;
  phase_ = Phase::Starting;
  const std::uint64_t generation = ++generation_;
  if (options.runDir.isEmpty()) {
    runDir_ = new QTemporaryDir;
    options.runDir = runDir_->path();
  }
  lab_ = new lab::LabService(options);  // no children yet: every QObject of the lab is made in start()
  lab_->moveToThread(&thread_);
  connect(lab_, &lab::LabService::logLine, this, &LabThread::logLine);  // queued: another thread
  QMetaObject::invokeMethod(lab_, [this, lab = lab_, generation] {
    QString error;
    const bool ok = lab->start(&error);
    const lab::LabState state = lab->state();
    // `this` outlives the call: the destructor waits for the lab thread before anything of it goes.
    QMetaObject::invokeMethod(
        this, [this, generation, ok, error, state] { onStarted(generation, ok, error, state); },
        Qt::QueuedConnection);
  });
  return true;
}

void LabThread::onStarted(std::uint64_t generation, bool ok, const QString& error,
                          const lab::LabState& state) {
  if (generation != generation_) return;  // cancelled meanwhile: retire() took care of that lab
  if (!ok) {
    retire(false);
  } else {
    state_ = state;
    phase_ = Phase::Running;
  }
  emit started(ok, error);
}

void LabThread::cancel() {
  if (phase_ == Phase::Starting) retire(false);
}

void LabThread::stop() {
  retire(true);
}

void LabThread::retire(bool wait) {
  ++generation_;
  phase_ = Phase::Idle;
  state_ = {};
  if (lab_ == nullptr) return;
  // Queued behind the start (one thread, one event queue): a lab still starting is stopped as soon as its
  // start returns. The anchor, not the lab, is the context: an object is not deleted inside its own event.
  QMetaObject::invokeMethod(
      anchor_,
      [lab = lab_, runDir = runDir_] {
        lab->stop();
        delete lab;
        delete runDir;
      },
      wait ? Qt::BlockingQueuedConnection : Qt::QueuedConnection);
  lab_ = nullptr;
  runDir_ = nullptr;
}

}  // namespace gizrig::gui
