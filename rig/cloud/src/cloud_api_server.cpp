// CloudApiServer: listening, connections, fault slots and the request log. The endpoints are in
// cloud_api_endpoints.cpp, the control endpoint in cloud_api_control.cpp.
#include "gizrig/cloud/cloud_api_server.h"

#include <QTcpSocket>

#include "api_answer.h"
#include "api_connection.h"
#include "form_fields.h"
#include "gagent/proto/http_parser.h"
#include "gizrig/cloud/firmware_store.h"

namespace gizrig::cloud {

namespace proto = gagent::proto;
using detail::ApiAnswer;
using detail::ApiConnection;

namespace {

QString toQString(std::string_view text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

bool isLoopback(const QHostAddress& address) {
  return address.isLoopback() && address.protocol() == QAbstractSocket::IPv4Protocol;
}

}  // namespace

std::optional<QString> ApiRequestRecord::field(const QString& key) const {
  for (const auto& [name, value] : form) {
    if (name == key) return value;
  }
  return std::nullopt;
}

CloudApiServer::CloudApiServer(DeviceRegistry& registry, FirmwareStore& firmware, CloudApiSettings settings,
                               QObject* parent)
    : QObject(parent), registry_(registry), firmware_(firmware), settings_(std::move(settings)) {
  connect(&server_, &QTcpServer::newConnection, this, &CloudApiServer::acceptConnections);
  upTimer_.setSingleShot(true);
  connect(&upTimer_, &QTimer::timeout, this, [this] { setDown(false); });
}

CloudApiServer::~CloudApiServer() = default;

bool CloudApiServer::listen(quint16 port, const QHostAddress& address) {
  if (!isLoopback(address)) {
    error_ = QStringLiteral("refusing to listen on %1: the lab stays on 127.0.0.0/8").arg(address.toString());
    return false;
  }
  server_.close();
  if (!server_.listen(address, port)) {
    error_ = QStringLiteral("cannot listen on %1:%2: %3")
                 .arg(address.toString())
                 .arg(port)
                 .arg(server_.errorString());
    return false;
  }
  address_ = address;
  port_ = server_.serverPort();
  down_ = false;
  return true;
}

void CloudApiServer::close() {
  upTimer_.stop();
  server_.close();
  down_ = false;
}

void CloudApiServer::setM2mAddress(const QString& host, quint16 port) {
  settings_.m2mHost = host;
  settings_.m2mPort = port;
}

bool CloudApiServer::setDown(bool down, int forMs) {
  upTimer_.stop();
  if (port_ == 0) {
    error_ = QStringLiteral("the server never listened");
    return false;
  }
  if (down) {
    server_.close();
    down_ = true;
    if (forMs > 0) upTimer_.start(forMs);
    return true;
  }
  if (server_.isListening()) return true;
  // Same address and port again: modules keep the address they were given.
  if (!server_.listen(address_, port_)) {
    error_ = QStringLiteral("cannot listen again on %1:%2: %3")
                 .arg(address_.toString())
                 .arg(port_)
                 .arg(server_.errorString());
    return false;
  }
  down_ = false;
  return true;
}

void CloudApiServer::setFault(ApiEndpoint endpoint, const ApiFault& fault, int count) {
  const int remaining = fault.kind == ApiFault::Kind::None || count == 0 ? 0 : count;
  faults_[static_cast<std::size_t>(endpoint)] = {fault, remaining};
}

void CloudApiServer::clearFaults() {
  faults_.fill({});
}

std::optional<QPair<ApiFault, int>> CloudApiServer::fault(ApiEndpoint endpoint) const {
  const FaultSlot& slot = faults_[static_cast<std::size_t>(endpoint)];
  if (slot.remaining == 0 || slot.fault.kind == ApiFault::Kind::None) return std::nullopt;
  return QPair<ApiFault, int>{slot.fault, slot.remaining};
}

std::optional<ApiFault> CloudApiServer::takeFault(ApiEndpoint endpoint) {
  FaultSlot& slot = faults_[static_cast<std::size_t>(endpoint)];
  if (slot.remaining == 0 || slot.fault.kind == ApiFault::Kind::None) return std::nullopt;
  if (slot.remaining != kPersistent) --slot.remaining;
  return slot.fault;
}

QString CloudApiServer::downloadUrl(const PublishedFirmware& firmware) const {
  QString url = QStringLiteral("http://") + settings_.downloadHost;
  if (port_ != proto::kHttpDefaultPort) url += u':' + QString::number(port_);
  return url + QStringLiteral("/fw/") + firmware.name;
}

void CloudApiServer::acceptConnections() {
  while (QTcpSocket* socket = server_.nextPendingConnection()) {
    auto* connection = new ApiConnection(
        socket, [this](const proto::HttpRequestParser& request) { return controlAuthorized(request); }, this);
    connect(connection, &ApiConnection::requestReady, this, &CloudApiServer::handleRequest);
    connect(connection, &ApiConnection::requestMalformed, this, &CloudApiServer::handleMalformed);
  }
}

void CloudApiServer::handleRequest(ApiConnection* connection) {
  const proto::HttpRequestParser& request = connection->request();
  if (request.path().starts_with("/lab/")) {
    if (settings_.controlSecret.isEmpty()) {
      connection->respond(
          ApiAnswer::controlError(403, QStringLiteral("the control endpoint is closed: no lab secret is set"))
              .serialize());
      return;
    }
    if (!controlAuthorized(request)) {
      connection->respond(ApiAnswer::controlError(401, QStringLiteral("the lab secret is missing or wrong "
                                                                      "(Authorization: Bearer <secret>, "
                                                                      "from lab.json)"))
                              .serialize());
      return;
    }
    const ApiAnswer answer = control(request.method(), request.path(), connection->body());
    connection->respond(answer.serialize());
    return;
  }
  ApiRequestRecord record;
  record.time = QDateTime::currentDateTime();
  record.method = toQString(request.method());
  record.path = toQString(request.path());
  record.form = detail::formFields(connection->body());
  const ApiAnswer answer = route(request, connection->body(), record);
  record.status = answer.action == ApiAnswer::Action::Respond ? answer.status : 0;
  log(std::move(record));
  switch (answer.action) {
    case ApiAnswer::Action::Close:
      connection->closeWithoutAnswer();
      return;
    case ApiAnswer::Action::Stall:
      connection->stall();
      return;
    case ApiAnswer::Action::Respond:
      break;
  }
  if (answer.delayMs > 0) {
    connection->respondLater(answer.delayMs, answer.serialize());
  } else {
    connection->respond(answer.serialize());
  }
}

// Whatever the peer sent, it gets a clear 400 and the connection ends (§3.6 9015 "form invalid").
void CloudApiServer::handleMalformed(ApiConnection* connection) {
  const proto::HttpRequestParser& request = connection->request();
  const bool control = request.path().starts_with("/lab/");
  const QString reason = toQString(proto::httpErrorName(request.error()));
  if (control) {
    connection->respond(
        ApiAnswer::controlError(400, QStringLiteral("malformed HTTP request: %1").arg(reason)).serialize());
    return;
  }
  ApiRequestRecord record;
  record.time = QDateTime::currentDateTime();
  record.method = toQString(request.method());
  record.path = toQString(request.path());
  record.status = 400;
  log(std::move(record));
  connection->respond(ApiAnswer::error(400, proto::CloudErrorCode::FormInvalid).serialize());
}

bool CloudApiServer::controlAuthorized(const proto::HttpRequestParser& request) const {
  if (settings_.controlSecret.isEmpty()) return false;
  const auto header = request.header("Authorization");
  if (!header) return false;
  constexpr std::string_view kScheme = "Bearer ";
  if (header->size() < kScheme.size() ||
      !proto::asciiEqualsIgnoreCase(header->substr(0, kScheme.size()), kScheme))
    return false;
  const std::string_view given = header->substr(kScheme.size());
  const QByteArray expected = settings_.controlSecret.toUtf8();
  // Constant time in the secret's length: a wrong guess learns nothing from how long the answer took.
  unsigned char diff = given.size() == static_cast<std::size_t>(expected.size()) ? 0 : 1;
  for (qsizetype i = 0; i < expected.size(); ++i) {
    const char g = static_cast<std::size_t>(i) < given.size() ? given[static_cast<std::size_t>(i)] : '\0';
    diff |= static_cast<unsigned char>(g ^ expected[i]);
  }
  return diff == 0;
}

void CloudApiServer::log(ApiRequestRecord record) {
  if (requests_.size() >= kMaxLoggedRequests) requests_.removeFirst();
  requests_.append(std::move(record));
  emit requestLogged(requests_.back());
}

}  // namespace gizrig::cloud
