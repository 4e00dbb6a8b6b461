#pragma once
// A tiny stand-in for gagent-air inside a test: listens on 127.0.0.1:<free port>, accepts module
// connections, records every request line and answers each with what the test's `reply` function returns
// (default: "OK"). It can push EVENT lines and drop a connection, as the real air does.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include "gagent/hal/types.h"

namespace gagent::test {

class ScriptedAir {
 public:
  ScriptedAir() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(0x7F000001);
    addr.sin_port = 0;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 8);
    socklen_t length = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
  }
  ~ScriptedAir() {
    dropModule();
    ::close(listener_);
  }
  ScriptedAir(const ScriptedAir&) = delete;
  ScriptedAir& operator=(const ScriptedAir&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] hal::Endpoint endpoint() const { return {hal::ipv4(127, 0, 0, 1), port_}; }
  [[nodiscard]] std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Accepts a new connection (the latest replaces the previous one), reads and answers requests.
  void service() {
    const int accepted = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (accepted >= 0) {
      dropModule();
      module_ = accepted;
      ++connections;
      in_.clear();
    }
    if (module_ < 0) return;
    char buffer[1024];
    for (;;) {
      const ssize_t n = ::recv(module_, buffer, sizeof buffer, 0);
      if (n == 0) {
        dropModule();
        return;
      }
      if (n < 0) break;
      in_.append(buffer, static_cast<std::size_t>(n));
    }
    for (std::size_t newline = in_.find('\n'); newline != std::string::npos; newline = in_.find('\n')) {
      const std::string line = in_.substr(0, newline);
      in_.erase(0, newline + 1);
      requests.push_back(line);
      push(reply ? reply(line) : std::string("OK"));
    }
  }

  void push(const std::string& line) {
    if (module_ < 0) return;
    const std::string wire = line + "\n";
    [[maybe_unused]] const ssize_t n = ::send(module_, wire.data(), wire.size(), MSG_NOSIGNAL);
  }

  void dropModule() {
    if (module_ >= 0) ::close(module_);
    module_ = -1;
  }
  [[nodiscard]] bool moduleConnected() const { return module_ >= 0; }

  [[nodiscard]] std::size_t count(const std::string& prefix) const {
    std::size_t n = 0;
    for (const auto& r : requests) n += r.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }

  std::function<std::string(const std::string&)> reply;
  std::vector<std::string> requests;
  int connections = 0;

 private:
  int listener_ = -1;
  int module_ = -1;
  std::uint16_t port_ = 0;
  std::string in_;
};

}  // namespace gagent::test
