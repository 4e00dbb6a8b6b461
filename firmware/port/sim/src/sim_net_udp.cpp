// SimNet: UDP on the module side and between peers, through the optional impairment.
#include <algorithm>
#include <utility>

#include "gagent/sim/sim_net.h"

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
  if (silentDrop_) {
    log(NetRecord::Kind::Udp, true, from, to, datagram, false);
  } else {
    transmitUdp(true, nullptr, from, to, broadcast, datagram);
  }
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
  const hal::Endpoint from = sender.local();
  if (silentDrop_) {
    log(NetRecord::Kind::Udp, false, from, to, datagram, false);
  } else {
    transmitUdp(false, &sender, from, to, isBroadcast(to.ip), datagram);
  }
  return true;
}

void SimNet::setUdpImpairment(const UdpImpairment& fromPeers, const UdpImpairment& fromModule,
                              std::uint64_t seed) {
  fromPeers_ = fromPeers;
  fromModule_ = fromModule;
  impairer_.reseed(seed);
}

void SimNet::transmitUdp(bool fromModule, const PeerUdpSocket* sender, hal::Endpoint from, hal::Endpoint to,
                         bool broadcast, std::span<const std::uint8_t> datagram) {
  const UdpImpairment& impairment = fromModule ? fromModule_ : fromPeers_;
  if (!impairment.active()) {
    deliverUdp(fromModule, sender, from, to, broadcast, datagram);
    return;
  }
  const DatagramFate fate = impairer_.decide(impairment);
  if (fate.copies == 0) {
    log(NetRecord::Kind::Udp, fromModule, from, to, datagram, false);  // lost in the air
    return;
  }
  for (std::size_t i = 0; i < fate.copies; ++i) {
    if (fate.delays[i] == 0) {
      deliverUdp(fromModule, sender, from, to, broadcast, datagram);
      continue;
    }
    // Peer sockets live as long as the SimNet, and the event is cancelled with it: the pointer stays valid.
    clock_.after(
        fate.delays[i],
        [this, fromModule, sender, from, to, broadcast,
         bytes = std::vector<std::uint8_t>(datagram.begin(), datagram.end())] {
          // The module's share of the delay is its radio's transmit queue: an interface taken down (SoftAP
          // off, new address, LAN down) before the copy left drops it, as a radio flushes its queue.
          if (fromModule && (!lanUp_ || address_ != from.ip)) {
            log(NetRecord::Kind::Udp, true, from, to, bytes, false);
            return;
          }
          deliverUdp(fromModule, sender, from, to, broadcast, bytes);
        },
        this);
  }
}

void SimNet::deliverUdp(bool fromModule, const PeerUdpSocket* sender, hal::Endpoint from, hal::Endpoint to,
                        bool broadcast, std::span<const std::uint8_t> datagram) {
  bool delivered = false;
  if (!fromModule && !address_.isUnset() && (broadcast || to.ip == address_)) {
    for (auto& [id, socket] : sockets_) {
      if (socket.kind != SocketKind::Udp || socket.port != to.port) continue;
      if (broadcast && !socket.allowBroadcast) continue;
      socket.inbox.push_back({from, {datagram.begin(), datagram.end()}});
      delivered = true;
    }
  }
  for (auto& peer : udpPeers_) {
    if (peer.get() == sender || !peer->isOpen() || peer->local().port != to.port) continue;
    if (!broadcast && peer->local().ip != to.ip) continue;
    peer->inbox_.push_back({clock_.now(), from, to, {datagram.begin(), datagram.end()}});
    delivered = true;
  }
  log(NetRecord::Kind::Udp, fromModule, from, to, datagram, delivered);
}

}  // namespace gagent::sim
