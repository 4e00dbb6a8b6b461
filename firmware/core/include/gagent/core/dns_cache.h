#pragma once
// S11: the addresses of the cloud's API and M2M servers, resolved without blocking the loop (S11.5) and kept
// in memory (S11.2). A failed resolution leaves the host Failed so callers skip that server (S11.3); the
// orchestrator re-resolves the M2M name hourly once logged in (S11.4) by calling resolve() again: the
// previous address stays usable while the query runs and after it fails, and is replaced when it succeeds.
// Host names that are dotted IPv4 addresses (the virtual lab uses 127.0.0.x) resolve at once, no query.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/timer.h"
#include "gagent/hal/dns.h"

namespace gagent::core {

enum class CloudHost : std::uint8_t { Api = 0, M2m = 1 };

// "a.b.c.d" with four decimal parts 0..255 (no leading sign, no spaces); nullopt for anything else.
[[nodiscard]] std::optional<hal::Ipv4> parseDottedIpv4(std::string_view text);

class DnsCache {
 public:
  enum class State : std::uint8_t { Unresolved, Resolving, Resolved, Failed };

  // A query the DNS layer never ends is given up after this long (counts as a failure, S11.3).
  static constexpr Millis kQueryTimeout = hal::seconds(15);
  static constexpr std::size_t kMaxHostName = 64;

  DnsCache(hal::Dns& dns, LogHub& logs);

  // The name to resolve for `host`. A different name drops the cached address (back to Unresolved); too
  // long a name is refused (false) and leaves the host Failed.
  bool setName(CloudHost host, std::string_view name);
  [[nodiscard]] std::string_view name(CloudHost host) const { return slot(host).name.view(); }

  // Starts a resolution (again) of the host's name; a query already running is left to finish.
  void resolve(CloudHost host, Millis now);

  [[nodiscard]] State state(CloudHost host) const { return slot(host).state; }
  // The cached address: the last successful answer, kept across a later query and its failure.
  [[nodiscard]] std::optional<hal::Ipv4> address(CloudHost host) const;

  // S7.7.1: reset forgets every cached address (names are kept).
  void clear();

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;

 private:
  struct Slot {
    StoredText<kMaxHostName> name;
    State state = State::Unresolved;
    hal::Ipv4 address;  // unset = nothing cached
    hal::DnsQueryId query = hal::kNoQuery;
    Timer timeout;
  };
  static constexpr std::size_t kHosts = 2;

  Slot& slot(CloudHost host) { return slots_[static_cast<std::size_t>(host)]; }
  [[nodiscard]] const Slot& slot(CloudHost host) const { return slots_[static_cast<std::size_t>(host)]; }
  static const char* label(CloudHost host) { return host == CloudHost::Api ? "API" : "M2M"; }
  void finish(CloudHost host, Slot& s, bool resolved, hal::Ipv4 address);

  hal::Dns& dns_;
  Logger log_;
  std::array<Slot, kHosts> slots_{};
};

}  // namespace gagent::core
