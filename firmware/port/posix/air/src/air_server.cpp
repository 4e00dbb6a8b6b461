#include "gagent/air/air_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace gagent::air {

namespace {

constexpr std::size_t kReadChunk = 4096;

bool setNonBlocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL, 0);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

std::string systemError(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

AirServer::AirServer(AirModel model, AirServerLimits limits) : model_(std::move(model)), limits_(limits) {
  int fds[2] = {-1, -1};
  if (::pipe(fds) == 0) {
    wakeRead_ = fds[0];
    wakeWrite_ = fds[1];
    setNonBlocking(wakeRead_);
    setNonBlocking(wakeWrite_);
  }
}

AirServer::~AirServer() {
  for (auto& [id, connection] : connections_) ::close(connection.fd);
  if (listenFd_ >= 0) ::close(listenFd_);
  if (wakeRead_ >= 0) ::close(wakeRead_);
  if (wakeWrite_ >= 0) ::close(wakeWrite_);
}

bool AirServer::listen(std::string_view host, std::uint16_t port, std::string& error) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  const std::string hostText(host);
  if (::inet_pton(AF_INET, hostText.c_str(), &address.sin_addr) != 1) {
    error = "not an IPv4 address: " + hostText;
    return false;
  }
  if ((ntohl(address.sin_addr.s_addr) >> 24) != 127) {
    error = "the air listens on loopback only (127.0.0.0/8), not " + hostText;
    return false;
  }
  if (wakeRead_ < 0) {
    error = "no wake-up pipe";
    return false;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = systemError("socket");
    return false;
  }
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 || !setNonBlocking(fd)) {
    error = systemError("listen on " + hostText + ":" + std::to_string(port));
    ::close(fd);
    return false;
  }
  if (listenFd_ >= 0) ::close(listenFd_);
  listenFd_ = fd;
  port_ = ntohs(address.sin_port);
  return true;
}

void AirServer::requestStop() {
  stop_.store(true);
  const char byte = 1;
  // Only async-signal-safe calls here; a full pipe already holds a wake-up.
  [[maybe_unused]] const auto written = ::write(wakeWrite_, &byte, 1);
}

bool AirServer::run(std::string& error) {
  if (listenFd_ < 0) {
    error = "not listening";
    return false;
  }
  std::vector<pollfd> fds;
  std::vector<ConnectionId> ids;
  while (!stop_.load()) {
    fds.clear();
    ids.clear();
    fds.push_back({wakeRead_, POLLIN, 0});
    fds.push_back({listenFd_, POLLIN, 0});
    for (const auto& [id, connection] : connections_) {
      const short events = static_cast<short>(POLLIN | (connection.output.empty() ? 0 : POLLOUT));
      fds.push_back({connection.fd, events, 0});
      ids.push_back(id);
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      error = systemError("poll");
      return false;
    }
    if (fds[0].revents != 0) {
      char drain[64];
      while (::read(wakeRead_, drain, sizeof drain) > 0) {
      }
    }
    if (fds[1].revents != 0) acceptAll();
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const short revents = fds[i + 2].revents;
      auto it = connections_.find(ids[i]);
      // Gone already: dropped while an earlier connection's request was handled.
      if (revents == 0 || it == connections_.end()) continue;
      bool keep = true;
      if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0) keep = readFrom(ids[i], it->second);
      if (keep && (revents & POLLOUT) != 0) keep = flush(it->second);
      if (!keep) drop(ids[i]);
    }
    // Events queued for other connections, and connections over their output limit.
    std::vector<ConnectionId> overflowing;
    for (auto& [id, connection] : connections_) {
      if (!connection.output.empty() && !flush(connection)) overflowing.push_back(id);
    }
    for (const ConnectionId id : overflowing) drop(id);
  }
  return true;
}

void AirServer::acceptAll() {
  while (true) {
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or an aborted connection
    if (connections_.size() >= limits_.maxConnections) {
      ::close(fd);
      continue;
    }
    Connection connection;
    connection.fd = fd;
    connections_.emplace(nextId_++, std::move(connection));
  }
}

bool AirServer::readFrom(ConnectionId id, Connection& connection) {
  char buffer[kReadChunk];
  const ssize_t got = ::recv(connection.fd, buffer, sizeof buffer, 0);
  if (got < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  if (got == 0) {
    // The peer has finished sending (it may still read, as `nc -N` does): its last requests are answered
    // as far as the socket buffer takes the replies without waiting.
    if (processLines(id, connection)) flush(connection);
    return false;
  }
  connection.input.append(buffer, static_cast<std::size_t>(got));
  return processLines(id, connection);
}

bool AirServer::processLines(ConnectionId id, Connection& connection) {
  std::size_t start = 0;
  std::vector<OutgoingLine> events;
  while (true) {
    const std::size_t newline = connection.input.find('\n', start);
    if (newline == std::string::npos) break;
    if (newline - start > limits_.maxLineLength) return false;
    const std::string_view line(connection.input.data() + start, newline - start);
    const std::string reply = protocol_.handle(id, line, events);
    connection.output += reply;
    connection.output += '\n';
    start = newline + 1;
  }
  connection.input.erase(0, start);
  for (const auto& event : events) queue(event.to, event.line);
  if (connection.input.size() > limits_.maxLineLength) return false;
  return connection.output.size() <= limits_.maxQueuedOutput;
}

void AirServer::queue(ConnectionId to, std::string_view line) {
  const auto it = connections_.find(to);
  if (it == connections_.end()) return;
  it->second.output += line;
  it->second.output += '\n';
}

bool AirServer::flush(Connection& connection) {
  while (!connection.output.empty()) {
    const ssize_t sent = ::send(connection.fd, connection.output.data(), connection.output.size(),
                                MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return false;
    }
    connection.output.erase(0, static_cast<std::size_t>(sent));
  }
  return connection.output.size() <= limits_.maxQueuedOutput;
}

void AirServer::drop(ConnectionId id) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  ::close(it->second.fd);
  connections_.erase(it);
  protocol_.disconnected(id);
}

}  // namespace gagent::air
