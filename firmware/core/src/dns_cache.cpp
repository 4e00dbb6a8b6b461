#include "gagent/core/dns_cache.h"

#include "gagent/proto/form.h"

namespace gagent::core {

namespace {

void logAddress(Logger& log, const char* label, std::string_view name, hal::Ipv4 ip, const char* what) {
  log.info("%s host %.*s %s %s", label, static_cast<int>(name.size()), name.data(), what,
           hal::toText(ip).c_str());
}

}  // namespace

std::optional<hal::Ipv4> parseDottedIpv4(std::string_view text) {
  std::uint32_t value = 0;
  for (int part = 0; part < 4; ++part) {
    const std::size_t dot = text.find('.');
    const bool last = part == 3;
    if (last != (dot == std::string_view::npos)) return std::nullopt;
    const std::string_view digits = text.substr(0, dot);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    const auto number = proto::parseUnsignedDecimal(digits, 255);
    if (!number) return std::nullopt;
    value = (value << 8) | static_cast<std::uint32_t>(*number);
    text = last ? std::string_view() : text.substr(dot + 1);
  }
  return hal::Ipv4{value};
}

DnsCache::DnsCache(hal::Dns& dns, LogHub& logs) : dns_(dns), log_(logs, "dns") {}

bool DnsCache::setName(CloudHost host, std::string_view name) {
  Slot& s = slot(host);
  if (!name.empty() && s.name.view() == name) return true;
  s.query = hal::kNoQuery;  // an answer for the old name is of no use
  s.timeout.stop();
  s.address = {};
  if (name.empty() || !s.name.assign(name)) {
    s.name.clear();
    s.state = State::Failed;
    log_.warning("%s host name refused (%zu bytes)", label(host), name.size());
    return false;
  }
  s.state = State::Unresolved;
  return true;
}

void DnsCache::resolve(CloudHost host, Millis now) {
  Slot& s = slot(host);
  if (s.state == State::Resolving) return;
  if (s.name.empty()) {
    s.state = State::Failed;
    log_.warning("%s host has no name to resolve", label(host));
    return;
  }
  if (const auto ip = parseDottedIpv4(s.name.view())) {
    finish(host, s, true, *ip);
    return;
  }
  s.query = dns_.startResolve(s.name.view());
  if (s.query == hal::kNoQuery) {
    finish(host, s, false, {});
    return;
  }
  s.state = State::Resolving;
  s.timeout.start(now, kQueryTimeout);
  log_.debug("resolving %s host %.*s", label(host), static_cast<int>(s.name.size()), s.name.view().data());
}

std::optional<hal::Ipv4> DnsCache::address(CloudHost host) const {
  const Slot& s = slot(host);
  if (s.address.isUnset()) return std::nullopt;
  return s.address;
}

void DnsCache::clear() {
  for (Slot& s : slots_) {
    s.address = {};
    s.query = hal::kNoQuery;
    s.timeout.stop();
    s.state = State::Unresolved;
  }
  log_.info("DNS cache cleared");
}

void DnsCache::finish(CloudHost host, Slot& s, bool resolved, hal::Ipv4 address) {
  s.query = hal::kNoQuery;
  s.timeout.stop();
  if (!resolved || address.isUnset()) {
    s.state = State::Failed;
    log_.warning("%s host %.*s: resolution failed%s", label(host), static_cast<int>(s.name.size()),
                 s.name.view().data(), s.address.isUnset() ? "" : " (keeping the cached address)");
    return;
  }
  s.state = State::Resolved;
  if (s.address == address) {
    log_.debug("%s host unchanged", label(host));
    return;
  }
  s.address = address;
  logAddress(log_, label(host), s.name.view(), address, "is");
}

void DnsCache::poll(Millis now) {
  for (std::size_t i = 0; i < kHosts; ++i) {
    Slot& s = slots_[i];
    if (s.state != State::Resolving) continue;
    const auto host = static_cast<CloudHost>(i);
    hal::Ipv4 ip;
    switch (dns_.pollResolve(s.query, ip)) {
      case hal::DnsState::Pending:
        if (s.timeout.fire(now)) {
          log_.warning("%s host: no DNS answer within %llu ms", label(host),
                       static_cast<unsigned long long>(kQueryTimeout));
          finish(host, s, false, {});
        }
        break;
      case hal::DnsState::Resolved:
        finish(host, s, true, ip);
        break;
      case hal::DnsState::Failed:
        finish(host, s, false, {});
        break;
    }
  }
}

Millis DnsCache::nextDeadline() const {
  Millis next = hal::kNever;
  for (const Slot& s : slots_) next = earliest(next, s.timeout.deadline());
  return next;
}

}  // namespace gagent::core
