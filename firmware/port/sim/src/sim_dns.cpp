#include "gagent/sim/sim_dns.h"

namespace gagent::sim {

hal::DnsQueryId SimDns::startResolve(std::string_view host) {
  const hal::DnsQueryId id = nextId_++;
  open_[id].host = host;
  queries_.push_back({clock_.now(), std::string(host)});
  clock_.runAfter(
      latency_, [this, id] { complete(id); }, this);
  return id;
}

void SimDns::complete(hal::DnsQueryId id) {
  auto query = open_.find(id);
  if (query == open_.end()) return;
  auto entry = table_.find(query->second.host);
  if (failing_ || failNext_ > 0 || entry == table_.end()) {
    if (failNext_ > 0) --failNext_;
    query->second.state = hal::DnsState::Failed;
    return;
  }
  query->second.state = hal::DnsState::Resolved;
  query->second.address = entry->second;
}

hal::DnsState SimDns::pollResolve(hal::DnsQueryId query, hal::Ipv4& address) {
  auto it = open_.find(query);
  if (it == open_.end()) return hal::DnsState::Failed;  // unknown or already ended
  const hal::DnsState state = it->second.state;
  if (state == hal::DnsState::Resolved) address = it->second.address;
  if (state != hal::DnsState::Pending) open_.erase(it);
  return state;
}

}  // namespace gagent::sim
