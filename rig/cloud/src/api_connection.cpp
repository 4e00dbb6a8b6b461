#include "api_connection.h"

#include <QTcpSocket>

namespace gizrig::cloud::detail {

namespace proto = gagent::proto;

ApiConnection::ApiConnection(QTcpSocket* socket, ControlCheck authorized, QObject* parent)
    : QObject(parent),
      socket_(socket),
      parser_(std::make_unique<proto::HttpRequestParser>()),
      authorized_(std::move(authorized)) {
  socket_->setParent(this);
  timeout_.setSingleShot(true);
  connect(&timeout_, &QTimer::timeout, this, [this] { socket_->abort(); });
  connect(socket_, &QTcpSocket::readyRead, this, &ApiConnection::onReadyRead);
  connect(socket_, &QTcpSocket::disconnected, this, &QObject::deleteLater);
  timeout_.start(kRequestTimeoutMs);
  // Bytes may have arrived before the signals were connected.
  if (socket_->bytesAvailable() > 0) QTimer::singleShot(0, this, &ApiConnection::onReadyRead);
}

ApiConnection::~ApiConnection() = default;

std::string_view ApiConnection::body() const {
  if (largeBodySize_ > 0) return {largeBody_.constData(), static_cast<std::size_t>(largeBody_.size())};
  return parser_->body();
}

void ApiConnection::onReadyRead() {
  const QByteArray bytes = socket_->readAll();
  if (state_ == State::Handled) return;  // bytes after the request: nothing more is read (§3.1)
  feed(bytes);
}

void ApiConnection::feed(const QByteArray& bytes) {
  if (state_ == State::LargeBody) {
    largeBody_.append(bytes.left(largeBodySize_ - largeBody_.size()));
    if (largeBody_.size() == largeBodySize_) handOver(true);
    return;
  }
  const auto in = proto::asBytes(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
  const proto::HttpRequestFeed step = parser_->feed(in);
  if (step.status == proto::ParseStatus::NeedMore) return;
  if (step.status == proto::ParseStatus::Ok) {
    handOver(true);
    return;
  }
  // A control request with a big body (a firmware image): the parser has read and checked the head; the
  // body is collected here up to its Content-Length.
  if (parser_->error() == proto::HttpError::BodyTooLarge && parser_->path().starts_with("/lab/")) {
    // Without the secret the server refuses the request on its head alone (401): no body is collected.
    if (!authorized_ || !authorized_(*parser_)) {
      handOver(true);
      return;
    }
    const auto length = parser_->header("Content-Length");
    const qint64 size =
        length ? QByteArray(length->data(), static_cast<qsizetype>(length->size())).toLongLong() : 0;
    if (size > 0 && size <= kMaxControlBodyBytes) {
      state_ = State::LargeBody;
      largeBodySize_ = size;
      largeBody_.reserve(static_cast<qsizetype>(size));
      feed(bytes.mid(static_cast<qsizetype>(step.consumed)));
      return;
    }
  }
  handOver(false);
}

void ApiConnection::handOver(bool ok) {
  state_ = State::Handled;
  timeout_.stop();
  if (ok) {
    emit requestReady(this);
  } else {
    emit requestMalformed(this);
  }
}

void ApiConnection::respond(const QByteArray& bytes) {
  timeout_.start(kLingerTimeoutMs);
  socket_->write(bytes);
  socket_->disconnectFromHost();  // after the bytes are written; then disconnected() deletes this
}

void ApiConnection::respondLater(int delayMs, const QByteArray& bytes) {
  // `this` as context: a peer that closes first deletes the connection and the answer is dropped.
  QTimer::singleShot(delayMs, this, [this, bytes] { respond(bytes); });
}

void ApiConnection::closeWithoutAnswer() {
  socket_->disconnectFromHost();
}

void ApiConnection::stall() {
  timeout_.stop();
}

}  // namespace gizrig::cloud::detail
