#pragma once
// A virtual IPv4 LAN around ONE module: the module side is hal::Net, bound to the module's current address
// (10.0.0.50 as a station, 10.10.100.254 as a SoftAP; SimRadio sets it, unset = no interface up). Peers
// (PeerUdpSocket, PeerTcpListener, PeerTcpConnection) are the other hosts, created on any address.
//
// Delivery is instant; only the module's outgoing connects take a configurable latency. Decisions that
// make tests exact rather than realistic in every detail:
// - UDP: a unicast reaches every peer socket bound to exactly that address and port, a broadcast (to the
//   broadcast address or the module's subnet broadcast) every socket bound to that port. As on the posix
//   port, module sockets receive broadcasts only when opened with allowBroadcast, and never their own.
// - TCP: tcpReceive returns at most maxSegmentSize bytes per call (0 = all buffered), so stream decoders
//   can be fed in pieces. After an orderly close or a break, buffered bytes are read first, then closed().
// - A module address change, the LAN going down and closeAllModuleSockets() break every module
//   connection (the sockets were bound to the old interface).
// - LAN down: module sends fail (UDP error, TCP closed), connects fail, peers cannot send.
//   Silent drop (router up, uplink dead): everything sent is lost without an error and connects hang, so
//   the core's own timeouts (S7.5.3, S8.8.2) are what notices. Closes still get through, so peers need
//   no timeouts of their own.
// - Impairment (off by default; S6.1.2 measurements): UDP datagrams in each direction may be lost,
//   duplicated, delayed and reordered by a seeded model (udp_impairment.h). The fate is drawn per datagram,
//   not per receiver (a lost broadcast is lost for every listener). A delayed copy is matched to sockets
//   when it arrives and recorded then; a lost one is recorded at once, not delivered. A delayed copy the
//   module sent is lost when the module's address changed or the LAN went down before it arrived (the
//   radio flushed its transmit queue with the interface). TCP is not impaired:
//   its retransmissions turn loss into delay, which the peers that care model themselves.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "gagent/hal/net.h"
#include "gagent/sim/net_record.h"
#include "gagent/sim/peer_endpoints.h"
#include "gagent/sim/udp_impairment.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class SimNet : public hal::Net {
 public:
  static constexpr hal::Ipv4 kStationAddress = hal::ipv4(10, 0, 0, 50);
  static constexpr hal::Ipv4 kSoftApAddress = hal::ipv4(10, 10, 100, 254);
  static constexpr hal::Ipv4 kLimitedBroadcast = hal::ipv4(255, 255, 255, 255);
  static constexpr std::size_t kDefaultMaxSockets = 16;

  explicit SimNet(VirtualClock& clock, hal::Ipv4 moduleAddress = {});
  ~SimNet() override { clock_.cancelOwnedBy(this); }
  SimNet(const SimNet&) = delete;
  SimNet& operator=(const SimNet&) = delete;

  // The network around the module.
  void setModuleAddress(hal::Ipv4 address);
  [[nodiscard]] hal::Ipv4 moduleAddress() const { return address_; }
  void setSubnetMask(hal::Ipv4 mask) { mask_ = mask; }
  void setBroadcastAddress(hal::Ipv4 address) { broadcast_ = address; }
  void setLanUp(bool up);
  [[nodiscard]] bool lanUp() const { return lanUp_; }
  void setSilentDrop(bool drop) { silentDrop_ = drop; }
  void setConnectLatency(Millis latency) { connectLatency_ = latency; }
  void setMaxSegmentSize(std::size_t bytes) { maxSegment_ = bytes; }
  // Unread bytes a module connection may have at the peer before tcpSend takes fewer; 0 = unlimited.
  void setTcpSendLimit(std::size_t bytes) { sendLimit_ = bytes; }
  void setMaxSockets(std::size_t count) { maxSockets_ = count; }
  // Datagrams sent by peers (to the module or to other peers) and by the module go through these; the
  // generator is reseeded with `seed`. Two default UdpImpairments switch it off again.
  void setUdpImpairment(const UdpImpairment& fromPeers, const UdpImpairment& fromModule, std::uint64_t seed);

  // hal::Net, the module side.
  hal::SocketId udpOpen(std::uint16_t localPort, bool allowBroadcast) override;
  hal::IoResult udpSend(hal::SocketId socket, hal::Endpoint to,
                        std::span<const std::uint8_t> datagram) override;
  hal::IoResult udpReceive(hal::SocketId socket, std::span<std::uint8_t> out, hal::Endpoint& from) override;
  hal::SocketId tcpListen(std::uint16_t port, int backlog) override;
  hal::SocketId tcpAccept(hal::SocketId listener, hal::Endpoint& peer) override;
  hal::SocketId tcpConnect(hal::Endpoint remote) override;
  hal::TcpState tcpState(hal::SocketId socket) override;
  hal::IoResult tcpSend(hal::SocketId socket, std::span<const std::uint8_t> data) override;
  hal::IoResult tcpReceive(hal::SocketId socket, std::span<std::uint8_t> out) override;
  void close(hal::SocketId socket) override;

  // Peers. Port 0 picks an ephemeral port.
  PeerUdpSocket& openPeerUdp(hal::Endpoint local);
  PeerTcpListener& listenPeer(hal::Endpoint local);
  // Connects a peer to a module listener; nullptr when refused (nobody listening there, backlog full,
  // LAN down or silently dropping).
  PeerTcpConnection* connectPeer(hal::Endpoint from, hal::Endpoint to);

  // Inspection.
  [[nodiscard]] const std::vector<NetRecord>& record() const { return record_; }
  void clearRecord() { record_.clear(); }
  [[nodiscard]] std::size_t openSocketCount() const { return sockets_.size(); }
  [[nodiscard]] bool moduleListening(std::uint16_t port) const;
  // A module restart: every module socket disappears, its connections break.
  void closeAllModuleSockets();

 private:
  friend class PeerUdpSocket;
  friend class PeerTcpConnection;
  friend class PeerTcpListener;

  enum class SocketKind : std::uint8_t { Udp, Listener, Tcp };
  struct ModuleDatagram {
    hal::Endpoint from;
    std::vector<std::uint8_t> bytes;
  };
  struct ModuleSocket {
    SocketKind kind = SocketKind::Udp;
    std::uint16_t port = 0;
    bool allowBroadcast = false;                     // Udp
    std::deque<ModuleDatagram> inbox;                // Udp
    std::size_t backlog = 1;                         // Listener
    std::deque<PeerTcpConnection*> pending;          // Listener: connected, not yet accepted
    hal::TcpState state = hal::TcpState::Connected;  // Tcp
    hal::Endpoint remote;                            // Tcp
    PeerTcpConnection* connection = nullptr;         // Tcp, once connected
  };

  hal::SocketId addSocket(ModuleSocket socket);
  ModuleSocket* find(hal::SocketId socket, SocketKind kind);
  std::uint16_t ephemeralPort();
  [[nodiscard]] bool attached() const { return lanUp_ && !address_.isUnset(); }
  [[nodiscard]] bool isBroadcast(hal::Ipv4 ip) const;
  void log(NetRecord::Kind kind, bool fromModule, hal::Endpoint from, hal::Endpoint to,
           std::span<const std::uint8_t> bytes, bool delivered);
  void logSegments(bool fromModule, hal::Endpoint from, hal::Endpoint to, std::span<const std::uint8_t> bytes,
                   bool delivered);

  void finishConnect(hal::SocketId socket);
  PeerTcpListener* findPeerListener(hal::Endpoint local);
  void breakConnection(PeerTcpConnection& connection);
  void breakModuleConnections();

  // UDP through the impairment: at once, later (one clock event per copy) or never.
  void transmitUdp(bool fromModule, const PeerUdpSocket* sender, hal::Endpoint from, hal::Endpoint to,
                   bool broadcast, std::span<const std::uint8_t> datagram);
  // Hands one copy to every socket it is for (as the sockets are now) and records it.
  void deliverUdp(bool fromModule, const PeerUdpSocket* sender, hal::Endpoint from, hal::Endpoint to,
                  bool broadcast, std::span<const std::uint8_t> datagram);

  // Called by the peer objects.
  bool peerUdpSend(PeerUdpSocket& from, hal::Endpoint to, std::span<const std::uint8_t> datagram);
  bool peerTcpSend(PeerTcpConnection& connection, std::span<const std::uint8_t> data);
  void peerTcpClose(PeerTcpConnection& connection);
  void peerListenerClose(PeerTcpListener& listener);

  VirtualClock& clock_;
  hal::Ipv4 address_;
  hal::Ipv4 mask_ = hal::ipv4(255, 255, 255, 0);
  hal::Ipv4 broadcast_ = kLimitedBroadcast;
  bool lanUp_ = true;
  bool silentDrop_ = false;
  Millis connectLatency_ = 0;
  std::size_t maxSegment_ = 0;
  std::size_t sendLimit_ = 0;
  std::size_t maxSockets_ = kDefaultMaxSockets;
  UdpImpairment fromPeers_;
  UdpImpairment fromModule_;
  UdpImpairer impairer_;

  std::map<hal::SocketId, ModuleSocket> sockets_;
  hal::SocketId nextSocket_ = 1;  // never reused, so a stale id is an error, not someone else's socket
  std::uint16_t nextPort_ = 49152;

  std::vector<std::unique_ptr<PeerUdpSocket>> udpPeers_;
  std::vector<std::unique_ptr<PeerTcpListener>> listeners_;
  std::vector<std::unique_ptr<PeerTcpConnection>> connections_;
  std::vector<NetRecord> record_;
};

}  // namespace gagent::sim
