// SimNet: TCP, module side and peer side. A PeerTcpConnection holds both directions of one connection;
// the module's socket points at it once connected.
#include "gagent/sim/sim_net.h"

#include <algorithm>

namespace gagent::sim {
namespace {

void append(std::deque<std::uint8_t>& buffer, std::span<const std::uint8_t> bytes) {
  buffer.insert(buffer.end(), bytes.begin(), bytes.end());
}

}  // namespace

hal::SocketId SimNet::tcpListen(std::uint16_t port, int backlog) {
  if (port == 0) port = ephemeralPort();
  if (moduleListening(port)) return hal::kNoSocket;
  ModuleSocket socket;
  socket.kind = SocketKind::Listener;
  socket.port = port;
  socket.backlog = static_cast<std::size_t>(std::max(backlog, 1));
  return addSocket(std::move(socket));
}

hal::SocketId SimNet::tcpAccept(hal::SocketId listener, hal::Endpoint& peer) {
  ModuleSocket* l = find(listener, SocketKind::Listener);
  if (l == nullptr || l->pending.empty() || sockets_.size() >= maxSockets_) return hal::kNoSocket;
  PeerTcpConnection* connection = l->pending.front();
  l->pending.pop_front();
  ModuleSocket socket;
  socket.kind = SocketKind::Tcp;
  socket.port = connection->remote().port;
  socket.remote = connection->local();
  socket.connection = connection;
  peer = connection->local();
  return addSocket(std::move(socket));
}

hal::SocketId SimNet::tcpConnect(hal::Endpoint remote) {
  ModuleSocket socket;
  socket.kind = SocketKind::Tcp;
  socket.port = ephemeralPort();
  socket.remote = remote;
  socket.state = hal::TcpState::Connecting;
  const hal::SocketId id = addSocket(std::move(socket));
  if (id != hal::kNoSocket)
    clock_.runAfter(
        connectLatency_, [this, id] { finishConnect(id); }, this);
  return id;
}

void SimNet::finishConnect(hal::SocketId id) {
  ModuleSocket* s = find(id, SocketKind::Tcp);
  if (s == nullptr || s->state != hal::TcpState::Connecting) return;  // closed or broken meanwhile
  if (attached() && silentDrop_) return;  // the SYN is lost: Connecting until the core gives up
  const hal::Endpoint local{address_, s->port};
  PeerTcpListener* listener = attached() ? findPeerListener(s->remote) : nullptr;
  if (listener == nullptr) {
    s->state = hal::TcpState::Failed;
    log(NetRecord::Kind::TcpOpen, true, local, s->remote, {}, false);
    return;
  }
  connections_.push_back(std::unique_ptr<PeerTcpConnection>(new PeerTcpConnection(*this, s->remote, local)));
  s->connection = connections_.back().get();
  s->state = hal::TcpState::Connected;
  listener->backlog_.push_back(s->connection);
  log(NetRecord::Kind::TcpOpen, true, local, s->remote, {}, true);
}

PeerTcpListener* SimNet::findPeerListener(hal::Endpoint local) {
  for (auto& listener : listeners_) {
    if (listener->isOpen() && !listener->refusing() && listener->local() == local) return listener.get();
  }
  return nullptr;
}

hal::TcpState SimNet::tcpState(hal::SocketId socket) {
  ModuleSocket* s = find(socket, SocketKind::Tcp);
  if (s == nullptr) return hal::TcpState::Closed;
  if (s->connection == nullptr) return s->state;
  const PeerTcpConnection& c = *s->connection;
  const bool ended = c.peerClosed_ || c.broken_;
  return ended && c.forModule_.empty() ? hal::TcpState::Closed : hal::TcpState::Connected;
}

hal::IoResult SimNet::tcpSend(hal::SocketId socket, std::span<const std::uint8_t> data) {
  ModuleSocket* s = find(socket, SocketKind::Tcp);
  if (s == nullptr || s->connection == nullptr) return hal::IoResult::error();  // not connected (yet)
  PeerTcpConnection& c = *s->connection;
  if (c.peerClosed_ || c.broken_) return hal::IoResult::closed();
  std::size_t n = data.size();
  if (sendLimit_ != 0) n = std::min(n, sendLimit_ > c.forPeer_.size() ? sendLimit_ - c.forPeer_.size() : 0);
  if (n == 0) return data.empty() ? hal::IoResult::done(0) : hal::IoResult::wouldBlock();
  if (!silentDrop_) append(c.forPeer_, data.first(n));
  logSegments(true, c.remote(), c.local(), data.first(n), !silentDrop_);
  return hal::IoResult::done(n);
}

hal::IoResult SimNet::tcpReceive(hal::SocketId socket, std::span<std::uint8_t> out) {
  ModuleSocket* s = find(socket, SocketKind::Tcp);
  if (s == nullptr || s->state == hal::TcpState::Failed) return hal::IoResult::error();
  if (s->connection == nullptr) return hal::IoResult::wouldBlock();  // still connecting
  PeerTcpConnection& c = *s->connection;
  if (c.forModule_.empty()) {
    return c.peerClosed_ || c.broken_ ? hal::IoResult::closed() : hal::IoResult::wouldBlock();
  }
  std::size_t n = std::min(out.size(), c.forModule_.size());
  if (maxSegment_ != 0) n = std::min(n, maxSegment_);
  std::copy_n(c.forModule_.begin(), n, out.begin());
  c.forModule_.erase(c.forModule_.begin(), c.forModule_.begin() + static_cast<std::ptrdiff_t>(n));
  return hal::IoResult::done(n);
}

PeerTcpListener& SimNet::listenPeer(hal::Endpoint local) {
  if (local.port == 0) local.port = ephemeralPort();
  listeners_.push_back(std::unique_ptr<PeerTcpListener>(new PeerTcpListener(*this, local)));
  return *listeners_.back();
}

PeerTcpConnection* SimNet::connectPeer(hal::Endpoint from, hal::Endpoint to) {
  if (from.port == 0) from.port = ephemeralPort();
  if (!attached() || silentDrop_ || to.ip != address_) {
    log(NetRecord::Kind::TcpOpen, false, from, to, {}, false);
    return nullptr;
  }
  for (auto& [id, socket] : sockets_) {
    if (socket.kind != SocketKind::Listener || socket.port != to.port) continue;
    if (socket.pending.size() >= socket.backlog) break;
    connections_.push_back(std::unique_ptr<PeerTcpConnection>(new PeerTcpConnection(*this, from, to)));
    socket.pending.push_back(connections_.back().get());
    log(NetRecord::Kind::TcpOpen, false, from, to, {}, true);
    return connections_.back().get();
  }
  log(NetRecord::Kind::TcpOpen, false, from, to, {}, false);
  return nullptr;
}

bool SimNet::peerTcpSend(PeerTcpConnection& connection, std::span<const std::uint8_t> data) {
  if (connection.isClosed()) return false;
  if (!silentDrop_) append(connection.forModule_, data);
  logSegments(false, connection.local(), connection.remote(), data, !silentDrop_);
  return true;
}

void SimNet::peerTcpClose(PeerTcpConnection& connection) {
  if (connection.isClosed()) return;
  connection.peerClosed_ = true;
  log(NetRecord::Kind::TcpClose, false, connection.local(), connection.remote(), {}, true);
}

void SimNet::peerListenerClose(PeerTcpListener& listener) {
  listener.open_ = false;
  for (PeerTcpConnection* waiting : listener.backlog_) breakConnection(*waiting);
  listener.backlog_.clear();
}

void SimNet::breakConnection(PeerTcpConnection& connection) {
  if (connection.isClosed()) return;
  connection.broken_ = true;
  log(NetRecord::Kind::TcpReset, true, connection.remote(), connection.local(), {}, true);
}

void SimNet::breakModuleConnections() {
  for (auto& [id, socket] : sockets_) {
    if (socket.kind == SocketKind::Listener) {
      for (PeerTcpConnection* waiting : socket.pending) breakConnection(*waiting);
      socket.pending.clear();
    } else if (socket.kind == SocketKind::Tcp) {
      if (socket.connection != nullptr) {
        breakConnection(*socket.connection);
      } else if (socket.state == hal::TcpState::Connecting) {
        socket.state = hal::TcpState::Failed;
      }
    }
  }
}

}  // namespace gagent::sim
