#include "gizrig/routers/air_line_client.h"

#include <QPointer>

namespace gizrig::core {

AirLineClient::AirLineClient(StreamLink* link, RigClock& clock, const QHostAddress& address, quint16 port,
                             QObject* parent)
    : QObject(parent), link_(link), clock_(clock), address_(address), port_(port) {
  link_->setParent(this);
  connect(link_, &StreamLink::connected, this, &AirLineClient::onConnected);
  connect(link_, &StreamLink::received, this, &AirLineClient::onReceived);
  connect(link_, &StreamLink::disconnected, this, [this] {
    if (state_ == State::Idle) return;
    failAll(QStringLiteral("the air at %1 closed the connection").arg(target()));
  });
  connect(link_, &StreamLink::errorOccurred, this, [this](const QString& message) {
    if (state_ == State::Idle) return;
    failAll(QStringLiteral("air %1: %2").arg(target(), message));
  });
}

AirLineClient::~AirLineClient() {
  if (deadline_ != 0) clock_.cancel(deadline_);
}

QString AirLineClient::target() const {
  return QStringLiteral("%1:%2").arg(address_.toString()).arg(port_);
}

void AirLineClient::request(const QByteArray& line, ReplyFn done) {
  if (line.isEmpty() || line.contains('\n') || line.contains('\r')) {
    // Answered on the next turn of the clock, as every other reply is.
    clock_.callAfter(0, this, [done = std::move(done)] {
      done({false, {}, QStringLiteral("bad air request (empty or with a line break)")});
    });
    return;
  }
  queue_.push_back({line, std::move(done)});
  startNext();
}

void AirLineClient::startNext() {
  if (inFlight_ || queue_.empty()) return;
  if (state_ == State::Idle && link_->isConnected()) state_ = State::Connected;  // handed in connected
  if (state_ == State::Idle) {
    state_ = State::Connecting;
    input_.clear();
    deadline_ = clock_.callAfter(timeoutMs_, this, [this] { onTimeout(); });
    link_->connectTo(address_, port_);
    return;
  }
  if (state_ != State::Connected) return;
  inFlight_ = true;
  deadline_ = clock_.callAfter(timeoutMs_, this, [this] { onTimeout(); });
  link_->write(queue_.front().line + '\n');
}

void AirLineClient::onConnected() {
  if (state_ != State::Connecting) return;
  if (deadline_ != 0) clock_.cancel(deadline_);
  deadline_ = 0;
  state_ = State::Connected;
  startNext();
}

void AirLineClient::onReceived(const QByteArray& bytes) {
  if (state_ != State::Connected) return;
  input_ += bytes;
  qsizetype start = 0;
  for (qsizetype end = input_.indexOf('\n'); end >= 0; end = input_.indexOf('\n', start)) {
    QByteArray line = input_.mid(start, end - start);
    start = end + 1;
    if (line.endsWith('\r')) line.chop(1);
    const QPointer<AirLineClient> alive(this);
    onLine(line);
    if (!alive || state_ != State::Connected) return;  // the line's callback dropped or deleted us
  }
  input_.remove(0, start);
  if (input_.size() > kMaxLineBytes) {
    failAll(QStringLiteral("air %1 sent a line over %2 bytes").arg(target()).arg(kMaxLineBytes));
  }
}

void AirLineClient::onLine(const QByteArray& line) {
  if (line.startsWith("EVENT")) {
    emit eventReceived(line);
    return;
  }
  if (!inFlight_) return;  // an answer to nothing: the air never does this; ignoring keeps the order intact
  if (deadline_ != 0) clock_.cancel(deadline_);
  deadline_ = 0;
  inFlight_ = false;
  Pending pending = std::move(queue_.front());
  queue_.pop_front();

  AirReply reply;
  if (line == "OK" || line.startsWith("OK ")) {
    reply.ok = true;
    if (line.size() > 3) reply.tokens = line.mid(3).split(' ');
  } else if (line.startsWith("ERROR")) {
    reply.error = QString::fromUtf8(line.mid(6)).trimmed();
    if (reply.error.isEmpty()) reply.error = QStringLiteral("error without a reason");
  } else {
    reply.error = QStringLiteral("unexpected air reply '%1'").arg(QString::fromUtf8(line.left(80)));
  }
  finish(std::move(pending), reply);
  // The callback may have deleted us; finish() told us through the return of startNext's guard below.
}

void AirLineClient::finish(Pending pending, const AirReply& reply) {
  const QPointer<AirLineClient> alive(this);
  pending.done(reply);
  if (alive) startNext();
}

void AirLineClient::onTimeout() {
  deadline_ = 0;
  const QString what = inFlight_
                           ? QStringLiteral("no answer to '%1'").arg(QString::fromUtf8(queue_.front().line))
                           : QStringLiteral("could not connect");
  failAll(QStringLiteral("air %1: %2 within %3 ms").arg(target(), what).arg(timeoutMs_));
}

void AirLineClient::failAll(const QString& reason) {
  if (deadline_ != 0) clock_.cancel(deadline_);
  deadline_ = 0;
  const bool wasOpen = state_ != State::Idle;
  state_ = State::Idle;
  inFlight_ = false;
  input_.clear();
  link_->close();  // after state_ = Idle, so its disconnected() is not taken for another failure
  std::deque<Pending> failed;
  failed.swap(queue_);
  const QPointer<AirLineClient> alive(this);
  if (wasOpen) emit connectionLost(reason);
  for (Pending& pending : failed) {
    if (!alive) return;
    pending.done({false, {}, reason});
  }
}

}  // namespace gizrig::core
