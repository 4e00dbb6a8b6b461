#include "relay_pipe.h"

namespace gizrig::cloud {

RelayPipe::RelayPipe(QTcpSocket& from, QTcpSocket& to, std::function<void(const QByteArray&)> peek)
    : from_(from), to_(to), peek_(std::move(peek)) {
  clock_.start();
  timer_.setSingleShot(true);
  QObject::connect(&timer_, &QTimer::timeout, &timer_, [this] { pump(); });
}

void RelayPipe::preload(const QByteArray& bytes) {
  if (bytes.isEmpty()) return;
  queue_.push_back({clock_.elapsed() + delayMs_, bytes});
}

void RelayPipe::setStalled(bool stalled) {
  stalled_ = stalled;
}

void RelayPipe::setDelay(int milliseconds) {
  delayMs_ = std::max(0, milliseconds);
}

void RelayPipe::markSourceClosed() {
  sourceClosed_ = true;
}

void RelayPipe::pump() {
  if (stalled_ || finished_) return;
  if (from_.bytesAvailable() > 0) {
    const QByteArray bytes = from_.readAll();
    if (peek_) peek_(bytes);
    queue_.push_back({clock_.elapsed() + delayMs_, bytes});
  }
  flushDue();
  if (sourceClosed_ && queue_.empty() && from_.bytesAvailable() == 0) {
    finished_ = true;
    to_.disconnectFromHost();  // writes what is still buffered, then closes
    return;
  }
  scheduleNext();
}

void RelayPipe::flushDue() {
  const qint64 now = clock_.elapsed();
  while (!queue_.empty() && queue_.front().due <= now) {
    if (to_.state() == QAbstractSocket::ConnectedState) to_.write(queue_.front().bytes);
    queue_.pop_front();
  }
}

void RelayPipe::scheduleNext() {
  if (queue_.empty()) return;
  const qint64 wait = std::max<qint64>(0, queue_.front().due - clock_.elapsed());
  timer_.start(static_cast<int>(std::min<qint64>(wait, 60'000)));
}

}  // namespace gizrig::cloud
