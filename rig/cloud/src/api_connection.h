#pragma once
// One HTTP connection of the stand-in cloud API: reads one request with the proto HttpRequestParser, then
// lets the server answer it, answer it later, close it without an answer or leave it hanging (the wire-level
// faults). GAgent sends one request per connection (§3.1), so every answer ends the connection.
// The connection deletes itself once the peer is gone.

#include <QByteArray>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <string_view>

#include "gagent/proto/http_parser.h"

class QTcpSocket;

namespace gizrig::cloud::detail {

class ApiConnection : public QObject {
  Q_OBJECT
 public:
  // The control endpoint (/lab/...) accepts bodies beyond the parser's kHttpMaxRequestBodyBytes (firmware
  // images as hex or base64), up to this size.
  static constexpr qint64 kMaxControlBodyBytes = 64LL * 1024 * 1024;
  // A request that is not complete after this long is dropped (a peer that connects and says nothing).
  static constexpr int kRequestTimeoutMs = 30'000;
  // An answer the peer does not read within this long is dropped.
  static constexpr int kLingerTimeoutMs = 60'000;

  // Whether a /lab/... request may send a body beyond the parser's limit (it carries the lab secret): an
  // unauthenticated peer never gets kMaxControlBodyBytes buffered.
  using ControlCheck = std::function<bool(const gagent::proto::HttpRequestParser& request)>;

  ApiConnection(QTcpSocket* socket, ControlCheck authorized, QObject* parent);
  ~ApiConnection() override;

  // Valid in requestReady / requestMalformed (method and path as far as they were parsed).
  [[nodiscard]] const gagent::proto::HttpRequestParser& request() const { return *parser_; }
  [[nodiscard]] std::string_view body() const;

  void respond(const QByteArray& bytes);
  void respondLater(int delayMs, const QByteArray& bytes);
  void closeWithoutAnswer();
  // Keeps the connection open and never answers; it ends when the peer closes.
  void stall();

 signals:
  void requestReady(gizrig::cloud::detail::ApiConnection* connection);
  void requestMalformed(gizrig::cloud::detail::ApiConnection* connection);

 private:
  enum class State : quint8 { Head, LargeBody, Handled };

  void onReadyRead();
  void feed(const QByteArray& bytes);
  void handOver(bool ok);

  QTcpSocket* socket_;
  std::unique_ptr<gagent::proto::HttpRequestParser> parser_;
  State state_ = State::Head;
  QByteArray largeBody_;
  qint64 largeBodySize_ = 0;
  QTimer timeout_;
  ControlCheck authorized_;
};

}  // namespace gizrig::cloud::detail
