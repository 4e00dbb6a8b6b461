// The peer objects only hold state; every action that crosses the LAN goes through SimNet, which records
// it and applies the LAN's up/down/drop state.
#include "gagent/sim/peer_endpoints.h"

#include <iterator>

#include "gagent/sim/sim_net.h"

namespace gagent::sim {

bool PeerUdpSocket::send(hal::Endpoint to, std::span<const std::uint8_t> datagram) {
  return net_.peerUdpSend(*this, to, datagram);
}

std::optional<PeerUdpSocket::Datagram> PeerUdpSocket::receive() {
  if (inbox_.empty()) return std::nullopt;
  Datagram datagram = std::move(inbox_.front());
  inbox_.pop_front();
  return datagram;
}

std::vector<PeerUdpSocket::Datagram> PeerUdpSocket::receiveAll() {
  std::vector<Datagram> all(std::make_move_iterator(inbox_.begin()), std::make_move_iterator(inbox_.end()));
  inbox_.clear();
  return all;
}

bool PeerTcpConnection::send(std::span<const std::uint8_t> data) {
  return net_.peerTcpSend(*this, data);
}

std::vector<std::uint8_t> PeerTcpConnection::receiveAll() {
  std::vector<std::uint8_t> all(forPeer_.begin(), forPeer_.end());
  forPeer_.clear();
  return all;
}

void PeerTcpConnection::close() {
  net_.peerTcpClose(*this);
}

PeerTcpConnection* PeerTcpListener::accept() {
  if (backlog_.empty()) return nullptr;
  PeerTcpConnection* connection = backlog_.front();
  backlog_.pop_front();
  return connection;
}

void PeerTcpListener::close() {
  net_.peerListenerClose(*this);
}

}  // namespace gagent::sim
