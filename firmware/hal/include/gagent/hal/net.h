#pragma once
// UDP and TCP through small integer handles, all non-blocking. A port that lacks a capability returns
// kNoSocket / IoResult::error(), never crashes (architecture practice 4).

#include <cstdint>
#include <span>

#include "gagent/hal/types.h"

namespace gagent::hal {

using SocketId = int;
inline constexpr SocketId kNoSocket = -1;

enum class TcpState : std::uint8_t { Connecting, Connected, Closed, Failed };

class Net {
 public:
  virtual ~Net() = default;

  // UDP socket bound to the module's address and `localPort` (0 = any); broadcast enabled when asked.
  virtual SocketId udpOpen(std::uint16_t localPort, bool allowBroadcast) = 0;
  virtual IoResult udpSend(SocketId socket, Endpoint to, std::span<const std::uint8_t> datagram) = 0;
  // One datagram per call; bytes beyond out.size() are dropped (reported as Error).
  virtual IoResult udpReceive(SocketId socket, std::span<std::uint8_t> out, Endpoint& from) = 0;

  virtual SocketId tcpListen(std::uint16_t port, int backlog) = 0;
  // A connected client socket, or kNoSocket when none is waiting.
  virtual SocketId tcpAccept(SocketId listener, Endpoint& peer) = 0;
  // Starts a connection; poll tcpState() until Connected or Failed.
  virtual SocketId tcpConnect(Endpoint remote) = 0;
  virtual TcpState tcpState(SocketId socket) = 0;
  virtual IoResult tcpSend(SocketId socket, std::span<const std::uint8_t> data) = 0;
  virtual IoResult tcpReceive(SocketId socket, std::span<std::uint8_t> out) = 0;

  virtual void close(SocketId socket) = 0;
};

}  // namespace gagent::hal
