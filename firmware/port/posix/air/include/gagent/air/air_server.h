#pragma once
// gagent-air's TCP server: the air protocol on one loopback port, served by a single poll(2) loop. Each
// connection is a module (after HELLO) or a controller; replies and events are queued per connection and
// written without blocking, so a peer that stops reading only ever hurts itself: once its queue passes a
// limit (it floods requests without reading the replies) or it sends a line longer than the limit, it is
// disconnected.

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "gagent/air/air_model.h"
#include "gagent/air/air_protocol.h"

namespace gagent::air {

struct AirServerLimits {
  std::size_t maxLineLength = 1024;         // a request is at most a few hundred bytes
  std::size_t maxQueuedOutput = 64 * 1024;  // replies and events a peer has not read yet
  std::size_t maxConnections = 256;
};

class AirServer {
 public:
  explicit AirServer(AirModel model = {}, AirServerLimits limits = {});
  ~AirServer();
  AirServer(const AirServer&) = delete;
  AirServer& operator=(const AirServer&) = delete;

  // Binds a loopback IPv4 address (127.0.0.0/8 only); port 0 picks a free port. False with `error` set.
  bool listen(std::string_view host, std::uint16_t port, std::string& error);
  [[nodiscard]] std::uint16_t port() const { return port_; }

  // Serves until requestStop(); false (with `error`) when polling fails.
  bool run(std::string& error);
  // Async-signal-safe and callable from any thread: run() returns soon after.
  void requestStop();

  // Only while run() is not running (e.g. to set up the air before serving).
  [[nodiscard]] AirModel& model() { return model_; }

 private:
  struct Connection {
    int fd = -1;
    std::string input;
    std::string output;
  };

  void acceptAll();
  // False when the connection must be dropped (closed by the peer, an error, a limit).
  bool readFrom(ConnectionId id, Connection& connection);
  bool processLines(ConnectionId id, Connection& connection);
  void queue(ConnectionId to, std::string_view line);
  bool flush(Connection& connection);
  void drop(ConnectionId id);

  AirModel model_;
  AirProtocol protocol_{model_};
  AirServerLimits limits_;
  int listenFd_ = -1;
  int wakeRead_ = -1;
  int wakeWrite_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::map<ConnectionId, Connection> connections_;
  ConnectionId nextId_ = 1;
};

}  // namespace gagent::air
