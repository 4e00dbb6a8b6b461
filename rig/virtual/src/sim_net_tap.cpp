#include "gizrig/virtual/sim_net_tap.h"

#include "gagent/proto/lan_packet.h"
#include "gagent/sim/sim_net.h"

namespace gizrig::core {

namespace {

std::string endpointText(gagent::hal::Endpoint e) {
  return std::string(gagent::hal::toText(e.ip).view()) + ':' + std::to_string(e.port);
}

}  // namespace

std::vector<WirePacket> SimNetTap::poll() {
  std::vector<WirePacket> out;
  const auto& record = net_.record();
  if (record.size() < next_) next_ = 0;  // somebody cleared it: start over on what is there
  for (; next_ < record.size(); ++next_) feed(record[next_], out);
  if (consume_ == Consume::Clear) {
    net_.clearRecord();
    next_ = 0;
  }
  return out;
}

void SimNetTap::feed(const gagent::sim::NetRecord& r, std::vector<WirePacket>& out) {
  using Kind = gagent::sim::NetRecord::Kind;
  const auto module = r.fromModule ? r.from : r.to;
  const auto peer = r.fromModule ? r.to : r.from;
  const std::string peerText = endpointText(peer);
  const std::string key = endpointText(module) + '|' + peerText;
  const auto append = [&out](std::vector<WirePacket> packets) {
    for (WirePacket& p : packets) out.push_back(std::move(p));
  };
  switch (r.kind) {
    case Kind::Udp: {
      auto packets = tap_.datagram(r.time, r.fromModule, peerText, r.bytes);
      // A broadcast nobody listens to is normal (the app is not there yet); say so, do not hide it.
      if (!r.delivered)
        for (WirePacket& p : packets) p.item.fields.emplace_back("heard", "nobody");
      append(std::move(packets));
      break;
    }
    case Kind::TcpOpen:
      if (r.delivered) moduleListens_[key] = !r.fromModule;
      break;
    case Kind::TcpData: {
      const auto known = moduleListens_.find(key);
      // Bytes of a connection opened before the record started: the module listens only on the LAN port.
      const bool listens =
          known != moduleListens_.end() ? known->second : module.port == gagent::proto::kLanTcpPort;
      if (!r.delivered) {
        // Lost on a silently dropping LAN: the receiver's stream never had these bytes.
        DecodedItem item;
        item.ok = false;
        item.name = "segment";
        item.error = "lost";
        item.length = r.bytes.size();
        WirePacket p;
        p.time = r.time;
        p.kind = tap_.kindOf(key, listens ? WireKind::Lan : WireKind::Mqtt);
        p.fromModule = r.fromModule;
        p.peer = peerText;
        p.item = std::move(item);
        p.bytes = r.bytes;
        out.push_back(std::move(p));
        break;
      }
      append(tap_.stream(r.time, key, listens, r.fromModule, peerText, r.bytes));
      break;
    }
    case Kind::TcpClose:
    case Kind::TcpReset:
      moduleListens_.erase(key);
      append(tap_.closed(r.time, key));
      break;
  }
}

}  // namespace gizrig::core
