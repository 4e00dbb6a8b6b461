#pragma once
// hal::Dns on the host resolver without ever blocking the loop (S11.5): a dotted address resolves at once; a
// name is looked up with getaddrinfo (IPv4) on a detached worker thread, which marks the query done and
// writes a byte to a pipe the main loop waits on (fd()). Queries outlive the PosixDns that started them
// only inside their own shared state, so a reboot never waits for a slow resolver.

#include <atomic>
#include <map>
#include <memory>

#include "gagent/hal/dns.h"

namespace gagent::posix {

class PosixDns : public hal::Dns {
 public:
  static constexpr std::size_t kMaxQueries = 8;       // lookups held at once
  static constexpr std::size_t kMaxHostLength = 253;  // RFC 1035

  PosixDns();
  ~PosixDns() override;
  PosixDns(const PosixDns&) = delete;
  PosixDns& operator=(const PosixDns&) = delete;

  hal::DnsQueryId startResolve(std::string_view host) override;
  hal::DnsState pollResolve(hal::DnsQueryId query, hal::Ipv4& address) override;

  // Readable when a lookup has finished; drain() empties it.
  [[nodiscard]] int fd() const;
  void drain();

 private:
  struct Query {
    std::atomic<hal::DnsState> state{hal::DnsState::Pending};
    std::atomic<std::uint32_t> address{0};
  };
  struct Pipe;  // shared with the workers, closed when the last of them is done

  std::shared_ptr<Pipe> pipe_;
  std::map<hal::DnsQueryId, std::shared_ptr<Query>> queries_;
  hal::DnsQueryId nextId_ = 1;
};

}  // namespace gagent::posix
