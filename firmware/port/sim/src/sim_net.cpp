// SimNet: the LAN itself (address, up/down, the record) and the module socket table.
#include "gagent/sim/sim_net.h"

#include <algorithm>

namespace gagent::sim {
namespace {

constexpr std::uint16_t kFirstEphemeralPort = 49152;

}  // namespace

SimNet::SimNet(VirtualClock& clock, hal::Ipv4 moduleAddress) : clock_(clock), address_(moduleAddress) {}

void SimNet::setModuleAddress(hal::Ipv4 address) {
  if (address == address_) return;
  breakModuleConnections();
  address_ = address;
}

void SimNet::setLanUp(bool up) {
  if (!up && lanUp_) breakModuleConnections();
  lanUp_ = up;
}

std::uint16_t SimNet::ephemeralPort() {
  const std::uint16_t port = nextPort_;
  nextPort_ = nextPort_ == UINT16_MAX ? kFirstEphemeralPort : static_cast<std::uint16_t>(nextPort_ + 1);
  return port;
}

bool SimNet::isBroadcast(hal::Ipv4 ip) const {
  if (ip == broadcast_) return true;
  return !address_.isUnset() && ip.value == (address_.value | ~mask_.value);
}

void SimNet::log(NetRecord::Kind kind, bool fromModule, hal::Endpoint from, hal::Endpoint to,
                 std::span<const std::uint8_t> bytes, bool delivered) {
  record_.push_back({clock_.now(), kind, from, to, {bytes.begin(), bytes.end()}, delivered, fromModule});
}

void SimNet::logSegments(bool fromModule, hal::Endpoint from, hal::Endpoint to,
                         std::span<const std::uint8_t> bytes, bool delivered) {
  const std::size_t segment = maxSegment_ == 0 ? bytes.size() : maxSegment_;
  for (std::size_t offset = 0; offset < bytes.size(); offset += segment) {
    log(NetRecord::Kind::TcpData, fromModule, from, to,
        bytes.subspan(offset, std::min(segment, bytes.size() - offset)), delivered);
  }
}

hal::SocketId SimNet::addSocket(ModuleSocket socket) {
  if (sockets_.size() >= maxSockets_) return hal::kNoSocket;
  const hal::SocketId id = nextSocket_++;
  sockets_.emplace(id, std::move(socket));
  return id;
}

SimNet::ModuleSocket* SimNet::find(hal::SocketId socket, SocketKind kind) {
  auto it = sockets_.find(socket);
  return it == sockets_.end() || it->second.kind != kind ? nullptr : &it->second;
}

bool SimNet::moduleListening(std::uint16_t port) const {
  for (const auto& [id, socket] : sockets_) {
    if (socket.kind == SocketKind::Listener && socket.port == port) return true;
  }
  return false;
}

void SimNet::close(hal::SocketId socket) {
  auto it = sockets_.find(socket);
  if (it == sockets_.end()) return;
  ModuleSocket& s = it->second;
  if (s.kind == SocketKind::Listener) {
    for (PeerTcpConnection* waiting : s.pending) breakConnection(*waiting);
  } else if (s.kind == SocketKind::Tcp && s.connection != nullptr && !s.connection->isClosed()) {
    s.connection->moduleClosed_ = true;
    log(NetRecord::Kind::TcpClose, true, s.connection->remote(), s.connection->local(), {}, true);
  }
  sockets_.erase(it);  // a pending connect finds no socket when it fires and does nothing
}

void SimNet::closeAllModuleSockets() {
  breakModuleConnections();
  sockets_.clear();
}

}  // namespace gagent::sim
