#pragma once
// A small blocking client of gagent-air for tests, the lab tooling and simple module radios: one request at a
// time, each with a timeout. EVENT lines that arrive while a reply is awaited are set aside for waitEvent().
// After a timeout the connection is closed, because a late reply would otherwise answer the next request.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace gagent::air {

class AirClient {
 public:
  using Timeout = std::chrono::milliseconds;

  AirClient() = default;
  ~AirClient() { close(); }
  AirClient(const AirClient&) = delete;
  AirClient& operator=(const AirClient&) = delete;

  bool connect(std::string_view host, std::uint16_t port, Timeout timeout);
  void close();
  [[nodiscard]] bool connected() const { return fd_ >= 0; }

  // Sends `line` (without '\n') and returns the reply line (without '\n'); nullopt with lastError() on a
  // timeout or a broken connection.
  std::optional<std::string> request(std::string_view line, Timeout timeout);

  // The oldest event set aside, or the next one to arrive within `timeout` (0: do not wait).
  std::optional<std::string> waitEvent(Timeout timeout);
  [[nodiscard]] std::size_t pendingEvents() const { return events_.size(); }

  [[nodiscard]] const std::string& lastError() const { return error_; }
  // For callers that poll several sources; readable means an event or a reply may be waiting.
  [[nodiscard]] int fd() const { return fd_; }

 private:
  using Clock = std::chrono::steady_clock;
  bool sendAll(std::string_view data, Clock::time_point deadline);
  // The next line (any kind) before the deadline; nullopt on a timeout (connection kept) or a broken
  // connection (closed).
  std::optional<std::string> readLine(Clock::time_point deadline);
  bool fail(std::string error);

  int fd_ = -1;
  std::string input_;
  std::deque<std::string> events_;
  std::string error_;
};

}  // namespace gagent::air
