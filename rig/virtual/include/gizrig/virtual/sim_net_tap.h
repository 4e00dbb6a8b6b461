#pragma once
// The virtual LAN's record (SimNet::record, everything that crossed it, in virtual time) through a WireTap:
// the engineer view's LAN and MQTT traffic in the virtual world. Call poll() as the world runs; it decodes
// what was recorded since the last call and may drop what it has read (the record of a long GUI session would
// otherwise grow without end; nobody else reads it there).

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "gizrig/decode/wire_tap.h"

namespace gagent::sim {
class SimNet;
struct NetRecord;
}  // namespace gagent::sim

namespace gizrig::core {

class SimNetTap {
 public:
  enum class Consume : bool { Keep, Clear };
  explicit SimNetTap(gagent::sim::SimNet& net, Consume consume = Consume::Keep)
      : net_(net), consume_(consume) {}

  std::vector<WirePacket> poll();

 private:
  void feed(const gagent::sim::NetRecord& record, std::vector<WirePacket>& out);

  gagent::sim::SimNet& net_;
  Consume consume_;
  std::size_t next_ = 0;
  WireTap tap_;
  std::map<std::string, bool> moduleListens_;  // connection key -> the peer connected to the module
};

}  // namespace gizrig::core
