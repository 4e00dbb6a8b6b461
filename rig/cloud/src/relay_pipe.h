#pragma once
// One direction of the M2M gate's relay: bytes read from one socket are written unchanged to the other, with
// the gate's faults applied. A stall stops reading (bytes wait in the socket, as on a congested link); a
// delay holds each chunk for N ms. When the source has closed and everything it sent is through, the sink is
// closed too.

#include <QByteArray>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>
#include <deque>
#include <functional>

namespace gizrig::cloud {

class RelayPipe {
 public:
  // `peek` sees every chunk as it is read (the gate watches the broker's CONNACK with it).
  RelayPipe(QTcpSocket& from, QTcpSocket& to, std::function<void(const QByteArray&)> peek = {});

  // Bytes to send before anything read from `from` (the CONNECT the gate already consumed).
  void preload(const QByteArray& bytes);
  void setStalled(bool stalled);
  void setDelay(int milliseconds);
  // Moves what can move now. Call on readyRead of `from`, on its close and when faults change.
  void pump();
  void markSourceClosed();
  // True once the sink was told to close (source closed and drained).
  [[nodiscard]] bool finished() const { return finished_; }

 private:
  struct Chunk {
    qint64 due = 0;  // clock_ milliseconds
    QByteArray bytes;
  };
  void flushDue();
  void scheduleNext();

  QTcpSocket& from_;
  QTcpSocket& to_;
  std::function<void(const QByteArray&)> peek_;
  std::deque<Chunk> queue_;
  QTimer timer_;
  QElapsedTimer clock_;
  bool stalled_ = false;
  int delayMs_ = 0;
  bool sourceClosed_ = false;
  bool finished_ = false;
};

}  // namespace gizrig::cloud
