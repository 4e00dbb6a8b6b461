#include "gagent/posix/posix_radio.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>

#include "gagent/posix/air_text.h"

namespace gagent::posix {
namespace {

template <std::size_t N>
std::uint8_t copyText(std::string_view text, std::array<char, N>& out) {
  const std::size_t n = std::min(text.size(), N);
  std::copy_n(text.begin(), n, out.begin());
  return static_cast<std::uint8_t>(n);
}

std::optional<unsigned> parseNumber(std::string_view token) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

std::string macText(const hal::MacAddress& mac) {
  char text[13];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
                mac[5]);
  return text;
}

int printable(std::size_t n) {
  return static_cast<int>(std::min<std::size_t>(n, 200));
}

}  // namespace

PosixRadio::PosixRadio(std::optional<hal::Endpoint> air, hal::MacAddress mac, hal::Ipv4 moduleAddress,
                       core::LogHub& logs, hal::Millis now)
    : air_(air), mac_(mac), address_(moduleAddress), log_(logs, "radio") {
  if (air_) connect(now);
}

PosixRadio::~PosixRadio() {
  if (fd_ >= 0) ::close(fd_);
}

hal::Millis PosixRadio::nextDeadline() const {
  return connection_ == Connection::Waiting ? retryAt_ : hal::kNever;
}

void PosixRadio::connect(hal::Millis now) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    lost("no socket", now);
    return;
  }
  const int on = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(air_->ip.value);
  addr.sin_port = htons(air_->port);
  const int rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && errno != EINPROGRESS) {
    lost("connection refused", now);
    return;
  }
  connection_ = Connection::Connecting;
  // Requests made from now on are queued behind the HELLO and go out once connected.
  send(Request::Hello, "HELLO " + macText(mac_) + " " + std::string(hal::toText(address_).view()));
  if (softAp_)
    send(Request::SoftAp, "SOFTAP " + air::encodeText(softApSsid_) + " " + air::encodeText(softApPassword_));
  if (oneShot_ == hal::OneShotState::Listening) {
    send(Request::OneShot, oneShotKind_ == hal::OneShotKind::AirKiss ? "ONESHOT airkiss" : "ONESHOT airlink");
  }
}

void PosixRadio::lost(const char* why, hal::Millis now) {
  const bool wasConnected = connection_ == Connection::Connected;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  out_.clear();
  in_.clear();
  pending_.clear();
  signalPending_ = false;
  connection_ = Connection::Waiting;
  retryAt_ = now + retryDelay_;
  if (wasConnected) {
    log_.warning("air lost (%s): reconnecting", why);
  } else {
    log_.debug("air unreachable (%s): retry in %u ms", why, static_cast<unsigned>(retryDelay_));
  }
  retryDelay_ = std::min(retryDelay_ * 2, kReconnectMax);
  // Every AP is out of range now.
  if (link_ == hal::LinkState::Up) {
    log_.warning("link down %.*s (air gone)", printable(stationSsid_.size()), stationSsid_.data());
    link_ = hal::LinkState::Down;
  } else if (link_ == hal::LinkState::Joining) {
    link_ = hal::LinkState::NoAccessPoint;
  }
  if (scanState_ == hal::ScanState::Running) scanState_ = hal::ScanState::Failed;
  signal_ = 0;
}

void PosixRadio::send(Request request, const std::string& line, std::uint64_t attempt) {
  out_ += line;
  out_ += '\n';
  pending_.push_back({request, attempt});
}

void PosixRadio::service(hal::Millis now) {
  if (!air_) return;
  if (connection_ == Connection::Waiting && now >= retryAt_) connect(now);
  if (connection_ == Connection::Connecting) checkConnected(now);
  if (connection_ != Connection::Connected) return;
  flush(now);
  if (connection_ == Connection::Connected) readInput(now);
}

void PosixRadio::checkConnected(hal::Millis now) {
  sockaddr_in peer{};
  socklen_t length = sizeof peer;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &length) == 0) {
    connection_ = Connection::Connected;
    return;
  }
  int error = 0;
  socklen_t errorLength = sizeof error;
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &errorLength) == 0 && error != 0) {
    lost("connection refused", now);
  }
}

void PosixRadio::flush(hal::Millis now) {
  while (!out_.empty()) {
    const ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n > 0) {
      out_.erase(0, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    lost("send failed", now);
    return;
  }
}

void PosixRadio::readInput(hal::Millis now) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n == 0) {
      lost("air closed the connection", now);
      return;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
      lost("receive failed", now);
      return;
    }
    in_.append(buffer, static_cast<std::size_t>(n));
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = in_.find('\n', start);
    if (end == std::string::npos) break;
    std::string_view line(in_.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    handleLine(line, now);
    if (connection_ != Connection::Connected) return;  // the line broke the connection
    start = end + 1;
  }
  in_.erase(0, start);
  if (in_.size() > kMaxLine) lost("line too long", now);
}

void PosixRadio::handleLine(std::string_view line, hal::Millis now) {
  const std::vector<std::string_view> tokens = air::splitTokens(line);
  if (tokens.empty()) return;
  if (tokens[0] == "EVENT") {
    handleEvent(tokens);
    return;
  }
  if (pending_.empty()) {
    log_.warning("air reply nobody asked for: %.*s", printable(line.size()), line.data());
    return;
  }
  const Pending pending = pending_.front();
  pending_.pop_front();
  if (tokens[0] != "OK" && tokens[0] != "ERROR") {
    log_.warning("malformed air reply: %.*s", printable(line.size()), line.data());
  }
  handleReply(pending, tokens, now);
}

void PosixRadio::handleReply(const Pending& pending, const std::vector<std::string_view>& tokens,
                             hal::Millis now) {
  const bool ok = tokens[0] == "OK";
  const std::string_view reason = tokens.size() > 1 ? tokens[1] : std::string_view("?");
  switch (pending.request) {
    case Request::Hello:
      if (ok) {
        retryDelay_ = kReconnectFirst;
        log_.info("air connected");
      } else {
        log_.error("air refused HELLO: %.*s", printable(reason.size()), reason.data());
        lost("HELLO refused", now);
      }
      return;
    case Request::Scan:
      handleScanReply(tokens);
      return;
    case Request::Join:
      handleJoinReply(pending, tokens);
      return;
    case Request::Signal: {
      signalPending_ = false;
      const auto value = ok && tokens.size() == 2 ? parseNumber(tokens[1]) : std::nullopt;
      if (value && link_ == hal::LinkState::Up) signal_ = static_cast<std::uint8_t>(std::min(*value, 100U));
      return;
    }
    case Request::OneShot:
      if (!ok) {
        log_.warning("air refused the one-shot listener: %.*s", printable(reason.size()), reason.data());
        if (oneShot_ == hal::OneShotState::Listening) oneShot_ = hal::OneShotState::Idle;
      }
      return;
    case Request::Leave:
    case Request::SoftAp:
    case Request::SoftApOff:
    case Request::OneShotOff:
      if (!ok) log_.warning("air refused a request: %.*s", printable(reason.size()), reason.data());
      return;
  }
}

void PosixRadio::handleScanReply(const std::vector<std::string_view>& tokens) {
  if (scanState_ != hal::ScanState::Running) return;
  scanState_ = hal::ScanState::Failed;
  if (tokens[0] != "OK" || tokens.size() < 2) {
    log_.warning("scan failed");
    return;
  }
  const auto count = parseNumber(tokens[1]);
  if (!count || tokens.size() != 2 + 2 * static_cast<std::size_t>(*count)) {
    log_.warning("malformed scan reply");
    return;
  }
  scanResults_.clear();
  for (std::size_t i = 0; i < *count && scanResults_.size() < kMaxScanResults; ++i) {
    const auto ssid = air::decodeText(tokens[2 + 2 * i]);
    const auto signal = parseNumber(tokens[3 + 2 * i]);
    if (!ssid || !signal || ssid->empty() || ssid->size() > hal::kMaxSsidLength) {
      log_.warning("malformed scan entry skipped");
      continue;
    }
    hal::AccessPoint ap;
    ap.ssidLength = copyText(*ssid, ap.ssid);
    ap.signal = static_cast<std::uint8_t>(std::min(*signal, 100U));
    scanResults_.push_back(ap);
  }
  scanState_ = hal::ScanState::Done;
  log_.debug("scan done: %u access points", static_cast<unsigned>(scanResults_.size()));
}

void PosixRadio::handleJoinReply(const Pending& pending, const std::vector<std::string_view>& tokens) {
  if (pending.attempt != joinAttempt_ || link_ != hal::LinkState::Joining) return;  // left or rejoined since
  const int ssidLength = printable(stationSsid_.size());
  if (tokens[0] == "OK") {
    link_ = hal::LinkState::Up;
    signal_ = 0;
    for (const auto& ap : scanResults_) {
      if (ap.ssidView() == stationSsid_) signal_ = ap.signal;
    }
    log_.info("link up %.*s", ssidLength, stationSsid_.data());
    signalPending_ = true;
    send(Request::Signal, "SIGNAL");
    return;
  }
  const bool wrongPassword = tokens.size() > 1 && tokens[1] == "wrong-password";
  link_ = wrongPassword ? hal::LinkState::WrongPassword : hal::LinkState::NoAccessPoint;
  log_.info("join %.*s failed: %s", ssidLength, stationSsid_.data(),
            wrongPassword ? "wrong password" : "no access point");
}

void PosixRadio::handleEvent(const std::vector<std::string_view>& tokens) {
  if (tokens.size() >= 2 && tokens[1] == "link-down") {
    if (link_ != hal::LinkState::Up) return;
    const auto ssid = tokens.size() > 2 ? air::decodeText(tokens[2]) : std::nullopt;
    if (ssid && *ssid != stationSsid_) return;  // about an AP this module has since left
    link_ = hal::LinkState::Down;
    signal_ = 0;
    log_.warning("link down %.*s", printable(stationSsid_.size()), stationSsid_.data());
    return;
  }
  if (tokens.size() == 4 && tokens[1] == "oneshot") {
    const auto ssid = air::decodeText(tokens[2]);
    const auto password = air::decodeText(tokens[3]);
    if (!ssid || !password) {
      log_.warning("malformed one-shot event");
      return;
    }
    if (oneShot_ != hal::OneShotState::Listening) return;
    oneShotCredentials_ = {};
    oneShotCredentials_.ssidLength = copyText(*ssid, oneShotCredentials_.ssid);
    oneShotCredentials_.passwordLength = copyText(*password, oneShotCredentials_.password);
    oneShot_ = hal::OneShotState::Received;
    log_.info("one-shot credentials received for %.*s", printable(ssid->size()), ssid->data());
    return;
  }
  log_.debug("air event ignored: %.*s", printable(tokens[1].size()), tokens[1].data());
}

bool PosixRadio::startScan() {
  if (scanState_ == hal::ScanState::Running) return false;
  if (!canSend()) {
    // No air: an empty field, nothing in range.
    scanResults_.clear();
    scanState_ = hal::ScanState::Done;
    return true;
  }
  scanState_ = hal::ScanState::Running;
  send(Request::Scan, "SCAN");
  return true;
}

std::size_t PosixRadio::scanResults(std::span<hal::AccessPoint> out) {
  if (scanState_ != hal::ScanState::Done) return 0;
  const std::size_t n = std::min(out.size(), scanResults_.size());
  std::copy_n(scanResults_.begin(), n, out.begin());
  return n;
}

bool PosixRadio::joinStation(std::string_view ssid, std::string_view password) {
  if (ssid.empty() || ssid.size() > hal::kMaxSsidLength || password.size() > hal::kMaxPasswordLength)
    return false;
  if (link_ == hal::LinkState::Up || link_ == hal::LinkState::Joining) leaveStation();
  stationSsid_ = ssid;
  const std::uint64_t attempt = ++joinAttempt_;
  if (!canSend()) {
    link_ = hal::LinkState::NoAccessPoint;
    return true;
  }
  link_ = hal::LinkState::Joining;
  send(Request::Join, "JOIN " + air::encodeText(ssid) + " " + air::encodeText(password), attempt);
  return true;
}

void PosixRadio::leaveStation() {
  ++joinAttempt_;
  const bool joined = link_ == hal::LinkState::Up || link_ == hal::LinkState::Joining;
  link_ = hal::LinkState::Down;
  signal_ = 0;
  if (joined && canSend()) send(Request::Leave, "LEAVE");
}

std::uint8_t PosixRadio::stationSignal() {
  if (link_ != hal::LinkState::Up) return 0;
  // The reading comes back on a later pass; meanwhile the last one stands.
  if (!signalPending_ && canSend()) {
    signalPending_ = true;
    send(Request::Signal, "SIGNAL");
  }
  return signal_;
}

hal::Ipv4 PosixRadio::stationAddress() {
  return link_ == hal::LinkState::Up ? address_ : hal::Ipv4{};
}

bool PosixRadio::startSoftAp(std::string_view ssid, std::string_view password) {
  if (ssid.empty() || ssid.size() > hal::kMaxSsidLength || password.size() > hal::kMaxPasswordLength)
    return false;
  if (!password.empty() && password.size() < kMinWpaPassword) return false;
  softAp_ = true;
  softApSsid_ = ssid;
  softApPassword_ = password;
  if (canSend()) send(Request::SoftAp, "SOFTAP " + air::encodeText(ssid) + " " + air::encodeText(password));
  return true;
}

void PosixRadio::stopSoftAp() {
  if (!softAp_) return;
  softAp_ = false;
  if (canSend()) send(Request::SoftApOff, "SOFTAP-OFF");
}

bool PosixRadio::startOneShot(hal::OneShotKind kind) {
  oneShot_ = hal::OneShotState::Listening;
  oneShotKind_ = kind;
  if (canSend())
    send(Request::OneShot, kind == hal::OneShotKind::AirKiss ? "ONESHOT airkiss" : "ONESHOT airlink");
  return true;
}

bool PosixRadio::oneShotResult(hal::WifiCredentials& out) {
  if (oneShot_ != hal::OneShotState::Received) return false;
  out = oneShotCredentials_;
  return true;
}

void PosixRadio::stopOneShot() {
  if (oneShot_ == hal::OneShotState::Idle) return;
  oneShot_ = hal::OneShotState::Idle;
  if (canSend()) send(Request::OneShotOff, "ONESHOT-OFF");
}

}  // namespace gagent::posix
