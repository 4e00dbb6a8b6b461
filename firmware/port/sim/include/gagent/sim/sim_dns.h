#pragma once
// Name resolution from a test-controlled table (S11). A query takes the configured latency and is answered
// from the table as it stands when the latency ends: a name that is missing then, or any query while
// failure injection is on, ends Failed. With latency 0 the answer is there at the first poll.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/hal/dns.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class SimDns : public hal::Dns {
 public:
  struct Query {
    Millis time = 0;
    std::string host;
  };

  explicit SimDns(VirtualClock& clock) : clock_(clock) {}
  ~SimDns() override { clock_.cancelOwnedBy(this); }
  SimDns(const SimDns&) = delete;
  SimDns& operator=(const SimDns&) = delete;

  void setHost(std::string_view host, hal::Ipv4 address) { table_[std::string(host)] = address; }
  void removeHost(std::string_view host) { table_.erase(std::string(host)); }
  void setLatency(Millis latency) { latency_ = latency; }
  // While on, every query that completes fails (a DNS server that does not answer).
  void setFailing(bool failing) { failing_ = failing; }
  // The next `count` queries to complete fail, then the table answers again.
  void failNext(std::size_t count) { failNext_ = count; }

  hal::DnsQueryId startResolve(std::string_view host) override;
  hal::DnsState pollResolve(hal::DnsQueryId query, hal::Ipv4& address) override;

  // Every startResolve, in order (S11.4 re-resolution is checked against this).
  [[nodiscard]] const std::vector<Query>& queries() const { return queries_; }
  [[nodiscard]] std::size_t openQueries() const { return open_.size(); }

 private:
  struct Open {
    std::string host;
    hal::DnsState state = hal::DnsState::Pending;
    hal::Ipv4 address;
  };
  void complete(hal::DnsQueryId id);

  VirtualClock& clock_;
  std::map<std::string, hal::Ipv4, std::less<>> table_;
  Millis latency_ = 0;
  bool failing_ = false;
  std::size_t failNext_ = 0;
  std::map<hal::DnsQueryId, Open> open_;
  hal::DnsQueryId nextId_ = 1;
  std::vector<Query> queries_;
};

}  // namespace gagent::sim
