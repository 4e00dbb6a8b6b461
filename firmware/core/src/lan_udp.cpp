#include "gagent/core/lan_udp.h"

#include "gagent/proto/lan_commands.h"

namespace gagent::core {

// The sizes in lan_udp.h count a one-byte LEN varint: both packets stay under 128 bytes of LEN.
static_assert(LanUdp::kLargestAnnounce - proto::kLanMagicSize - 1 < 0x80);
static_assert(LanUdp::kLargestRequest - proto::kLanMagicSize - 1 < 0x80);

using proto::LanCmd;

LanUdp::LanUdp(hal::Net& net, const ModuleIdentity& identity, const DeviceConfig& config, LogHub& logs,
               LanUdpListener& listener, hal::Ipv4 broadcast)
    : net_(net),
      identity_(identity),
      config_(config),
      log_(logs, "lan-udp"),
      listener_(listener),
      broadcast_(broadcast) {}

void LanUdp::start(Millis now) {
  if (state_ != State::Stopped) return;
  openSockets(now);
}

void LanUdp::stop() {
  if (requests_ != hal::kNoSocket) net_.close(requests_);
  if (announces_ != hal::kNoSocket) net_.close(announces_);
  requests_ = announces_ = hal::kNoSocket;
  reopen_.stop();
  state_ = State::Stopped;
}

void LanUdp::onNetworkChanged(Millis now) {
  log_.info("network changed: reopening UDP %u and %u", static_cast<unsigned>(kRequestPort),
            static_cast<unsigned>(kAnnouncePort));
  stop();
  openSockets(now);
}

void LanUdp::openSockets(Millis now) {
  // Discovery requests arrive broadcast (protocol §2.3 0003), so the request socket needs broadcasts too.
  if (requests_ == hal::kNoSocket) requests_ = net_.udpOpen(kRequestPort, true);
  if (announces_ == hal::kNoSocket) announces_ = net_.udpOpen(kAnnouncePort, true);
  if (requests_ != hal::kNoSocket && announces_ != hal::kNoSocket) {
    state_ = State::Open;
    reopen_.stop();
    return;
  }
  log_.warning("could not open UDP %s%s; retrying", requests_ == hal::kNoSocket ? "12414 " : "",
               announces_ == hal::kNoSocket ? "2415" : "");
  state_ = State::Retrying;
  reopen_.start(now, kReopenDelay);
}

void LanUdp::setOnboardingOpen(bool open) {
  if (open == onboardingOpen_) return;
  onboardingOpen_ = open;
  if (open) taken_ = false;
  log_.info("onboarding packets %s", open ? "accepted" : "ignored");
}

void LanUdp::startAnnounce(Millis now) {
  announce_.left = kBroadcastCount;
  announce_.next.startAt(now);
  log_.info("power-on announcement: %u broadcasts", static_cast<unsigned>(kBroadcastCount));
  runSeries(announce_, true, now);
}

void LanUdp::startConfigSuccess(Millis now) {
  configSuccess_.left = kBroadcastCount;
  configSuccess_.next.startAt(now);
  log_.info("config success: %u broadcasts", static_cast<unsigned>(kBroadcastCount));
  runSeries(configSuccess_, false, now);
}

void LanUdp::poll(Millis now) {
  if (reopen_.fire(now)) openSockets(now);
  receiveRequests(now);
  drainAnnounceSocket();
  runSeries(announce_, true, now);
  runSeries(configSuccess_, false, now);
}

Millis LanUdp::nextDeadline() const {
  return earliest(reopen_.deadline(), earliest(announce_.next.deadline(), configSuccess_.next.deadline()));
}

void LanUdp::receiveRequests(Millis now) {
  // The socket is checked on every turn: the onboarding callback may have stopped or reopened us.
  for (std::size_t i = 0; i < kMaxDatagramsPerPoll && requests_ != hal::kNoSocket; ++i) {
    hal::Endpoint from;
    const hal::IoResult result = net_.udpReceive(requests_, rx_, from);
    if (result.kind == hal::IoResult::Kind::WouldBlock) return;
    if (!result.isDone()) {
      log_.debug("dropped an unreadable or oversize datagram");
      continue;
    }
    handleRequest(proto::Bytes(rx_).first(result.bytes), from, now);
  }
}

void LanUdp::drainAnnounceSocket() {
  // Other modules' announcements and the apps' 001B broadcasts land here too; nothing in them is for us.
  if (announces_ == hal::kNoSocket) return;
  for (std::size_t i = 0; i < kMaxDatagramsPerPoll; ++i) {
    hal::Endpoint from;
    if (net_.udpReceive(announces_, rx_, from).kind == hal::IoResult::Kind::WouldBlock) return;
  }
}

void LanUdp::handleRequest(proto::Bytes datagram, hal::Endpoint from, Millis now) {
  const proto::LanDecode decoded = proto::parseLanDatagram(datagram);
  if (!decoded.ok()) {
    log_.debug("malformed datagram (%zu bytes, %.*s) ignored", datagram.size(),
               static_cast<int>(proto::lanPacketErrorName(decoded.error).size()),
               proto::lanPacketErrorName(decoded.error).data());
    return;
  }
  const auto cmd = static_cast<LanCmd>(decoded.packet.cmd);
  switch (cmd) {
    case LanCmd::DiscoveryRequest: {
      // S7.1.2: answered at once, unicast to the sender (never broadcast: the app may not be on 2415).
      const std::size_t size = encodeDiscoveryBody(proto::toU16(LanCmd::DiscoveryReply));
      if (size == 0) {
        log_.debug("discovery request ignored: no product key from the MCU yet");
        return;
      }
      send(requests_, from, size, "discovery reply");
      return;
    }
    case LanCmd::OnboardingRequest:
      handleOnboarding(decoded.packet.payload, from, now);
      return;
    default:
      log_.debug("UDP command 0x%04X ignored", static_cast<unsigned>(decoded.packet.cmd));
      return;
  }
}

void LanUdp::handleOnboarding(proto::Bytes payload, hal::Endpoint from, Millis now) {
  const auto request = proto::parseLanOnboardingRequest(payload);
  if (!onboardingOpen_) {
    if (request.ok() && repeatsTakenCredentials(request.value)) {
      // The app missed our 0002 and sends again (once a second) while the module is still on its way to the
      // reboot: acknowledged again, acted on once, as a repeated MCU request is.
      const std::size_t size = proto::encodeLanPacket(LanCmd::OnboardingReply, {}, scratch_);
      send(requests_, from, size, "onboarding ack (repeat)");
      log_.info("repeated onboarding packet acknowledged again; the configuration was already taken");
      return;
    }
    log_.debug("onboarding packet ignored: onboarding is not open");
    return;
  }
  if (!request.ok()) {
    // S6.3.2 / protocol §2.3: SSID and password at most 32 bytes; anything else is not a valid packet.
    log_.warning("malformed onboarding packet (%zu payload bytes) ignored", payload.size());
    return;
  }
  const std::size_t size = proto::encodeLanPacket(LanCmd::OnboardingReply, {}, scratch_);
  send(requests_, from, size, "onboarding ack");
  log_.info("onboarding credentials received for '%.*s'", static_cast<int>(request.value.ssid.size()),
            request.value.ssid.data());
  listener_.onOnboardingCredentials(request.value.ssid, request.value.password, now);
  taken_ = !onboardingOpen_;  // the listener took them and closed onboarding
}

bool LanUdp::repeatsTakenCredentials(const proto::LanOnboardingRequest& request) const {
  return taken_ && request.ssid == config_.ssid.view() && request.password == config_.password.view();
}

void LanUdp::runSeries(Series& series, bool announce, Millis now) {
  if (!series.next.fire(now)) return;
  const std::size_t size =
      announce ? encodeDiscoveryBody(proto::toU16(LanCmd::StartupAnnounce)) : encodeConfigSuccess();
  if (size == 0) {
    log_.debug("%s not sent: identity incomplete", announce ? "announcement" : "config success");
  } else {
    send(announces_, {broadcast_, kAnnouncePort}, size, announce ? "announcement" : "config success");
  }
  // A broadcast the stack refused still counts: the series is "30 s after boot", not "30 deliveries".
  --series.left;
  if (series.left > 0) {
    series.next.start(now, kBroadcastInterval);
    return;
  }
  log_.info("%s broadcasts done", announce ? "announcement" : "config success");
  if (!announce) listener_.onConfigSuccessSent(now);
}

std::size_t LanUdp::encodeDiscoveryBody(std::uint16_t cmd) {
  proto::LanDeviceAnnounce body;
  body.did = config_.did.view();
  body.mac = identity_.mac;
  body.firmwareVersion = config_.firmwareVersion.view();
  body.productKey = identity_.productKey.view();
  body.mcuAttr = identity_.deviceAttributes;
  return proto::encodeLanPacketWith(
      cmd, [&](proto::ByteWriter& w) { proto::buildLanDeviceAnnounce(body, w); }, scratch_);
}

std::size_t LanUdp::encodeConfigSuccess() {
  proto::LanConfigSuccess body;
  body.mac = identity_.mac;
  body.productKey = identity_.productKey.view();
  body.did = config_.did.view();
  return proto::encodeLanPacketWith(
      LanCmd::ConfigSuccess, [&](proto::ByteWriter& w) { proto::buildLanConfigSuccess(body, w); }, scratch_);
}

void LanUdp::send(hal::SocketId socket, hal::Endpoint to, std::size_t size, std::string_view what) {
  if (socket == hal::kNoSocket) {
    log_.debug("%.*s not sent: socket closed", static_cast<int>(what.size()), what.data());
    return;
  }
  const hal::IoResult result = net_.udpSend(socket, to, proto::Bytes(scratch_).first(size));
  if (!result.isDone())
    log_.debug("%.*s not sent: network error", static_cast<int>(what.size()), what.data());
}

}  // namespace gagent::core
