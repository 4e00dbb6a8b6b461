#pragma once
// The app's LAN links in the virtual-time world: UDP sockets and TCP connections of a phone on sim::SimNet
// (PeerUdpSocket, PeerTcpConnection). Addresses are the sim's: the module is 10.0.0.50 as a station and
// 10.10.100.254 as a SoftAP (SimNet::kStationAddress / kSoftApAddress); phones are 10.0.0.x on the home LAN
// and 10.10.100.x on the module's SoftAP. Everything is in-process: a broadcast (255.255.255.255 or the
// subnet's) reaches the module and the peers of this SimNet only.
//
// Received data is delivered at the clock's turns (after each module poll), never inside a write. As with
// Qt sockets, a TCP connect reports connected() or errorOccurred() later, at the next turn, and close() on a
// connected link emits disconnected() at once.

#include <QList>
#include <QPointer>
#include <optional>

#include "gagent/hal/types.h"
#include "gizrig/links/links.h"
#include "gizrig/virtual/virtual_rig_clock.h"

namespace gagent::sim {
class SimNet;
class PeerUdpSocket;
class PeerTcpConnection;
}  // namespace gagent::sim

namespace gizrig::core {

inline constexpr gagent::hal::Ipv4 kSimPhoneOnHomeLan = gagent::hal::ipv4(10, 0, 0, 20);
inline constexpr gagent::hal::Ipv4 kSimPhoneOnSoftAp = gagent::hal::ipv4(10, 10, 100, 100);

// Conversions between the rig's and the sim's addresses; nullopt for anything but IPv4.
[[nodiscard]] std::optional<gagent::hal::Ipv4> toSimIpv4(const QHostAddress& address);
[[nodiscard]] QHostAddress fromSimIpv4(gagent::hal::Ipv4 address);

class SimLanLinkFactory;

class SimDatagramLink final : public DatagramLink {
  Q_OBJECT
 public:
  SimDatagramLink(SimLanLinkFactory& factory, QObject* parent = nullptr);
  ~SimDatagramLink() override;

  // AnyIPv4 binds to the phone's address (SimLanLinkFactory::phoneAddress); port 0 picks a free one.
  bool bind(const QHostAddress& address, quint16 port) override;
  // Binds to the phone's address first when not bound yet (as an unbound QUdpSocket does).
  bool sendTo(const QByteArray& datagram, const QHostAddress& to, quint16 port) override;
  void close() override;
  [[nodiscard]] quint16 localPort() const override;

  void detach();  // the world is going away

 private:
  bool service();

  QPointer<SimLanLinkFactory> factory_;
  gagent::sim::PeerUdpSocket* socket_ = nullptr;  // owned by the SimNet
  VirtualRigClock::ServiceId serviceId_ = 0;
};

class SimStreamLink final : public StreamLink {
  Q_OBJECT
 public:
  SimStreamLink(SimLanLinkFactory& factory, QObject* parent = nullptr);
  ~SimStreamLink() override;

  void connectTo(const QHostAddress& address, quint16 port) override;
  void write(const QByteArray& bytes) override;
  void close() override;
  [[nodiscard]] bool isConnected() const override { return state_ == State::Connected; }

  void detach();  // the world is going away

 private:
  enum class State : std::uint8_t { Unconnected, Connecting, Refused, Connected };
  bool service();
  void stopService();

  QPointer<SimLanLinkFactory> factory_;
  gagent::sim::PeerTcpConnection* connection_ = nullptr;  // owned by the SimNet
  State state_ = State::Unconnected;
  QString refusal_;
  VirtualRigClock::ServiceId serviceId_ = 0;
};

// Creates the phone's links on one SimNet. A QObject so links can tell when it is gone.
class SimLanLinkFactory final : public QObject, public LanLinkFactory {
  Q_OBJECT
 public:
  SimLanLinkFactory(gagent::sim::SimNet& net, VirtualRigClock& clock, QObject* parent = nullptr);
  ~SimLanLinkFactory() override;  // detaches every link it created that is still alive

  DatagramLink* createDatagram(QObject* parent) override;
  StreamLink* createStream(QObject* parent) override;

  // The phone's own address for links bound to AnyIPv4 and for TCP. Unset (the default) follows the module:
  // 10.10.100.100 while the module's address is its SoftAP's, 10.0.0.20 otherwise, as a phone joins the
  // network the module is on.
  void setPhoneAddress(gagent::hal::Ipv4 address) { phoneAddress_ = address; }
  [[nodiscard]] gagent::hal::Ipv4 phoneAddress() const;

  [[nodiscard]] gagent::sim::SimNet& net() { return net_; }
  [[nodiscard]] VirtualRigClock& clock() { return clock_; }

 private:
  gagent::sim::SimNet& net_;
  VirtualRigClock& clock_;
  gagent::hal::Ipv4 phoneAddress_{};
  QList<QPointer<SimDatagramLink>> datagrams_;
  QList<QPointer<SimStreamLink>> streams_;
};

}  // namespace gizrig::core
