#pragma once
// The rig's asynchronous client of the gagent-air line protocol (docs/virtual-lab.md): requests are queued
// and sent one at a time (the air answers in order, one line per request), each with a deadline on the
// RigClock. It speaks through a StreamLink (QtStreamLink = a QTcpSocket in the lab), never blocks, and
// connects by itself when a request is made while it is not connected.
//
// Decisions:
// - One request in flight: a reply is matched to the request it answers by order alone, so nothing is sent
//   before the previous reply arrived.
// - A request that gets no reply by its deadline fails, and the connection is closed (a late reply would
//   otherwise answer the next request); everything still queued fails with it. So does everything pending
//   when the connection breaks or cannot be made. The next request connects again.
// - `EVENT ...` lines (meant for module connections) are handed to eventReceived() and never taken as a
// reply.
// - A line longer than kMaxLineBytes closes the connection (the air never sends one; a broken peer might).

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <deque>
#include <functional>

#include "gizrig/links/links.h"
#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

struct AirReply {
  bool ok = false;
  QList<QByteArray> tokens;  // after "OK" (may be empty)
  QString error;             // "no-ap", "wrong-password", "bad-request ..." or what broke
};

class AirLineClient : public QObject {
  Q_OBJECT
 public:
  using ReplyFn = std::function<void(const AirReply&)>;
  static constexpr RigMillis kDefaultTimeoutMs = 5000;
  static constexpr qsizetype kMaxLineBytes = 64 * 1024;

  // Takes `link` as a child; the air listens at `address`:`port`.
  AirLineClient(StreamLink* link, RigClock& clock, const QHostAddress& address, quint16 port,
                QObject* parent = nullptr);
  ~AirLineClient() override;

  void setTimeoutMs(RigMillis timeoutMs) { timeoutMs_ = timeoutMs; }
  // `line` without '\n'; `done` is called exactly once, on this object's thread.
  void request(const QByteArray& line, ReplyFn done);
  [[nodiscard]] bool isConnected() const { return state_ == State::Connected; }
  [[nodiscard]] QString target() const;

 signals:
  void eventReceived(const QByteArray& line);
  void connectionLost(const QString& reason);

 private:
  enum class State { Idle, Connecting, Connected };
  struct Pending {
    QByteArray line;
    ReplyFn done;
  };

  void startNext();
  void onConnected();
  void onReceived(const QByteArray& bytes);
  void onLine(const QByteArray& line);
  void onTimeout();
  // Fails everything pending with `reason`, drops the connection.
  void failAll(const QString& reason);
  void finish(Pending pending, const AirReply& reply);

  StreamLink* link_;
  RigClock& clock_;
  QHostAddress address_;
  quint16 port_;
  RigMillis timeoutMs_ = kDefaultTimeoutMs;
  State state_ = State::Idle;
  std::deque<Pending> queue_;  // front is in flight when inFlight_
  bool inFlight_ = false;
  TimerId deadline_ = 0;
  QByteArray input_;
};

}  // namespace gizrig::core
