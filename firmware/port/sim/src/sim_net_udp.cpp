// SimNet: UDP on the module side and between peers.
#include "gagent/sim/sim_net.h"

#include <algorithm>

namespace gagent::sim {

hal::SocketId SimNet::udpOpen(std::uint16_t localPort, bool allowBroadcast) {
  const std::uint16_t port = localPort == 0 ? ephemeralPort() : localPort;
  for (const auto& [id, socket] : sockets_) {
    if (socket.kind == SocketKind::Udp && socket.port == port) return hal::kNoSocket;  // in use
  }
  ModuleSocket socket;
  socket.kind = SocketKind::Udp;
  socket.port = port;
  socket.allowBroadcast = allowBroadcast;
  return addSocket(std::move(socket));
}

hal::IoResult SimNet::udpSend(hal::SocketId socket, hal::Endpoint to,
                              std::span<const std::uint8_t> datagram) {
  ModuleSocket* s = find(socket, SocketKind::Udp);
  if (s == nullptr || !attached()) return hal::IoResult::error();
  const bool broadcast = isBroadcast(to.ip);
  if (broadcast && !s->allowBroadcast) return hal::IoResult::error();  // EACCES without SO_BROADCAST
  const hal::Endpoint from{address_, s->port};
  bool delivered = false;
  if (!silentDrop_) {
    for (auto& peer : udpPeers_) {
      if (!peer->isOpen() || peer->local().port != to.port) continue;
      if (!broadcast && peer->local().ip != to.ip) continue;
      peer->inbox_.push_back({clock_.now(), from, to, {datagram.begin(), datagram.end()}});
      delivered = true;
    }
  }
  log(NetRecord::Kind::Udp, true, from, to, datagram, delivered);
  return hal::IoResult::done(datagram.size());
}

hal::IoResult SimNet::udpReceive(hal::SocketId socket, std::span<std::uint8_t> out, hal::Endpoint& from) {
  ModuleSocket* s = find(socket, SocketKind::Udp);
  if (s == nullptr) return hal::IoResult::error();
  if (s->inbox.empty()) return hal::IoResult::wouldBlock();
  ModuleDatagram datagram = std::move(s->inbox.front());
  s->inbox.pop_front();
  from = datagram.from;
  const std::size_t n = std::min(out.size(), datagram.bytes.size());
  std::copy_n(datagram.bytes.begin(), n, out.begin());
  if (datagram.bytes.size() > out.size()) return hal::IoResult::error();  // the rest is dropped
  return hal::IoResult::done(n);
}

PeerUdpSocket& SimNet::openPeerUdp(hal::Endpoint local) {
  if (local.port == 0) local.port = ephemeralPort();
  udpPeers_.push_back(std::unique_ptr<PeerUdpSocket>(new PeerUdpSocket(*this, local)));
  return *udpPeers_.back();
}

bool SimNet::peerUdpSend(PeerUdpSocket& sender, hal::Endpoint to, std::span<const std::uint8_t> datagram) {
  if (!sender.isOpen() || !lanUp_) return false;
  const bool broadcast = isBroadcast(to.ip);
  const hal::Endpoint from = sender.local();
  bool delivered = false;
  if (!silentDrop_) {
    if (!address_.isUnset() && (broadcast || to.ip == address_)) {
      for (auto& [id, socket] : sockets_) {
        if (socket.kind != SocketKind::Udp || socket.port != to.port) continue;
        if (broadcast && !socket.allowBroadcast) continue;
        socket.inbox.push_back({from, {datagram.begin(), datagram.end()}});
        delivered = true;
      }
    }
    for (auto& peer : udpPeers_) {
      if (peer.get() == &sender || !peer->isOpen() || peer->local().port != to.port) continue;
      if (!broadcast && peer->local().ip != to.ip) continue;
      peer->inbox_.push_back({clock_.now(), from, to, {datagram.begin(), datagram.end()}});
      delivered = true;
    }
  }
  log(NetRecord::Kind::Udp, false, from, to, datagram, delivered);
  return true;
}

}  // namespace gagent::sim
