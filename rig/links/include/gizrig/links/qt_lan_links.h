#pragma once
// The real-socket LAN links (docs/rig.md): QUdpSocket and QTcpSocket behind DatagramLink / StreamLink, for
// the virtual lab on loopback and for a real module on a real LAN.

#include <QTcpSocket>
#include <QUdpSocket>

#include "gizrig/links/links.h"

namespace gizrig::core {

// A UDP socket. bind() shares the port (SO_REUSEADDR), so several rigs, tests and the lab's modules can all
// listen for the loopback broadcast on 0.0.0.0:2415. Broadcast sends are allowed, but the broadcast address
// is always the caller's: the limited broadcast 255.255.255.255 is refused unless explicitly allowed, because
// on the lab machine it would leave the host (docs/virtual-lab.md).
class QtDatagramLink final : public DatagramLink {
  Q_OBJECT
 public:
  explicit QtDatagramLink(QObject* parent = nullptr);
  bool bind(const QHostAddress& address, quint16 port) override;
  bool sendTo(const QByteArray& datagram, const QHostAddress& to, quint16 port) override;
  void close() override;
  [[nodiscard]] quint16 localPort() const override;

  // For a real module on a real LAN only.
  void setLimitedBroadcastAllowed(bool allowed) { limitedBroadcastAllowed_ = allowed; }

 private:
  void readAll();

  QUdpSocket socket_;
  bool limitedBroadcastAllowed_ = false;
};

// A TCP connection (the app's session on 12416).
class QtStreamLink final : public StreamLink {
  Q_OBJECT
 public:
  explicit QtStreamLink(QObject* parent = nullptr);
  void connectTo(const QHostAddress& address, quint16 port) override;
  void write(const QByteArray& bytes) override;
  void close() override;
  [[nodiscard]] bool isConnected() const override;

 private:
  QTcpSocket socket_;
};

class QtLanLinkFactory final : public LanLinkFactory {
 public:
  DatagramLink* createDatagram(QObject* parent) override { return new QtDatagramLink(parent); }
  StreamLink* createStream(QObject* parent) override { return new QtStreamLink(parent); }
};

}  // namespace gizrig::core
