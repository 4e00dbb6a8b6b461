#pragma once
// hal::Net on host sockets, every socket bound to the module's own address (gagent-sim --ip 127.0.0.N) so
// many virtual modules share one host and the same ports.
//
// Broadcast reception: a datagram to the loopback broadcast 127.255.255.255 reaches sockets bound to 0.0.0.0,
// not ones bound to 127.0.0.N. A UDP handle opened with allowBroadcast therefore owns two sockets: one on
// 127.0.0.N:port (unicast, and the source of everything sent) and one on 0.0.0.0:port with SO_REUSEADDR (the
// broadcasts every module on the host receives). Unicast goes to the more specific binding only.

#include <map>
#include <vector>

#include "gagent/hal/net.h"

namespace gagent::posix {

class PosixNet : public hal::Net {
 public:
  explicit PosixNet(hal::Ipv4 moduleAddress) : address_(moduleAddress) {}
  ~PosixNet() override;
  PosixNet(const PosixNet&) = delete;
  PosixNet& operator=(const PosixNet&) = delete;

  hal::SocketId udpOpen(std::uint16_t localPort, bool allowBroadcast) override;
  hal::IoResult udpSend(hal::SocketId socket, hal::Endpoint to,
                        std::span<const std::uint8_t> datagram) override;
  hal::IoResult udpReceive(hal::SocketId socket, std::span<std::uint8_t> out, hal::Endpoint& from) override;

  hal::SocketId tcpListen(std::uint16_t port, int backlog) override;
  hal::SocketId tcpAccept(hal::SocketId listener, hal::Endpoint& peer) override;
  hal::SocketId tcpConnect(hal::Endpoint remote) override;
  hal::TcpState tcpState(hal::SocketId socket) override;
  hal::IoResult tcpSend(hal::SocketId socket, std::span<const std::uint8_t> data) override;
  hal::IoResult tcpReceive(hal::SocketId socket, std::span<std::uint8_t> out) override;

  void close(hal::SocketId socket) override;
  void closeAll();

  // Every descriptor the loop should wait on for input (and connecting sockets for output).
  struct WaitSet {
    std::vector<int> readable;
    std::vector<int> writable;
  };
  [[nodiscard]] WaitSet waitSet() const;

 private:
  struct Handle {
    int fd = -1;
    int broadcastFd = -1;  // UDP with allowBroadcast only
    bool connecting = false;
    hal::TcpState state = hal::TcpState::Connected;
  };
  hal::SocketId add(Handle handle);
  Handle* find(hal::SocketId socket);

  hal::Ipv4 address_;
  std::map<hal::SocketId, Handle> handles_;
  hal::SocketId nextId_ = 1;
};

}  // namespace gagent::posix
