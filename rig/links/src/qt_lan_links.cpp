#include "gizrig/links/qt_lan_links.h"

#include <QNetworkDatagram>

namespace gizrig::core {

QtDatagramLink::QtDatagramLink(QObject* parent) : DatagramLink(parent), socket_(this) {
  connect(&socket_, &QUdpSocket::readyRead, this, &QtDatagramLink::readAll);
  connect(&socket_, &QUdpSocket::errorOccurred, this,
          [this](QAbstractSocket::SocketError) { emit errorOccurred(socket_.errorString()); });
}

bool QtDatagramLink::bind(const QHostAddress& address, quint16 port) {
  if (socket_.state() != QAbstractSocket::UnconnectedState) socket_.close();
  if (!socket_.bind(address, port, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
    emit errorOccurred(QStringLiteral("cannot bind UDP %1:%2: %3")
                           .arg(address.toString())
                           .arg(port)
                           .arg(socket_.errorString()));
    return false;
  }
  return true;
}

bool QtDatagramLink::sendTo(const QByteArray& datagram, const QHostAddress& to, quint16 port) {
  if (to == QHostAddress(QHostAddress::Broadcast) && !limitedBroadcastAllowed_) {
    emit errorOccurred(QStringLiteral(
        "refusing to send to 255.255.255.255: pass the lab's broadcast address (127.255.255.255)"));
    return false;
  }
  if (to.isNull() || port == 0) {
    emit errorOccurred(QStringLiteral("no destination address/port for a UDP datagram"));
    return false;
  }
  const qint64 sent = socket_.writeDatagram(datagram, to, port);
  if (sent != datagram.size()) {
    emit errorOccurred(QStringLiteral("UDP send to %1:%2 failed: %3")
                           .arg(to.toString())
                           .arg(port)
                           .arg(socket_.errorString()));
    return false;
  }
  return true;
}

void QtDatagramLink::close() {
  socket_.close();
}

quint16 QtDatagramLink::localPort() const {
  return socket_.localPort();
}

void QtDatagramLink::readAll() {
  // A receiver may close the link from its slot: stop reading then, the socket is no longer bound.
  while (socket_.state() == QAbstractSocket::BoundState && socket_.hasPendingDatagrams()) {
    const QNetworkDatagram datagram = socket_.receiveDatagram();
    if (!datagram.isValid()) break;
    // IPv4 senders come back as plain IPv4 (not ::ffff:a.b.c.d) so plugs can compare addresses.
    QHostAddress from = datagram.senderAddress();
    bool isV4 = false;
    const quint32 v4 = from.toIPv4Address(&isV4);
    if (isV4) from = QHostAddress(v4);
    emit received(datagram.data(), from, static_cast<quint16>(datagram.senderPort()));
  }
}

QtStreamLink::QtStreamLink(QObject* parent) : StreamLink(parent), socket_(this) {
  connect(&socket_, &QTcpSocket::connected, this, &QtStreamLink::connected);
  connect(&socket_, &QTcpSocket::disconnected, this, &QtStreamLink::disconnected);
  connect(&socket_, &QTcpSocket::readyRead, this, [this] { emit received(socket_.readAll()); });
  connect(&socket_, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
    // The peer closing is reported by disconnected(); everything else is an error.
    if (error != QAbstractSocket::RemoteHostClosedError) emit errorOccurred(socket_.errorString());
  });
}

void QtStreamLink::connectTo(const QHostAddress& address, quint16 port) {
  if (socket_.state() != QAbstractSocket::UnconnectedState) socket_.abort();
  socket_.connectToHost(address, port);
}

void QtStreamLink::write(const QByteArray& bytes) {
  if (socket_.state() != QAbstractSocket::ConnectedState) {
    emit errorOccurred(QStringLiteral("write on a TCP link that is not connected"));
    return;
  }
  socket_.write(bytes);
}

void QtStreamLink::close() {
  socket_.abort();
}

bool QtStreamLink::isConnected() const {
  return socket_.state() == QAbstractSocket::ConnectedState;
}

}  // namespace gizrig::core
