#include "gizrig/decode/wire_tap.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace gizrig::core {

namespace {

bool startsWithHttpMethod(std::span<const std::uint8_t> bytes) {
  static constexpr std::array<std::string_view, 6> kMethods{"GET ",    "POST ", "PUT ",
                                                            "DELETE ", "HEAD ", "OPTIONS "};
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return std::any_of(kMethods.begin(), kMethods.end(),
                     [&](std::string_view method) { return text.starts_with(method); });
}

bool startsWithHttpStatus(std::span<const std::uint8_t> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return text.starts_with("HTTP/");
}

// The start line up to its line end, at most 120 characters, printable ASCII only.
std::string startLine(std::span<const std::uint8_t> bytes) {
  std::string line;
  for (const std::uint8_t b : bytes) {
    if (b == '\r' || b == '\n' || line.size() >= 120) break;
    line.push_back(b >= 0x20 && b < 0x7F ? static_cast<char>(b) : '.');
  }
  return line;
}

WirePacket packet(RigMillis time, WireKind kind, bool fromModule, const std::string& peer, DecodedItem item,
                  std::span<const std::uint8_t> bytes) {
  WirePacket p;
  p.time = time;
  p.kind = kind;
  p.fromModule = fromModule;
  p.peer = peer;
  p.bytes.assign(bytes.begin(), bytes.end());
  item.offset = 0;
  p.item = std::move(item);
  return p;
}

bool isTail(const DecodedItem& item) {
  return !item.ok && item.error == "incomplete";
}

}  // namespace

const char* wireKindName(WireKind kind) {
  switch (kind) {
    case WireKind::Lan:
      return "LAN";
    case WireKind::Mqtt:
      return "MQTT";
    case WireKind::Http:
      return "HTTP";
  }
  return "?";
}

std::vector<WirePacket> WireTap::datagram(RigMillis time, bool fromModule, const std::string& peer,
                                          std::span<const std::uint8_t> bytes) {
  std::vector<WirePacket> out;
  for (DecodedItem& item : decodeStream(WireProtocol::Lan, bytes)) {
    // A datagram is whole: a packet that needs more bytes than it carries is truncated, not pending.
    const std::size_t length = item.length == 0 ? bytes.size() - item.offset : item.length;
    const auto span = bytes.subspan(item.offset, length);
    if (isTail(item)) item.error = "truncated";
    out.push_back(packet(time, WireKind::Lan, fromModule, peer, std::move(item), span));
    out.back().udp = true;
  }
  return out;
}

std::vector<WirePacket> WireTap::stream(RigMillis time, const std::string& connection, bool moduleListens,
                                        bool fromModule, const std::string& peer,
                                        std::span<const std::uint8_t> bytes) {
  std::vector<WirePacket> out;
  Connection& c = connections_[connection];
  c.peer = peer;
  if (!c.kindKnown) {
    if (moduleListens) {
      c.kind = WireKind::Lan;
    } else if (!fromModule) {
      // The module speaks first on what it opens; bytes before that cannot tell the protocol.
      c.kind = startsWithHttpStatus(bytes) ? WireKind::Http : WireKind::Mqtt;
    } else {
      c.kind = startsWithHttpMethod(bytes) ? WireKind::Http : WireKind::Mqtt;
    }
    c.kindKnown = true;
  }
  if (c.kind == WireKind::Http) {
    splitHttp(time, c, fromModule, bytes, out);
    return out;
  }
  Direction& d = fromModule ? c.fromModule : c.toModule;
  d.pending.insert(d.pending.end(), bytes.begin(), bytes.end());
  decodePending(time, c, fromModule, out);
  return out;
}

WireKind WireTap::kindOf(const std::string& connection, WireKind fallback) const {
  const auto it = connections_.find(connection);
  return it != connections_.end() && it->second.kindKnown ? it->second.kind : fallback;
}

std::vector<WirePacket> WireTap::closed(RigMillis time, const std::string& connection) {
  std::vector<WirePacket> out;
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return out;
  for (const bool fromModule : {true, false}) {
    const Direction& d = fromModule ? it->second.fromModule : it->second.toModule;
    if (d.pending.empty()) continue;
    DecodedItem item;
    item.ok = false;
    item.name = "packet";
    item.error = "incomplete at close";
    item.length = d.pending.size();
    out.push_back(packet(time, it->second.kind, fromModule, it->second.peer, std::move(item), d.pending));
  }
  connections_.erase(it);
  return out;
}

void WireTap::decodePending(RigMillis time, Connection& c, bool fromModule, std::vector<WirePacket>& out) {
  Direction& d = fromModule ? c.fromModule : c.toModule;
  const WireProtocol protocol = c.kind == WireKind::Lan ? WireProtocol::Lan : WireProtocol::Mqtt;
  std::size_t consumed = 0;
  for (DecodedItem& item : decodeStream(protocol, d.pending)) {
    if (isTail(item)) break;
    if (item.length == 0) {
      // Unreadable from here on (an MQTT stream cannot resynchronise): report the rest once, drop it.
      item.length = d.pending.size() - item.offset;
    }
    const std::span<const std::uint8_t> bytes(d.pending.data() + item.offset, item.length);
    consumed = item.offset + item.length;
    out.push_back(packet(time, c.kind, fromModule, c.peer, std::move(item), bytes));
  }
  d.pending.erase(d.pending.begin(), d.pending.begin() + static_cast<std::ptrdiff_t>(consumed));
  if (d.pending.size() > kMaxPendingBytes) {
    DecodedItem item;
    item.ok = false;
    item.name = "packet";
    item.error = "too long";
    item.length = d.pending.size();
    out.push_back(packet(time, c.kind, fromModule, c.peer, std::move(item), d.pending));
    d.pending.clear();
  }
}

void WireTap::splitHttp(RigMillis time, const Connection& c, bool fromModule,
                        std::span<const std::uint8_t> bytes, std::vector<WirePacket>& out) {
  DecodedItem item;
  item.length = bytes.size();
  const bool starts = fromModule ? startsWithHttpMethod(bytes) : startsWithHttpStatus(bytes);
  item.name = starts ? startLine(bytes) : "data";
  item.fields.emplace_back("bytes", std::to_string(bytes.size()));
  out.push_back(packet(time, WireKind::Http, fromModule, c.peer, std::move(item), bytes));
}

}  // namespace gizrig::core
