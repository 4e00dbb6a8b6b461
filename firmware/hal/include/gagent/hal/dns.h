#pragma once
// Host name resolution that never blocks the loop (S11.5): start a query, poll it later.

#include <cstdint>
#include <string_view>

#include "gagent/hal/types.h"

namespace gagent::hal {

using DnsQueryId = int;
inline constexpr DnsQueryId kNoQuery = -1;

enum class DnsState : std::uint8_t { Pending, Resolved, Failed };

class Dns {
 public:
  virtual ~Dns() = default;
  virtual DnsQueryId startResolve(std::string_view host) = 0;
  // Resolved fills `address`; Resolved and Failed end the query (its id is then free).
  virtual DnsState pollResolve(DnsQueryId query, Ipv4& address) = 0;
};

}  // namespace gagent::hal
