#pragma once
// One entry of SimNet's record of everything that crossed the virtual LAN, for exact assertions.

#include <cstdint>
#include <vector>

#include "gagent/hal/types.h"

namespace gagent::sim {

struct NetRecord {
  enum class Kind : std::uint8_t {
    Udp,       // a datagram (to = the address it was sent to, broadcast included)
    TcpOpen,   // a connection attempt: from = the connecting side; delivered = accepted by a listener
    TcpData,   // one segment, at most the maximum segment size
    TcpClose,  // an orderly close: from = the side that closed
    TcpReset,  // a connection broken by the network (LAN down, module address change, module restart)
  };
  hal::Millis time = 0;
  Kind kind = Kind::Udp;
  hal::Endpoint from;
  hal::Endpoint to;
  std::vector<std::uint8_t> bytes;
  bool delivered = true;  // false: no socket took it, or the LAN dropped it silently
  // `from` is the module's end (TcpReset: the module's end of the broken connection). Lets a tap tell the
  // directions apart whatever address the module had at the time.
  bool fromModule = false;
};

}  // namespace gagent::sim
