#include "gizrig/cloud/m2m_gate.h"

#include "gate_connection.h"

namespace gizrig::cloud {

namespace proto = gagent::proto;

QString gateVerdictName(GateVerdict verdict) {
  switch (verdict) {
    case GateVerdict::Relayed:
      return QStringLiteral("relayed");
    case GateVerdict::BadCredentials:
      return QStringLiteral("bad credentials");
    case GateVerdict::Forced:
      return QStringLiteral("forced");
    case GateVerdict::IdentifierRejected:
      return QStringLiteral("identifier rejected");
    case GateVerdict::UnsupportedProtocol:
      return QStringLiteral("unsupported protocol");
    case GateVerdict::BrokerUnavailable:
      return QStringLiteral("broker unavailable");
    case GateVerdict::Malformed:
      return QStringLiteral("malformed");
  }
  return QStringLiteral("?");
}

M2mGate::M2mGate(DeviceAuthenticator authenticate, QObject* parent)
    : QObject(parent), authenticate_(std::move(authenticate)) {
  connect(&server_, &QTcpServer::newConnection, this, &M2mGate::onNewConnection);
}

M2mGate::~M2mGate() {
  for (const QPointer<GateConnection>& connection : connections_) delete connection.data();
}

bool M2mGate::listen(quint16 port) {
  if (!server_.listen(QHostAddress::LocalHost, port)) return false;
  port_ = server_.serverPort();
  refusing_ = false;
  return true;
}

void M2mGate::setBroker(const QHostAddress& host, quint16 port) {
  brokerHost_ = host;
  brokerPort_ = port;
}

void M2mGate::forceConnack(proto::ConnackCode code, int count) {
  forcedCode_ = code;
  forcedCount_ = code == proto::ConnackCode::Accepted ? 0 : std::max(0, count);
}

bool M2mGate::setRefusing(bool refusing) {
  if (refusing == refusing_) return true;
  refusing_ = refusing;
  if (refusing) {
    server_.close();
    return true;
  }
  return server_.listen(QHostAddress::LocalHost, port_);
}

void M2mGate::dropAll() {
  const auto connections = connections_;  // drop() removes entries through finished()
  for (const QPointer<GateConnection>& connection : connections) {
    if (connection) connection->drop();
  }
}

void M2mGate::setStall(GateStall stall) {
  faults_.stall = stall;
  for (const QPointer<GateConnection>& connection : connections_) {
    if (connection) connection->applyFaults(faults_);
  }
}

void M2mGate::setDelay(int milliseconds) {
  faults_.delayMs = std::max(0, milliseconds);
  for (const QPointer<GateConnection>& connection : connections_) {
    if (connection) connection->applyFaults(faults_);
  }
}

int M2mGate::connectionCount() const {
  return static_cast<int>(std::count_if(connections_.begin(), connections_.end(),
                                        [](const QPointer<GateConnection>& c) { return !c.isNull(); }));
}

void M2mGate::onNewConnection() {
  while (QTcpSocket* socket = server_.nextPendingConnection()) {
    auto* connection = new GateConnection(socket, *this, nextConnection_++);
    connection->setParent(this);
    connections_.append(connection);
    connection->applyFaults(faults_);
    connect(connection, &GateConnection::finished, this, [this, connection] {
      connections_.removeAll(QPointer<GateConnection>(connection));
      if (connection->wasRelayed()) emit connectionClosed(connection->did());
      emit wireClosed(connection->number());
      connection->deleteLater();
    });
  }
}

GateVerdict M2mGate::judge(const proto::MqttConnect& connect, proto::ConnackCode& code) {
  if (forcedCount_ > 0) {
    --forcedCount_;
    code = forcedCode_;
    return GateVerdict::Forced;
  }
  // S8.9 0x02, as the sim broker judges it: MQTT 3.1 client ids are 1..23 characters (the DID is 22).
  if (connect.clientId.empty() || connect.clientId.size() > proto::kMqtt31MaxClientIdLength) {
    code = proto::ConnackCode::IdentifierRejected;
    return GateVerdict::IdentifierRejected;
  }
  const QString clientId =
      QString::fromUtf8(connect.clientId.data(), static_cast<qsizetype>(connect.clientId.size()));
  // Gizwits: client id = user name = DID, password = passcode (§3.7); anything else is a wrong login.
  const bool sameUser = connect.username && *connect.username == connect.clientId;
  const bool known =
      sameUser && connect.password && authenticate_ &&
      authenticate_(clientId, QString::fromUtf8(connect.password->data(),
                                                static_cast<qsizetype>(connect.password->size())));
  if (!known) {
    code = proto::ConnackCode::BadUserNameOrPassword;  // S8.9: Gizwits answers 0x04 where mosquitto says 0x05
    return GateVerdict::BadCredentials;
  }
  code = proto::ConnackCode::Accepted;
  return GateVerdict::Relayed;
}

}  // namespace gizrig::cloud
