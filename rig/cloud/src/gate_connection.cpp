#include "gate_connection.h"

#include "gate_login.h"

#include <array>

namespace gizrig::cloud {
namespace {

namespace proto = gagent::proto;

// A module that connects and says nothing is dropped, as a broker drops it (its own keep-alive is 120 s).
constexpr int kLoginTimeoutMs = 30'000;
constexpr quint8 kNoConnack = 0xFF;

proto::Bytes bytesOf(const QByteArray& array) {
  return {reinterpret_cast<const std::uint8_t*>(array.constData()), static_cast<std::size_t>(array.size())};
}

}  // namespace

GateConnection::GateConnection(QTcpSocket* device, M2mGate& gate, quint64 number)
    : QObject(nullptr),
      gate_(gate),
      number_(number),
      deviceAddress_(device->peerAddress().toString() + QLatin1Char(':') +
                     QString::number(device->peerPort())),
      device_(device),
      broker_(new QTcpSocket(this)) {
  device_->setParent(this);
  connect(device_, &QTcpSocket::readyRead, this, &GateConnection::onDeviceReadyRead);
  connect(device_, &QTcpSocket::disconnected, this, &GateConnection::onSocketClosed);
  connect(broker_, &QTcpSocket::connected, this, &GateConnection::startRelay);
  connect(broker_, &QTcpSocket::readyRead, this, [this] {
    if (toDevice_) toDevice_->pump();
  });
  connect(broker_, &QTcpSocket::disconnected, this, &GateConnection::onSocketClosed);
  connect(broker_, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
    if (state_ == State::ConnectingBroker)
      answerAndClose(GateVerdict::BrokerUnavailable, proto::ConnackCode::ServerUnavailable);
  });
  loginTimer_.setSingleShot(true);
  connect(&loginTimer_, &QTimer::timeout, this, [this] {
    if (state_ == State::AwaitingConnect) drop();
  });
  loginTimer_.start(kLoginTimeoutMs);
}

GateConnection::~GateConnection() {
  // Closing sockets during destruction must not call back into a half-destroyed object or gate.
  disconnect(device_, nullptr, this, nullptr);
  disconnect(broker_, nullptr, this, nullptr);
}

void GateConnection::applyFaults(const GateFaults& faults, bool pump) {
  faults_ = faults;
  const auto stalls = [&faults](GateStall direction) {
    return (static_cast<quint8>(faults.stall) & static_cast<quint8>(direction)) != 0;
  };
  if (toBroker_) {
    toBroker_->setStalled(stalls(GateStall::ToBroker));
    toBroker_->setDelay(faults.delayMs);
    if (pump) toBroker_->pump();
  }
  if (toDevice_) {
    toDevice_->setStalled(stalls(GateStall::ToDevice));
    toDevice_->setDelay(faults.delayMs);
    if (pump) toDevice_->pump();
  }
}

void GateConnection::drop() {
  state_ = State::Closing;
  device_->abort();
  broker_->abort();
  if (!finishedEmitted_) {
    finishedEmitted_ = true;
    emit finished();
  }
}

void GateConnection::onDeviceReadyRead() {
  switch (state_) {
    case State::AwaitingConnect:
      readConnect();
      break;
    case State::Relaying:
      toBroker_->pump();
      break;
    case State::ConnectingBroker:
      break;  // left in the socket until the broker side is up
    case State::Closing:
      seen(true, device_->readAll());  // a refused module talking on: nobody listens
      break;
  }
}

void GateConnection::readConnect() {
  const QByteArray bytes = device_->readAll();
  seen(true, bytes);
  login_ += bytes;
  const detail::GateLogin login = detail::readGateLogin(bytesOf(login_));
  if (login.status == detail::GateLoginStatus::NeedMore) return;
  loginTimer_.stop();
  if (login.status == detail::GateLoginStatus::UnsupportedProtocol) {
    answerAndClose(GateVerdict::UnsupportedProtocol, proto::ConnackCode::UnacceptableProtocol);
    return;
  }
  if (login.status == detail::GateLoginStatus::Malformed) {
    // Nothing sensible to answer a peer that does not speak MQTT (or announces a huge CONNECT): close, as a
    // broker does.
    report(GateVerdict::Malformed, kNoConnack);
    drop();
    return;
  }
  const proto::MqttConnect& connect = login.connect;
  did_ = QString::fromUtf8(connect.clientId.data(), static_cast<qsizetype>(connect.clientId.size()));
  proto::ConnackCode code = proto::ConnackCode::Accepted;
  const GateVerdict verdict = gate_.judge(connect, code);
  if (verdict != GateVerdict::Relayed) {
    answerAndClose(verdict, code);
    return;
  }
  state_ = State::ConnectingBroker;
  broker_->connectToHost(gate_.brokerHost_, gate_.brokerPort_);
}

void GateConnection::answerAndClose(GateVerdict verdict, proto::ConnackCode code) {
  state_ = State::Closing;
  broker_->abort();
  std::array<std::uint8_t, 4> connack{};
  const std::size_t size = proto::encodeMqttConnack(connack, false, code);
  const QByteArray answer(reinterpret_cast<const char*>(connack.data()), static_cast<qsizetype>(size));
  device_->write(answer);
  seen(false, answer);
  device_->disconnectFromHost();  // after the CONNACK is written
  report(verdict, static_cast<quint8>(code));
  onSocketClosed();
}

void GateConnection::startRelay() {
  if (state_ != State::ConnectingBroker) return;
  state_ = State::Relaying;
  toBroker_ =
      std::make_unique<RelayPipe>(*device_, *broker_, [this](const QByteArray& bytes) { seen(true, bytes); });
  toDevice_ = std::make_unique<RelayPipe>(*broker_, *device_, [this](const QByteArray& bytes) {
    seen(false, bytes);
    watchBrokerConnack(bytes);
  });
  applyFaults(faults_, false);  // before the preload, so a delay applies to the CONNECT too
  toBroker_->preload(login_);   // the CONNECT unchanged, and whatever the module sent after it
  login_.clear();
  if (device_->state() != QAbstractSocket::ConnectedState) toBroker_->markSourceClosed();
  toBroker_->pump();
  toDevice_->pump();
}

void GateConnection::watchBrokerConnack(const QByteArray& bytes) {
  if (brokerConnackSeen_) return;
  brokerHello_ += bytes;
  const proto::MqttFrameDecode frame = proto::decodeMqttPacket(bytesOf(brokerHello_));
  if (frame.status == proto::ParseStatus::NeedMore) return;
  brokerConnackSeen_ = true;
  quint8 code = kNoConnack;
  if (frame.ok() && frame.packet.type == proto::MqttPacketType::Connack) {
    const auto connack = proto::parseMqttConnack(frame.packet);
    if (connack.ok()) code = static_cast<quint8>(connack.value.code);
  }
  brokerHello_.clear();
  report(GateVerdict::Relayed, code);
}

void GateConnection::onSocketClosed() {
  const bool deviceClosed = device_->state() == QAbstractSocket::UnconnectedState;
  const bool brokerClosed = broker_->state() == QAbstractSocket::UnconnectedState;
  if (state_ == State::Relaying) {
    if (deviceClosed && toBroker_) {
      toBroker_->markSourceClosed();
      toBroker_->pump();
    }
    if (brokerClosed && toDevice_) {
      toDevice_->markSourceClosed();
      toDevice_->pump();
    }
  } else if (deviceClosed) {
    broker_->abort();  // refused, or the module left before the broker side was up
  }
  if (device_->state() == QAbstractSocket::UnconnectedState &&
      broker_->state() == QAbstractSocket::UnconnectedState && !finishedEmitted_) {
    finishedEmitted_ = true;
    emit finished();
  }
}

void GateConnection::report(GateVerdict verdict, quint8 code) {
  emit gate_.loginHandled(did_, verdict, code);
}

void GateConnection::seen(bool fromDevice, const QByteArray& bytes) {
  if (!bytes.isEmpty()) emit gate_.wireBytes(number_, fromDevice, deviceAddress_, bytes);
}

}  // namespace gizrig::cloud
