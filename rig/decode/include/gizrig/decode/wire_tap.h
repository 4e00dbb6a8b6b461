#pragma once
// A module's network traffic -> named packets, for the engineer's LAN and MQTT traffic views. Whoever can see
// the bytes (the virtual LAN's record, a relay in front of the broker) feeds them in as datagrams and TCP
// segments; the tap reassembles each connection's two byte streams and decodes them with the same codecs as
// `gizrig decode` (decode.h), so a packet split over segments or several packets in one segment come out as
// one item each. Which protocol a connection speaks:
//   - UDP, and TCP connections to a port the module listens on (12416): LAN packets (protocol §2);
//   - connections the module opens: HTTP when its first bytes are an HTTP method, MQTT 3.1 otherwise (the
//     broker's port comes from the cloud's provisioning answer, so the port cannot tell).
// HTTP is shown one item per segment (the start line, or "data" for a continuation): the engineer wants to
// see which request went where, the firmware's own parser already judges the bodies.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "gizrig/decode/decode.h"
#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

enum class WireKind : std::uint8_t { Lan, Mqtt, Http };
[[nodiscard]] const char* wireKindName(WireKind kind);  // "LAN", "MQTT", "HTTP"

struct WirePacket {
  RigMillis time = 0;
  WireKind kind = WireKind::Lan;
  bool fromModule = true;
  bool udp = false;
  std::string peer;  // "10.0.0.20:50211": the other end
  DecodedItem item;  // offset/length refer to `bytes`
  std::vector<std::uint8_t> bytes;
};

class WireTap {
 public:
  // Above this many buffered bytes without a complete packet, a stream is reported malformed and dropped
  // (a peer that never completes a frame must not grow the rig's memory).
  static constexpr std::size_t kMaxPendingBytes = 64 * 1024;

  // One datagram from or to the module: LAN packets.
  std::vector<WirePacket> datagram(RigMillis time, bool fromModule, const std::string& peer,
                                   std::span<const std::uint8_t> bytes);
  // Bytes of the TCP connection `connection` (any key stable for its lifetime). `moduleListens`: the
  // connection reached a port the module listens on (the LAN server) rather than one the module opened.
  std::vector<WirePacket> stream(RigMillis time, const std::string& connection, bool moduleListens,
                                 bool fromModule, const std::string& peer,
                                 std::span<const std::uint8_t> bytes);
  // The connection ended: a partial packet left in it is reported as incomplete.
  std::vector<WirePacket> closed(RigMillis time, const std::string& connection);

  // The protocol of an open connection, once its first bytes were seen; `fallback` otherwise.
  [[nodiscard]] WireKind kindOf(const std::string& connection, WireKind fallback) const;
  [[nodiscard]] std::size_t openConnections() const { return connections_.size(); }

 private:
  struct Direction {
    std::vector<std::uint8_t> pending;
  };
  struct Connection {
    WireKind kind = WireKind::Lan;
    bool kindKnown = false;
    std::string peer;
    Direction toModule;
    Direction fromModule;
  };

  static void decodePending(RigMillis time, Connection& c, bool fromModule, std::vector<WirePacket>& out);
  static void splitHttp(RigMillis time, const Connection& c, bool fromModule,
                        std::span<const std::uint8_t> bytes, std::vector<WirePacket>& out);

  std::map<std::string, Connection> connections_;
};

}  // namespace gizrig::core
