#include "gagent/posix/posix_net.h"

#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace gagent::posix {
namespace {

sockaddr_in toSockaddr(hal::Ipv4 ip, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(ip.value);
  addr.sin_port = htons(port);
  return addr;
}

hal::Endpoint fromSockaddr(const sockaddr_in& addr) {
  return {hal::Ipv4{ntohl(addr.sin_addr.s_addr)}, ntohs(addr.sin_port)};
}

int openSocket(int type) {
  return ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

void enable(int fd, int level, int option) {
  const int on = 1;
  ::setsockopt(fd, level, option, &on, sizeof on);
}

bool bindTo(int fd, hal::Ipv4 ip, std::uint16_t port) {
  const sockaddr_in addr = toSockaddr(ip, port);
  return ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

hal::IoResult ioResult(ssize_t n) {
  if (n >= 0) return hal::IoResult::done(static_cast<std::size_t>(n));
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return hal::IoResult::wouldBlock();
  if (errno == ECONNRESET || errno == EPIPE || errno == ENOTCONN) return hal::IoResult::closed();
  return hal::IoResult::error();
}

}  // namespace

PosixNet::~PosixNet() {
  closeAll();
}

hal::SocketId PosixNet::add(Handle handle) {
  const hal::SocketId id = nextId_++;
  handles_[id] = handle;
  return id;
}

PosixNet::Handle* PosixNet::find(hal::SocketId socket) {
  auto it = handles_.find(socket);
  return it == handles_.end() ? nullptr : &it->second;
}

hal::SocketId PosixNet::udpOpen(std::uint16_t localPort, bool allowBroadcast) {
  Handle handle;
  handle.fd = openSocket(SOCK_DGRAM);
  if (handle.fd < 0) return hal::kNoSocket;
  enable(handle.fd, SOL_SOCKET, SO_REUSEADDR);
  if (allowBroadcast) enable(handle.fd, SOL_SOCKET, SO_BROADCAST);
  if (!bindTo(handle.fd, address_, localPort)) {
    ::close(handle.fd);
    return hal::kNoSocket;
  }
  if (allowBroadcast && localPort != 0) {
    handle.broadcastFd = openSocket(SOCK_DGRAM);
    if (handle.broadcastFd >= 0) {
      enable(handle.broadcastFd, SOL_SOCKET, SO_REUSEADDR);
      enable(handle.broadcastFd, IPPROTO_IP, IP_PKTINFO);  // to tell broadcasts from others' unicasts
      if (!bindTo(handle.broadcastFd, hal::Ipv4{INADDR_ANY}, localPort)) {
        ::close(handle.broadcastFd);
        handle.broadcastFd = -1;
      }
    }
  }
  return add(handle);
}

hal::IoResult PosixNet::udpSend(hal::SocketId socket, hal::Endpoint to,
                                std::span<const std::uint8_t> datagram) {
  Handle* handle = find(socket);
  if (handle == nullptr) return hal::IoResult::error();
  const sockaddr_in addr = toSockaddr(to.ip, to.port);
  return ioResult(::sendto(handle->fd, datagram.data(), datagram.size(), MSG_NOSIGNAL,
                           reinterpret_cast<const sockaddr*>(&addr), sizeof addr));
}

namespace {

// The wildcard socket shares the port with every other module on this host (SO_REUSEADDR). The kernel hands
// it a unicast meant for another module whenever that module's own socket is not bound at that moment
// (between a close and a reopen), so only broadcasts are taken from it: 255.255.255.255 or a subnet's .255.
bool isBroadcastDestination(in_addr destination) {
  const std::uint32_t host = ntohl(destination.s_addr);
  return host == INADDR_BROADCAST || (host & 0xFFU) == 0xFFU;
}

// One datagram from the wildcard socket with its destination; -1 when none is waiting.
ssize_t receiveWithDestination(int fd, std::span<std::uint8_t> out, sockaddr_in& from, in_addr& destination) {
  iovec io{out.data(), out.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in_pktinfo))];
  msghdr message{};
  message.msg_name = &from;
  message.msg_namelen = sizeof from;
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  const ssize_t n = ::recvmsg(fd, &message, MSG_TRUNC);
  if (n < 0) return n;
  destination.s_addr = htonl(INADDR_BROADCAST);  // no packet info: keep the datagram (old behaviour)
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      destination = info.ipi_addr;
    }
  }
  return n;
}

}  // namespace

hal::IoResult PosixNet::udpReceive(hal::SocketId socket, std::span<std::uint8_t> out, hal::Endpoint& from) {
  Handle* handle = find(socket);
  if (handle == nullptr) return hal::IoResult::error();
  if (handle->fd >= 0) {
    sockaddr_in addr{};
    socklen_t length = sizeof addr;
    const ssize_t n = ::recvfrom(handle->fd, out.data(), out.size(), MSG_TRUNC,
                                 reinterpret_cast<sockaddr*>(&addr), &length);
    if (n >= 0) {
      from = fromSockaddr(addr);
      if (static_cast<std::size_t>(n) > out.size()) return hal::IoResult::error();
      return hal::IoResult::done(static_cast<std::size_t>(n));
    }
  }
  while (handle->broadcastFd >= 0) {
    sockaddr_in addr{};
    in_addr destination{};
    const ssize_t n = receiveWithDestination(handle->broadcastFd, out, addr, destination);
    if (n < 0) break;
    from = fromSockaddr(addr);
    // Our own broadcasts come back here, and other modules' unicasts may: neither is input.
    if (from.ip == address_ || !isBroadcastDestination(destination)) continue;
    if (static_cast<std::size_t>(n) > out.size()) return hal::IoResult::error();
    return hal::IoResult::done(static_cast<std::size_t>(n));
  }
  return hal::IoResult::wouldBlock();
}

hal::SocketId PosixNet::tcpListen(std::uint16_t port, int backlog) {
  Handle handle;
  handle.fd = openSocket(SOCK_STREAM);
  if (handle.fd < 0) return hal::kNoSocket;
  enable(handle.fd, SOL_SOCKET, SO_REUSEADDR);
  if (!bindTo(handle.fd, address_, port) || ::listen(handle.fd, backlog) != 0) {
    ::close(handle.fd);
    return hal::kNoSocket;
  }
  return add(handle);
}

hal::SocketId PosixNet::tcpAccept(hal::SocketId listener, hal::Endpoint& peer) {
  Handle* handle = find(listener);
  if (handle == nullptr) return hal::kNoSocket;
  sockaddr_in addr{};
  socklen_t length = sizeof addr;
  const int fd =
      ::accept4(handle->fd, reinterpret_cast<sockaddr*>(&addr), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return hal::kNoSocket;
  enable(fd, IPPROTO_TCP, TCP_NODELAY);
  peer = fromSockaddr(addr);
  return add(Handle{fd, -1, false, hal::TcpState::Connected});
}

hal::SocketId PosixNet::tcpConnect(hal::Endpoint remote) {
  Handle handle;
  handle.fd = openSocket(SOCK_STREAM);
  if (handle.fd < 0) return hal::kNoSocket;
  enable(handle.fd, IPPROTO_TCP, TCP_NODELAY);
  // The cloud must see the module's own address, as on a real LAN.
  bindTo(handle.fd, address_, 0);
  const sockaddr_in addr = toSockaddr(remote.ip, remote.port);
  const int rc = ::connect(handle.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  if (rc == 0) {
    handle.state = hal::TcpState::Connected;
  } else if (errno == EINPROGRESS) {
    handle.state = hal::TcpState::Connecting;
    handle.connecting = true;
  } else {
    handle.state = hal::TcpState::Failed;
  }
  return add(handle);
}

hal::TcpState PosixNet::tcpState(hal::SocketId socket) {
  Handle* handle = find(socket);
  if (handle == nullptr) return hal::TcpState::Closed;
  if (handle->connecting) {
    int error = 0;
    socklen_t length = sizeof error;
    sockaddr_in peer{};
    socklen_t peerLength = sizeof peer;
    if (::getpeername(handle->fd, reinterpret_cast<sockaddr*>(&peer), &peerLength) == 0) {
      handle->connecting = false;
      handle->state = hal::TcpState::Connected;
    } else if (::getsockopt(handle->fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error != 0) {
      handle->connecting = false;
      handle->state = hal::TcpState::Failed;
    }
  }
  return handle->state;
}

hal::IoResult PosixNet::tcpSend(hal::SocketId socket, std::span<const std::uint8_t> data) {
  Handle* handle = find(socket);
  if (handle == nullptr || tcpState(socket) != hal::TcpState::Connected) return hal::IoResult::error();
  const hal::IoResult result = ioResult(::send(handle->fd, data.data(), data.size(), MSG_NOSIGNAL));
  if (result.kind == hal::IoResult::Kind::Closed) handle->state = hal::TcpState::Closed;
  return result;
}

hal::IoResult PosixNet::tcpReceive(hal::SocketId socket, std::span<std::uint8_t> out) {
  Handle* handle = find(socket);
  if (handle == nullptr) return hal::IoResult::error();
  if (tcpState(socket) == hal::TcpState::Connecting) return hal::IoResult::wouldBlock();
  const ssize_t n = ::recv(handle->fd, out.data(), out.size(), 0);
  if (n == 0) {
    handle->state = hal::TcpState::Closed;
    return hal::IoResult::closed();
  }
  const hal::IoResult result = ioResult(n);
  if (result.kind == hal::IoResult::Kind::Closed) handle->state = hal::TcpState::Closed;
  return result;
}

void PosixNet::close(hal::SocketId socket) {
  Handle* handle = find(socket);
  if (handle == nullptr) return;
  if (handle->fd >= 0) ::close(handle->fd);
  if (handle->broadcastFd >= 0) ::close(handle->broadcastFd);
  handles_.erase(socket);
}

void PosixNet::closeAll() {
  for (auto& [id, handle] : handles_) {
    if (handle.fd >= 0) ::close(handle.fd);
    if (handle.broadcastFd >= 0) ::close(handle.broadcastFd);
  }
  handles_.clear();
}

PosixNet::WaitSet PosixNet::waitSet() const {
  WaitSet set;
  for (const auto& [id, handle] : handles_) {
    if (handle.connecting) {
      set.writable.push_back(handle.fd);
      continue;
    }
    set.readable.push_back(handle.fd);
    if (handle.broadcastFd >= 0) set.readable.push_back(handle.broadcastFd);
  }
  return set;
}

}  // namespace gagent::posix
