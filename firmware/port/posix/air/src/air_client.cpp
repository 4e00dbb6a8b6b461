#include "gagent/air/air_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace gagent::air {

namespace {

constexpr std::size_t kMaxLineLength = 1024 * 1024;  // far above any reply; stops a runaway peer

int remainingMs(std::chrono::steady_clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
          .count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1'000'000));
}

bool isEvent(std::string_view line) {
  return line.starts_with("EVENT ") || line == "EVENT";
}

}  // namespace

bool AirClient::connect(std::string_view host, std::uint16_t port, Timeout timeout) {
  close();
  error_.clear();
  const auto deadline = Clock::now() + timeout;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  const std::string hostText(host);
  if (::inet_pton(AF_INET, hostText.c_str(), &address.sin_addr) != 1) return fail("not an IPv4 address");
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return fail(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) return fail(std::string("connect: ") + std::strerror(errno));
    pollfd waiting{fd_, POLLOUT, 0};
    if (::poll(&waiting, 1, remainingMs(deadline)) != 1) return fail("connect: timeout");
    int status = 0;
    socklen_t length = sizeof status;
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &status, &length);
    if (status != 0) return fail(std::string("connect: ") + std::strerror(status));
  }
  return true;
}

void AirClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  input_.clear();
}

std::optional<std::string> AirClient::request(std::string_view line, Timeout timeout) {
  if (fd_ < 0) {
    fail("not connected");
    return std::nullopt;
  }
  const auto deadline = Clock::now() + timeout;
  std::string data(line);
  data += '\n';
  if (!sendAll(data, deadline)) return std::nullopt;
  while (true) {
    auto reply = readLine(deadline);
    if (!reply) {
      if (fd_ >= 0) fail("timeout waiting for the reply to: " + std::string(line));
      return std::nullopt;
    }
    if (!isEvent(*reply)) return reply;
    events_.push_back(std::move(*reply));
  }
}

std::optional<std::string> AirClient::waitEvent(Timeout timeout) {
  if (events_.empty() && fd_ >= 0) {
    // No request is outstanding, so a quiet wait keeps the connection (and any partial line).
    auto line = readLine(Clock::now() + timeout);
    if (line && isEvent(*line)) {
      events_.push_back(std::move(*line));
    } else if (line) {
      fail("unexpected line between requests: " + *line);
    }
  }
  if (events_.empty()) return std::nullopt;
  std::string event = std::move(events_.front());
  events_.pop_front();
  return event;
}

bool AirClient::sendAll(std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      data.remove_prefix(static_cast<std::size_t>(sent));
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd waiting{fd_, POLLOUT, 0};
      if (::poll(&waiting, 1, remainingMs(deadline)) == 1) continue;
      return fail("send: timeout");
    }
    return fail(std::string("send: ") + std::strerror(errno));
  }
  return true;
}

std::optional<std::string> AirClient::readLine(Clock::time_point deadline) {
  while (true) {
    const std::size_t newline = input_.find('\n');
    if (newline != std::string::npos) {
      std::string line = input_.substr(0, newline);
      input_.erase(0, newline + 1);
      return line;
    }
    if (input_.size() > kMaxLineLength) {
      fail("line too long");
      return std::nullopt;
    }
    pollfd waiting{fd_, POLLIN, 0};
    const int ready = ::poll(&waiting, 1, remainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      error_ = "timeout";
      return std::nullopt;  // the caller decides whether the connection survives
    }
    char buffer[4096];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
    if (got <= 0) {
      fail(got == 0 ? "connection closed" : std::string("recv: ") + std::strerror(errno));
      return std::nullopt;
    }
    input_.append(buffer, static_cast<std::size_t>(got));
  }
}

bool AirClient::fail(std::string error) {
  error_ = std::move(error);
  close();
  return false;
}

}  // namespace gagent::air
