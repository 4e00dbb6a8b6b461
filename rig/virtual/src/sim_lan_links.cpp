#include "gizrig/virtual/sim_lan_links.h"

#include <span>
#include <vector>

#include "gagent/sim/sim_net.h"

namespace gizrig::core {

namespace sim = gagent::sim;
namespace hal = gagent::hal;

namespace {

std::span<const std::uint8_t> bytesOf(const QByteArray& data) {
  return {reinterpret_cast<const std::uint8_t*>(data.constData()), static_cast<std::size_t>(data.size())};
}

QByteArray toQBytes(const std::vector<std::uint8_t>& bytes) {
  return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

QString endpointText(const QHostAddress& address, quint16 port) {
  return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

}  // namespace

std::optional<hal::Ipv4> toSimIpv4(const QHostAddress& address) {
  bool ok = false;
  const quint32 v4 = address.toIPv4Address(&ok);
  if (!ok) return std::nullopt;
  return hal::Ipv4{v4};
}

QHostAddress fromSimIpv4(hal::Ipv4 address) {
  return QHostAddress(address.value);
}

// ---- SimDatagramLink --------------------------------------------------------------------------------------

SimDatagramLink::SimDatagramLink(SimLanLinkFactory& factory, QObject* parent)
    : DatagramLink(parent), factory_(&factory) {}

SimDatagramLink::~SimDatagramLink() {
  close();
}

bool SimDatagramLink::bind(const QHostAddress& address, quint16 port) {
  close();
  if (!factory_) {
    emit errorOccurred(QStringLiteral("sim UDP: the virtual world is gone"));
    return false;
  }
  std::optional<hal::Ipv4> ip = toSimIpv4(address);
  if (!ip) {
    emit errorOccurred(QStringLiteral("cannot bind UDP %1:%2: the virtual LAN is IPv4 only")
                           .arg(address.toString())
                           .arg(port));
    return false;
  }
  if (ip->isUnset()) ip = factory_->phoneAddress();
  socket_ = &factory_->net().openPeerUdp({*ip, port});
  serviceId_ = factory_->clock().addService([this](RigMillis) { return service(); });
  return true;
}

bool SimDatagramLink::sendTo(const QByteArray& datagram, const QHostAddress& to, quint16 port) {
  const std::optional<hal::Ipv4> ip = toSimIpv4(to);
  if (!ip || ip->isUnset() || port == 0) {
    emit errorOccurred(QStringLiteral("no IPv4 destination address/port for a UDP datagram (%1)")
                           .arg(endpointText(to, port)));
    return false;
  }
  if (socket_ == nullptr && !bind(QHostAddress(QHostAddress::AnyIPv4), 0)) return false;
  factory_->clock().requestPass();
  if (!socket_->send({*ip, port}, bytesOf(datagram))) {
    emit errorOccurred(
        QStringLiteral("UDP send to %1 failed: the virtual LAN is down").arg(endpointText(to, port)));
    return false;
  }
  return true;
}

void SimDatagramLink::close() {
  if (socket_ != nullptr && factory_) socket_->close();
  socket_ = nullptr;
  if (serviceId_ != 0 && factory_) factory_->clock().removeService(serviceId_);
  serviceId_ = 0;
}

quint16 SimDatagramLink::localPort() const {
  return socket_ != nullptr ? socket_->local().port : 0;
}

void SimDatagramLink::detach() {
  close();
  factory_ = nullptr;
}

bool SimDatagramLink::service() {
  bool any = false;
  const QPointer<SimDatagramLink> self(this);
  // A slot may close (or even delete) the link while it takes a datagram.
  while (self && socket_ != nullptr) {
    std::optional<sim::PeerUdpSocket::Datagram> datagram = socket_->receive();
    if (!datagram) break;
    any = true;
    emit received(toQBytes(datagram->bytes), fromSimIpv4(datagram->from.ip), datagram->from.port);
  }
  return any;
}

// ---- SimStreamLink ----------------------------------------------------------------------------------------

SimStreamLink::SimStreamLink(SimLanLinkFactory& factory, QObject* parent)
    : StreamLink(parent), factory_(&factory) {}

SimStreamLink::~SimStreamLink() {
  if (connection_ != nullptr && factory_) connection_->close();
  connection_ = nullptr;
  stopService();
}

void SimStreamLink::connectTo(const QHostAddress& address, quint16 port) {
  close();
  if (!factory_) {
    emit errorOccurred(QStringLiteral("sim TCP: the virtual world is gone"));
    return;
  }
  const std::optional<hal::Ipv4> ip = toSimIpv4(address);
  if (!ip || ip->isUnset() || port == 0) {
    emit errorOccurred(
        QStringLiteral("no IPv4 address/port to connect to (%1)").arg(endpointText(address, port)));
    return;
  }
  connection_ = factory_->net().connectPeer({factory_->phoneAddress(), 0}, {*ip, port});
  if (connection_ == nullptr) {
    state_ = State::Refused;
    refusal_ = QStringLiteral("TCP connect to %1 refused (nobody listening, or the virtual LAN is down)")
                   .arg(endpointText(address, port));
  } else {
    state_ = State::Connecting;
  }
  // Reported at the next turn, as a socket reports it from the event loop.
  factory_->clock().requestPass();
  serviceId_ = factory_->clock().addService([this](RigMillis) { return service(); });
}

void SimStreamLink::write(const QByteArray& bytes) {
  if (state_ != State::Connected || connection_ == nullptr) {
    emit errorOccurred(QStringLiteral("write on a TCP link that is not connected"));
    return;
  }
  factory_->clock().requestPass();
  if (!connection_->send(bytesOf(bytes))) {
    emit errorOccurred(QStringLiteral("TCP send failed: the connection is closed"));
  }
}

void SimStreamLink::close() {
  const bool wasConnected = state_ == State::Connected;
  if (connection_ != nullptr && factory_) {
    connection_->close();
    factory_->clock().requestPass();
  }
  connection_ = nullptr;
  state_ = State::Unconnected;
  stopService();
  if (wasConnected) emit disconnected();  // as QTcpSocket::abort() on a connected socket
}

void SimStreamLink::detach() {
  close();
  factory_ = nullptr;
}

void SimStreamLink::stopService() {
  if (serviceId_ != 0 && factory_) factory_->clock().removeService(serviceId_);
  serviceId_ = 0;
}

bool SimStreamLink::service() {
  const QPointer<SimStreamLink> self(this);
  switch (state_) {
    case State::Unconnected:
      return false;
    case State::Refused:
      state_ = State::Unconnected;
      stopService();
      emit errorOccurred(refusal_);
      return true;
    case State::Connecting:
      state_ = State::Connected;
      emit connected();
      if (!self || state_ != State::Connected) return true;
      [[fallthrough]];
    case State::Connected:
      break;
  }
  bool any = false;
  if (connection_->pending() > 0) {
    any = true;
    emit received(toQBytes(connection_->receiveAll()));
    if (!self || state_ != State::Connected) return true;
  }
  // The module closed or the connection broke (module reboot, LAN down): after the last bytes, as a socket.
  if (connection_->isClosed() && connection_->pending() == 0) {
    connection_ = nullptr;
    state_ = State::Unconnected;
    stopService();
    emit disconnected();
    return true;
  }
  return any;
}

// ---- SimLanLinkFactory ------------------------------------------------------------------------------------

SimLanLinkFactory::SimLanLinkFactory(sim::SimNet& net, VirtualRigClock& clock, QObject* parent)
    : QObject(parent), net_(net), clock_(clock) {}

SimLanLinkFactory::~SimLanLinkFactory() {
  for (const auto& link : datagrams_)
    if (link) link->detach();
  for (const auto& link : streams_)
    if (link) link->detach();
}

DatagramLink* SimLanLinkFactory::createDatagram(QObject* parent) {
  datagrams_.removeIf([](const QPointer<SimDatagramLink>& p) { return p.isNull(); });
  auto* link = new SimDatagramLink(*this, parent);
  datagrams_.push_back(link);
  return link;
}

StreamLink* SimLanLinkFactory::createStream(QObject* parent) {
  streams_.removeIf([](const QPointer<SimStreamLink>& p) { return p.isNull(); });
  auto* link = new SimStreamLink(*this, parent);
  streams_.push_back(link);
  return link;
}

hal::Ipv4 SimLanLinkFactory::phoneAddress() const {
  if (!phoneAddress_.isUnset()) return phoneAddress_;
  const hal::Ipv4 module = net_.moduleAddress();
  const hal::Ipv4 softApNet = hal::ipv4(10, 10, 100, 0);
  return (module.value & 0xFFFFFF00U) == softApNet.value ? kSimPhoneOnSoftAp : kSimPhoneOnHomeLan;
}

}  // namespace gizrig::core
