#pragma once
// The test side of the virtual LAN: sockets of the other hosts (apps, the cloud, a JD gateway...). SimNet
// creates and owns them; references stay valid for the SimNet's lifetime, closed or not.

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "gagent/hal/types.h"

namespace gagent::sim {

class SimNet;

class PeerUdpSocket {
 public:
  struct Datagram {
    hal::Millis time = 0;
    hal::Endpoint from;
    hal::Endpoint to;  // tells a broadcast from a unicast
    std::vector<std::uint8_t> bytes;
  };

  [[nodiscard]] hal::Endpoint local() const { return local_; }
  // False when this socket is closed or the LAN is down.
  bool send(hal::Endpoint to, std::span<const std::uint8_t> datagram);
  std::optional<Datagram> receive();
  std::vector<Datagram> receiveAll();
  [[nodiscard]] std::size_t pending() const { return inbox_.size(); }
  void close() { open_ = false; }
  [[nodiscard]] bool isOpen() const { return open_; }

 private:
  friend class SimNet;
  PeerUdpSocket(SimNet& net, hal::Endpoint local) : net_(net), local_(local) {}

  SimNet& net_;
  hal::Endpoint local_;
  bool open_ = true;
  std::deque<Datagram> inbox_;
};

// A TCP connection between a peer and the module, seen from the peer. It holds both directions' buffers.
class PeerTcpConnection {
 public:
  [[nodiscard]] hal::Endpoint local() const { return local_; }
  [[nodiscard]] hal::Endpoint remote() const { return remote_; }  // the module's end
  // False once the connection is closed (by either side) or broken.
  bool send(std::span<const std::uint8_t> data);
  // Everything the module sent that this side has not read yet.
  std::vector<std::uint8_t> receiveAll();
  [[nodiscard]] std::size_t pending() const { return forPeer_.size(); }
  // An orderly close (FIN): the module reads what is buffered, then IoResult::closed().
  void close();
  [[nodiscard]] bool isClosed() const { return peerClosed_ || moduleClosed_ || broken_; }
  [[nodiscard]] bool closedByModule() const { return moduleClosed_; }
  [[nodiscard]] bool broken() const { return broken_; }

 private:
  friend class SimNet;
  PeerTcpConnection(SimNet& net, hal::Endpoint local, hal::Endpoint remote)
      : net_(net), local_(local), remote_(remote) {}

  SimNet& net_;
  hal::Endpoint local_;
  hal::Endpoint remote_;
  std::deque<std::uint8_t> forPeer_;
  std::deque<std::uint8_t> forModule_;
  bool peerClosed_ = false;
  bool moduleClosed_ = false;
  bool broken_ = false;
};

// A peer's server socket (the cloud's HTTP and MQTT ports, say). Connections from the module are accepted
// by the virtual kernel at once and wait here until the test takes them.
class PeerTcpListener {
 public:
  [[nodiscard]] hal::Endpoint local() const { return local_; }
  // The next connection the module opened, or nullptr.
  PeerTcpConnection* accept();
  [[nodiscard]] std::size_t pending() const { return backlog_.size(); }
  // Refusing: the module's connects fail as if nobody listened (a closed port answering RST).
  void setRefusing(bool refusing) { refusing_ = refusing; }
  [[nodiscard]] bool refusing() const { return refusing_; }
  void close();
  [[nodiscard]] bool isOpen() const { return open_; }

 private:
  friend class SimNet;
  PeerTcpListener(SimNet& net, hal::Endpoint local) : net_(net), local_(local) {}

  SimNet& net_;
  hal::Endpoint local_;
  bool open_ = true;
  bool refusing_ = false;
  std::deque<PeerTcpConnection*> backlog_;
};

}  // namespace gagent::sim
