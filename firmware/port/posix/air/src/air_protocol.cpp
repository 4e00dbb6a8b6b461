#include "gagent/air/air_protocol.h"

#include <charconv>
#include <optional>
#include <span>
#include <utility>

#include "gagent/air/text_codec.h"

namespace gagent::air {

namespace {

constexpr std::size_t kMaxSsidLength = 32;      // IEEE 802.11
constexpr std::size_t kMaxPasswordLength = 64;  // WPA2 passphrase or PSK

std::string badRequest(std::string_view why) {
  return "ERROR bad-request " + std::string(why);
}

std::optional<std::vector<std::string_view>> splitTokens(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (true) {
    const std::size_t space = line.find(' ', start);
    const std::string_view token =
        line.substr(start, space == std::string_view::npos ? line.npos : space - start);
    if (token.empty()) return std::nullopt;  // leading, trailing or doubled space
    tokens.push_back(token);
    if (space == std::string_view::npos) return tokens;
    start = space + 1;
  }
}

bool isHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// 12 hex digits, normalised to lower case so RSSI and HELLO match whatever case each side writes.
std::optional<std::string> parseMac(std::string_view token) {
  if (token.size() != 12) return std::nullopt;
  std::string mac;
  for (const char c : token) {
    if (!isHex(c)) return std::nullopt;
    mac += (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return mac;
}

bool isDottedQuad(std::string_view token) {
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    const auto digits = static_cast<std::size_t>(end - token.data());
    if (error != std::errc() || digits > 3 || value > 255) return false;
    token.remove_prefix(digits);
    if (part == 3) return token.empty();
    if (token.empty() || token.front() != '.') return false;
    token.remove_prefix(1);
  }
  return false;
}

std::optional<std::uint8_t> parseSignal(std::string_view token) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error != std::errc() || end != token.data() + token.size() || value > kMaxSignal) return std::nullopt;
  return static_cast<std::uint8_t>(value);
}

std::optional<std::string> parseSsid(std::string_view token) {
  auto ssid = decodeText(token);
  if (!ssid || ssid->empty() || ssid->size() > kMaxSsidLength) return std::nullopt;
  return ssid;
}

std::optional<std::string> parsePassword(std::string_view token) {
  auto password = decodeText(token);
  if (!password || password->size() > kMaxPasswordLength) return std::nullopt;
  return password;
}

std::string joinReply(JoinResult result) {
  switch (result) {
    case JoinResult::Ok:
      return "OK";
    case JoinResult::NoAp:
      return "ERROR no-ap";
    case JoinResult::WrongPassword:
      return "ERROR wrong-password";
  }
  return "ERROR no-ap";
}

std::string okOrNoAp(bool found) {
  return found ? "OK" : "ERROR no-ap";
}

std::string_view oneShotName(const std::optional<OneShotKind>& kind) {
  if (!kind) return "-";
  return *kind == OneShotKind::AirLink ? "airlink" : "airkiss";
}

// One request, its tokens after the command, and what it may touch.
class Request {
 public:
  Request(AirModel& model, ConnectionId from, std::span<const std::string_view> args,
          std::vector<OutgoingLine>& out)
      : model_(model), from_(from), args_(args), out_(out) {}

  std::string dispatch(std::string_view command);

 private:
  bool arity(std::size_t min, std::size_t max) const { return args_.size() >= min && args_.size() <= max; }
  void deliver(const AirEvents& events) {
    for (const auto& event : events) out_.push_back({event.module, AirProtocol::formatEvent(event)});
  }

  std::string hello();
  std::string moduleRequest(std::string_view command);
  std::string controlRequest(std::string_view command);
  std::string apAdd();
  std::string apSet();
  std::string rssi();
  std::string listAccessPoints() const;
  std::string listClients() const;
  std::string listModules() const;
  std::string softApJoin() const;
  std::string oneShotSend();

  AirModel& model_;
  ConnectionId from_;
  std::span<const std::string_view> args_;
  std::vector<OutgoingLine>& out_;
};

std::string Request::dispatch(std::string_view command) {
  if (command == "HELLO") return hello();
  if (command == "SCAN" || command == "JOIN" || command == "LEAVE" || command == "SIGNAL" ||
      command == "SOFTAP" || command == "SOFTAP-OFF" || command == "ONESHOT" || command == "ONESHOT-OFF") {
    if (!model_.hasModule(from_)) return badRequest("hello-first");
    return moduleRequest(command);
  }
  return controlRequest(command);
}

std::string Request::hello() {
  if (!arity(2, 2)) return badRequest("arguments");
  const auto mac = parseMac(args_[0]);
  if (!mac) return badRequest("bad-mac");
  if (!isDottedQuad(args_[1])) return badRequest("bad-ip");
  if (!model_.addModule(from_, *mac, std::string(args_[1]))) return badRequest("hello-twice");
  return "OK";
}

std::string Request::moduleRequest(std::string_view command) {
  if (command == "SCAN") {
    if (!arity(0, 0)) return badRequest("arguments");
    const auto entries = model_.scan(from_);
    std::string reply = "OK " + std::to_string(entries.size());
    for (const auto& entry : entries)
      reply += " " + encodeText(entry.ssid) + " " + std::to_string(entry.signal);
    return reply;
  }
  if (command == "JOIN") {
    if (!arity(2, 2)) return badRequest("arguments");
    const auto ssid = parseSsid(args_[0]);
    if (!ssid) return badRequest("bad-ssid");
    const auto password = parsePassword(args_[1]);
    if (!password) return badRequest("bad-password");
    return joinReply(model_.join(from_, *ssid, *password));
  }
  if (command == "SOFTAP") {
    if (!arity(2, 2)) return badRequest("arguments");
    auto ssid = parseSsid(args_[0]);
    if (!ssid) return badRequest("bad-ssid");
    auto password = parsePassword(args_[1]);
    if (!password) return badRequest("bad-password");
    model_.startSoftAp(from_, std::move(*ssid), std::move(*password));
    return "OK";
  }
  if (command == "ONESHOT") {
    if (!arity(1, 1)) return badRequest("arguments");
    if (args_[0] == "airlink") {
      model_.startOneShot(from_, OneShotKind::AirLink);
    } else if (args_[0] == "airkiss") {
      model_.startOneShot(from_, OneShotKind::AirKiss);
    } else {
      return badRequest("bad-kind");
    }
    return "OK";
  }
  // The requests without arguments.
  if (!arity(0, 0)) return badRequest("arguments");
  if (command == "LEAVE") {
    model_.leave(from_);
  } else if (command == "SIGNAL") {
    return "OK " + std::to_string(model_.stationSignal(from_));
  } else if (command == "SOFTAP-OFF") {
    model_.stopSoftAp(from_);
  } else {  // ONESHOT-OFF
    model_.stopOneShot(from_);
  }
  return "OK";
}

std::string Request::controlRequest(std::string_view command) {
  if (command == "AP-ADD") return apAdd();
  if (command == "AP-SET") return apSet();
  if (command == "RSSI") return rssi();
  if (command == "APS") return arity(0, 0) ? listAccessPoints() : badRequest("arguments");
  if (command == "MODULES") return arity(0, 0) ? listModules() : badRequest("arguments");
  if (command == "CLIENTS") return listClients();
  if (command == "SOFTAP-JOIN") return softApJoin();
  if (command == "ONESHOT-SEND") return oneShotSend();
  const bool power = command == "AP-POWER";
  if (command != "AP-REMOVE" && command != "AP-REBOOT" && !power) return badRequest("unknown-command");

  if (!arity(power ? 2 : 1, power ? 2 : 1)) return badRequest("arguments");
  const auto ssid = parseSsid(args_[0]);
  if (!ssid) return badRequest("bad-ssid");
  AirEvents events;
  bool found = false;
  if (power) {
    if (args_[1] != "on" && args_[1] != "off") return badRequest("bad-power");
    found = model_.setPower(*ssid, args_[1] == "on", events);
  } else if (command == "AP-REMOVE") {
    found = model_.removeAccessPoint(*ssid, events);
  } else {
    found = model_.reboot(*ssid, events);
  }
  deliver(events);
  return okOrNoAp(found);
}

std::string Request::apAdd() {
  if (!arity(2, 3)) return badRequest("arguments");
  auto ssid = parseSsid(args_[0]);
  if (!ssid) return badRequest("bad-ssid");
  auto password = parsePassword(args_[1]);
  if (!password) return badRequest("bad-password");
  std::uint8_t signal = kDefaultSignal;
  if (args_.size() == 3) {
    const auto parsed = parseSignal(args_[2]);
    if (!parsed) return badRequest("bad-signal");
    signal = *parsed;
  }
  AirEvents events;
  model_.addAccessPoint(std::move(*ssid), std::move(*password), signal, events);
  deliver(events);
  return "OK";
}

std::string Request::apSet() {
  if (!arity(3, 3)) return badRequest("arguments");
  const auto ssid = parseSsid(args_[0]);
  auto newSsid = parseSsid(args_[1]);
  if (!ssid || !newSsid) return badRequest("bad-ssid");
  auto newPassword = parsePassword(args_[2]);
  if (!newPassword) return badRequest("bad-password");
  AirEvents events;
  const bool found = model_.rename(*ssid, std::move(*newSsid), std::move(*newPassword), events);
  deliver(events);
  return okOrNoAp(found);
}

std::string Request::rssi() {
  if (!arity(3, 3)) return badRequest("arguments");
  const auto ssid = parseSsid(args_[0]);
  if (!ssid) return badRequest("bad-ssid");
  std::optional<std::string> mac;
  if (args_[1] != "*") {
    mac = parseMac(args_[1]);
    if (!mac) return badRequest("bad-mac");
  }
  const auto signal = parseSignal(args_[2]);
  if (!signal) return badRequest("bad-signal");
  return okOrNoAp(model_.setSignal(*ssid, mac, *signal));
}

std::string Request::listAccessPoints() const {
  const auto& aps = model_.accessPoints();
  std::string reply = "OK " + std::to_string(aps.size());
  for (const auto& ap : aps) {
    reply += " " + encodeText(ap.ssid) + " " + encodeText(ap.password) + (ap.powered ? " on " : " off ") +
             std::to_string(ap.defaultSignal) + " " + std::to_string(ap.clients.size());
  }
  return reply;
}

std::string Request::listClients() const {
  if (!arity(1, 1)) return badRequest("arguments");
  const auto ssid = parseSsid(args_[0]);
  if (!ssid) return badRequest("bad-ssid");
  const auto macs = model_.clientMacs(*ssid);
  if (!macs) return "ERROR no-ap";
  std::string reply = "OK " + std::to_string(macs->size());
  for (const auto& mac : *macs) reply += " " + mac;
  return reply;
}

std::string Request::listModules() const {
  const auto& modules = model_.modules();
  std::string reply = "OK " + std::to_string(modules.size());
  for (const auto& [id, module] : modules) {
    reply += " " + module.mac + " " + module.ip + " " + encodeText(module.stationSsid) + " " +
             encodeText(module.softApSsid.value_or("")) + " " + std::string(oneShotName(module.oneShot));
  }
  return reply;
}

std::string Request::softApJoin() const {
  if (!arity(2, 2)) return badRequest("arguments");
  const auto ssid = parseSsid(args_[0]);
  if (!ssid) return badRequest("bad-ssid");
  const auto password = parsePassword(args_[1]);
  if (!password) return badRequest("bad-password");
  const auto joined = model_.softApJoin(*ssid, *password);
  return joined.result == JoinResult::Ok ? "OK " + joined.moduleIp : joinReply(joined.result);
}

std::string Request::oneShotSend() {
  if (!arity(2, 2)) return badRequest("arguments");
  const auto ssid = parseSsid(args_[0]);
  if (!ssid) return badRequest("bad-ssid");
  const auto password = parsePassword(args_[1]);
  if (!password) return badRequest("bad-password");
  AirEvents events;
  const std::size_t reached = model_.sendOneShot(*ssid, *password, events);
  deliver(events);
  return "OK " + std::to_string(reached);
}

}  // namespace

std::string AirProtocol::handle(ConnectionId from, std::string_view line, std::vector<OutgoingLine>& events) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return badRequest("empty-line");
  const auto tokens = splitTokens(line);
  if (!tokens) return badRequest("separator");
  const std::span<const std::string_view> args(tokens->data() + 1, tokens->size() - 1);
  Request request(model_, from, args, events);
  return request.dispatch(tokens->front());
}

std::string AirProtocol::formatEvent(const AirEvent& event) {
  if (event.kind == AirEvent::Kind::LinkDown) return "EVENT link-down " + encodeText(event.ssid);
  return "EVENT oneshot " + encodeText(event.ssid) + " " + encodeText(event.password);
}

}  // namespace gagent::air
