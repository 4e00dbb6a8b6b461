#include "gagent/core/mqtt_session.h"

#include "gagent/proto/mqtt_topics.h"

namespace gagent::core {

namespace {

int len(std::string_view text) {
  return static_cast<int>(text.size());
}

}  // namespace

std::string_view mqttSessionStateName(MqttSession::State state) {
  switch (state) {
    case MqttSession::State::Idle:
      return "idle";
    case MqttSession::State::Connecting:
      return "connecting";
    case MqttSession::State::AwaitingConnack:
      return "awaiting CONNACK";
    case MqttSession::State::Subscribing:
      return "subscribing";
    case MqttSession::State::Connected:
      return "connected";
    case MqttSession::State::Waiting:
      return "waiting";
  }
  return "?";
}

MqttSession::MqttSession(hal::Net& net, LogHub& logs, MqttSessionListener& listener)
    : net_(net), log_(logs, "mqtt"), listener_(listener) {}

void MqttSession::enter(State state) {
  if (state == state_) return;
  const std::string_view from = mqttSessionStateName(state_);
  const std::string_view to = mqttSessionStateName(state);
  log_.info("%.*s -> %.*s", len(from), from.data(), len(to), to.data());
  state_ = state;
}

bool MqttSession::start(hal::Endpoint m2m, std::string_view did, std::string_view passcode,
                        std::string_view productKey, Millis now) {
  lastNow_ = now;
  // Everything we will ever put on the wire is checked here, so a bad identity fails loudly once instead of
  // on every attempt.
  const bool fits = !did.empty() && did.size() <= kMaxDidLength && !passcode.empty() &&
                    passcode.size() <= kMaxPasscodeLength && productKey.size() <= kMaxProductKeyLength;
  if (!fits || !proto::serToCliNotiTopic(productKey).ok() || !proto::serToCliResTopic(did).ok() ||
      !proto::appToDevFilter(did).ok() || !proto::devToAppTopic(did).ok()) {
    log_.error("cannot log in: DID, passcode or product key unusable");
    return false;
  }

  // The agent provisions at every start and may call start() again with what it already gave: a live
  // session (or one on its way up) to the same server as the same device is kept.
  const bool same = m2m == server_ && did == did_.view() && passcode == passcode_.view() &&
                    productKey == productKey_.view();
  if (same && state_ != State::Idle && state_ != State::Waiting) {
    log_.debug("start: already %s", connected() ? "connected" : "connecting");
    return true;
  }
  if (state_ != State::Idle) {
    const bool wasConnected = connected();
    closeSocket(wasConnected);
    retry_.stop();
    enter(State::Idle);
    if (wasConnected) {
      const std::uint32_t generation = generation_;
      listener_.onCloudDisconnected(now);
      if (generation != generation_ || state_ != State::Idle) return true;  // the listener took over
    }
  }
  did_.assign(did);
  passcode_.assign(passcode);
  productKey_.assign(productKey);
  server_ = m2m;
  schedule_.onRestarted();
  beginAttempt(now);
  return true;
}

void MqttSession::stop() {
  if (state_ == State::Idle && !schedule_.failing()) return;
  closeSocket(connected());
  retry_.stop();
  schedule_.reset();
  enter(State::Idle);
}

void MqttSession::changeServer(hal::Endpoint m2m, Millis now) {
  lastNow_ = now;
  if (m2m == server_) return;
  log_.info("M2M server moved to %s:%u", hal::toText(m2m.ip).c_str(), m2m.port);
  server_ = m2m;
  if (state_ == State::Idle) return;  // the agent's next start() brings its own address
  const bool wasConnected = connected();
  closeSocket(wasConnected);
  retry_.stop();
  if (wasConnected) {
    // Not a failure, but a failing period: if the new address does not work, the 2-hour clock runs.
    schedule_.onConnectionLost(now);
    enter(State::Waiting);
    const std::uint32_t generation = generation_;
    listener_.onCloudDisconnected(now);
    if (generation != generation_ || state_ != State::Waiting) return;
  }
  beginAttempt(now);
}

void MqttSession::beginAttempt(Millis now) {
  closeSocket(false);
  retry_.stop();
  socket_ = net_.tcpConnect(server_);
  log_.info("connecting to %s:%u", hal::toText(server_.ip).c_str(), server_.port);
  if (socket_ == hal::kNoSocket) {
    fail(now, "no socket");
    return;
  }
  enter(State::Connecting);
  step_.start(now, kConnectTimeout);
  pollConnecting(now);  // a connect that completes at once sends CONNECT without waiting for the next poll
}

void MqttSession::pollConnecting(Millis now) {
  const hal::TcpState tcp = net_.tcpState(socket_);
  if (tcp == hal::TcpState::Connecting) {
    if (step_.fire(now)) fail(now, "TCP connect timed out");
    return;
  }
  if (tcp != hal::TcpState::Connected) {
    fail(now, "TCP connect failed");
    return;
  }
  // S8.5, protocol §3.7: MQIsdp/3, client id = user name = DID, password = passcode, clean session.
  const std::size_t size =
      proto::encodeMqttConnect(packet_, did_.view(), did_.view(), passcode_.view(), kKeepAliveSeconds, true);
  if (size == 0 || !enqueue({packet_.data(), size}, "CONNECT")) {
    fail(now, "cannot encode CONNECT");
    return;
  }
  enter(State::AwaitingConnack);
  step_.start(now, kConnackTimeout);
  lastReceive_ = now;
  if (!flush()) fail(now, "send failed");
}

void MqttSession::poll(Millis now) {
  lastNow_ = now;
  if (schedule_.rebootDue(now)) {
    // S8.8.5: two hours without a working session; a stale DNS answer or a wedged stack is likelier than
    // a server that stays down, and a reboot clears both.
    log_.error("no M2M session for %u min, reboot",
               static_cast<unsigned>(ReconnectSchedule::kRebootAfter / 60'000));
    closeSocket(false);
    retry_.stop();
    schedule_.reset();
    enter(State::Idle);
    listener_.onRebootNeeded(now);
    return;
  }
  switch (state_) {
    case State::Idle:
      return;
    case State::Waiting:
      if (retry_.fire(now)) beginAttempt(now);
      return;
    case State::Connecting:
      pollConnecting(now);
      return;
    case State::AwaitingConnack:
    case State::Subscribing:
    case State::Connected:
      pollSession(now);
      return;
  }
}

void MqttSession::pollSession(Millis now) {
  const std::uint32_t generation = generation_;
  receive(now);
  if (generation != generation_) return;
  if (!flush()) {
    fail(now, "send failed");
    return;
  }
  if (step_.fire(now)) {
    fail(now, state_ == State::AwaitingConnack ? "no CONNACK" : "no SUBACK");
    return;
  }
  if (state_ != State::Connected) return;
  if (silence_.fire(now)) {
    // S8.8.2: the attempt that follows goes to the same address and port.
    fail(now, "nothing received for 120 s");
    return;
  }
  if (ping_.fire(now)) {
    const std::size_t size = proto::encodeMqttPingreq(packet_);
    log_.debug("PINGREQ");
    if (enqueue({packet_.data(), size}, "PINGREQ") && !flush()) {
      fail(now, "send failed");
      return;
    }
    lastPing_ = now;
    armHeartbeat();
  }
}

void MqttSession::receive(Millis now) {
  moreToRead_ = false;
  const std::uint32_t generation = generation_;
  for (std::size_t read = 0; read < kMaxReadsPerPoll; ++read) {
    const hal::IoResult result = net_.tcpReceive(socket_, rx_);
    if (result.kind == hal::IoResult::Kind::WouldBlock || (result.isDone() && result.bytes == 0)) return;
    if (!result.isDone()) {
      fail(now, result.kind == hal::IoResult::Kind::Closed ? "closed by the server" : "receive error");
      return;
    }
    proto::Bytes data{rx_.data(), result.bytes};
    while (!data.empty()) {
      const std::size_t taken = decoder_.feed(data);
      data = data.subspan(taken);
      bool any = false;
      for (proto::MqttFrameDecode next = decoder_.next(); next.ok(); next = decoder_.next()) {
        any = true;
        handlePacket(next.packet, now);
        if (generation != generation_) return;
      }
      if (decoder_.failed()) {
        // MQTT over TCP cannot find the next packet boundary after a bad one: the connection is useless.
        const std::string_view why = proto::mqttErrorName(decoder_.error());
        log_.warning("malformed stream from the server (%.*s)", len(why), why.data());
        fail(now, "malformed stream");
        return;
      }
      if (taken == 0 && !any) {  // cannot happen with a correct decoder; never spin on it
        fail(now, "receive buffer stuck");
        return;
      }
    }
  }
  moreToRead_ = true;  // the read budget ran out with data still flowing
}

void MqttSession::handlePacket(const proto::MqttPacket& packet, Millis now) {
  // S8.8.1-2: any packet from the server proves the connection alive.
  lastReceive_ = now;
  if (state_ == State::Connected) armHeartbeat();
  switch (packet.type) {
    case proto::MqttPacketType::Connack:
      if (state_ == State::AwaitingConnack) {
        handleConnack(packet, now);
        return;
      }
      break;
    case proto::MqttPacketType::Suback:
      if (state_ == State::Subscribing) {
        handleSuback(packet, now);
        return;
      }
      break;
    case proto::MqttPacketType::Publish:
      if (state_ == State::Subscribing || state_ == State::Connected) {
        handlePublish(packet, now);
        return;
      }
      break;
    case proto::MqttPacketType::Pingresp:
      log_.debug("PINGRESP");
      return;
    default:
      break;
  }
  const std::string_view name = proto::mqttPacketTypeName(packet.type);
  const std::string_view state = mqttSessionStateName(state_);
  log_.warning("unexpected %.*s while %.*s, ignored", len(name), name.data(), len(state), state.data());
}

void MqttSession::handleConnack(const proto::MqttPacket& packet, Millis now) {
  const auto connack = proto::parseMqttConnack(packet);
  if (!connack.ok()) {
    // mqtt.h: a reserved return code is malformed; treat it as a refusal (S8.9, like 1/2/3/5).
    const std::string_view why = proto::mqttErrorName(connack.error);
    log_.warning("malformed CONNACK (%.*s)", len(why), why.data());
    fail(now, "CONNACK malformed");
    return;
  }
  const std::string_view name = proto::connackCodeName(connack.value.code);
  switch (connack.value.code) {
    case proto::ConnackCode::Accepted:
      log_.info("logged in as %.*s", len(did_.view()), did_.view().data());
      step_.stop();
      subscribed_ = 0;
      enter(State::Subscribing);
      sendSubscribe(now);
      return;
    case proto::ConnackCode::BadUserNameOrPassword:
      // S8.9 0x04: DID/passcode wrong or the device was unregistered. Retrying cannot help: the agent
      // registers again. The attempt still counts towards the 2-hour clock.
      log_.warning("CONNACK %.*s: credentials rejected", len(name), name.data());
      closeSocket(false);
      (void)schedule_.onAttemptFailed(now);
      enter(State::Idle);
      listener_.onCredentialsRejected(now);
      return;
    default:
      // S8.9 0x01, 0x02, 0x03, 0x05: no re-registration, follow the reconnect schedule.
      log_.warning("CONNACK %.*s", len(name), name.data());
      fail(now, "login refused");
      return;
  }
}

bool MqttSession::sendSubscribe(Millis now) {
  // Protocol §3.7: one topic per SUBSCRIBE, the next only after the previous SUBACK.
  proto::MqttTopic topic;
  if (subscribed_ == 0) {
    topic = proto::serToCliNotiTopic(productKey_.view());
  } else if (subscribed_ == 1) {
    topic = proto::serToCliResTopic(did_.view());
  } else {
    topic = proto::appToDevFilter(did_.view());
  }
  pendingId_ = nextPacketId_++;
  if (nextPacketId_ == 0) nextPacketId_ = 1;  // 0 is not a valid packet id
  const std::size_t size = proto::encodeMqttSubscribe(packet_, pendingId_, topic.view(), kQos);
  if (size == 0 || !enqueue({packet_.data(), size}, "SUBSCRIBE")) {
    fail(now, "cannot send SUBSCRIBE");
    return false;
  }
  log_.debug("SUBSCRIBE %u %.*s", pendingId_, len(topic.view()), topic.view().data());
  step_.start(now, kSubackTimeout);
  return true;
}

void MqttSession::handleSuback(const proto::MqttPacket& packet, Millis now) {
  const auto suback = proto::parseMqttSuback(packet);
  if (!suback.ok()) {
    const std::string_view why = proto::mqttErrorName(suback.error);
    log_.warning("malformed SUBACK (%.*s)", len(why), why.data());
    fail(now, "SUBACK malformed");
    return;
  }
  if (suback.value.packetId != pendingId_) {
    // Not the one we wait for; the SUBACK timeout catches a server that never sends it.
    log_.warning("SUBACK for packet %u while waiting for %u, ignored", suback.value.packetId, pendingId_);
    return;
  }
  if (suback.value.grantedQos.size() != 1 || suback.value.grantedQos[0] == proto::kMqttSubackFailure) {
    fail(now, "subscription refused");
    return;
  }
  ++subscribed_;
  if (subscribed_ < kSubscriptionCount) {
    sendSubscribe(now);
    return;
  }
  // S8.6: only now is the cloud connected.
  step_.stop();
  schedule_.onConnected();
  enter(State::Connected);
  lastPing_ = now;
  armHeartbeat();
  listener_.onCloudConnected(now);
}

void MqttSession::handlePublish(const proto::MqttPacket& packet, Millis now) {
  const auto publish = proto::parseMqttPublish(packet);
  if (!publish.ok()) {
    const std::string_view why = proto::mqttErrorName(publish.error);
    log_.warning("malformed PUBLISH (%.*s), ignored", len(why), why.data());
    return;
  }
  const std::string_view topic = publish.value.topic;
  if (publish.value.qos != kQos) {
    // We subscribe with QoS 0, so a conforming broker never sends more; we would have to acknowledge it.
    log_.warning("QoS %u PUBLISH on %.*s ignored", publish.value.qos, len(topic), topic.data());
    return;
  }
  const proto::TopicClass kind = proto::classifyTopic(topic, did_.view());
  switch (kind.kind) {
    case proto::TopicKind::AppToDev:
      handleAppCommand(kind.clientId, publish.value.payload, now);
      return;
    case proto::TopicKind::SerToCliRes:
      handleManagement(publish.value.payload, now);
      return;
    case proto::TopicKind::SerToCliNoti:
      log_.debug("ser2cli_noti (%zu bytes) ignored", publish.value.payload.size());
      return;
    case proto::TopicKind::Other:
      break;
  }
  log_.warning("PUBLISH on unexpected topic %.*s ignored", len(topic), topic.data());
}

void MqttSession::handleAppCommand(std::string_view clientId, proto::Bytes payload, Millis now) {
  // S8.7: without the MQTT header the payload is what a LAN app sends (§2.2 framing).
  const proto::LanDecode lan = proto::parseLanDatagram(payload);
  if (!lan.ok()) {
    const std::string_view why = proto::lanPacketErrorName(lan.error);
    log_.warning("app2dev from %.*s: bad framing (%.*s), ignored", len(clientId), clientId.data(), len(why),
                 why.data());
    return;
  }
  const auto cmd = static_cast<proto::LanCmd>(lan.packet.cmd);
  if (cmd == proto::LanCmd::P0ToDevice) {
    log_.debug("0090 from %.*s (%zu bytes)", len(clientId), clientId.data(), lan.packet.payload.size());
    listener_.onCloudAppCommand(clientId, cmd, 0, lan.packet.payload, now);
    return;
  }
  if (cmd == proto::LanCmd::P0ToDeviceSn) {
    const auto sequenced = proto::parseLanSequencedP0(lan.packet.payload);
    if (!sequenced.ok()) {
      log_.warning("app2dev 0093 from %.*s without sn, ignored", len(clientId), clientId.data());
      return;
    }
    log_.debug("0093 sn %u from %.*s", static_cast<unsigned>(sequenced.value.sn), len(clientId),
               clientId.data());
    listener_.onCloudAppCommand(clientId, cmd, sequenced.value.sn, sequenced.value.p0, now);
    return;
  }
  log_.warning("app2dev command 0x%04X from %.*s ignored", lan.packet.cmd, len(clientId), clientId.data());
}

void MqttSession::handleManagement(proto::Bytes payload, Millis now) {
  const auto mgmt = proto::decodeMgmt(payload);
  if (!mgmt.ok()) {
    const std::string_view why = proto::mgmtErrorName(mgmt.error);
    log_.warning("ser2cli_res: bad framing (%.*s), ignored", len(why), why.data());
    return;
  }
  switch (static_cast<proto::MgmtCmd>(mgmt.value.cmd)) {
    case proto::MgmtCmd::AppCount: {
      const auto count = proto::parseMgmtAppCount(mgmt.value);
      if (!count.ok()) break;
      log_.debug("cloud app count %u", count.value);
      listener_.onCloudAppCount(count.value, now);
      return;
    }
    case proto::MgmtCmd::OtaPush: {
      const auto type = proto::parseMgmtOtaPush(mgmt.value);
      if (!type.ok()) break;
      log_.info("OTA push for firmware type %u", static_cast<unsigned>(type.value));
      listener_.onOtaPush(type.value, now);
      return;
    }
    default:
      log_.info("ser2cli_res command 0x%04X ignored", mgmt.value.cmd);
      return;
  }
  log_.warning("ser2cli_res 0x%04X malformed, ignored", mgmt.value.cmd);
}

bool MqttSession::publishToAll(proto::LanCmd cmd, proto::Bytes p0) {
  if (!connected()) {
    log_.debug("not connected: report 0x%04X not published", proto::toU16(cmd));
    return false;
  }
  const std::size_t size = proto::encodeLanPacket(cmd, p0, lanPacket_);
  if (size == 0) {
    log_.warning("report of %zu bytes too large, dropped", p0.size());
    return false;
  }
  const proto::MqttTopic topic = proto::devToAppTopic(did_.view());
  return publish(topic.view(), {lanPacket_.data(), size});
}

bool MqttSession::publishToClient(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn,
                                  proto::Bytes p0) {
  if (!connected()) {
    log_.debug("not connected: answer 0x%04X not published", proto::toU16(cmd));
    return false;
  }
  const proto::MqttTopic topic = proto::devToAppTopic(did_.view(), clientId);
  if (!topic.ok()) {
    log_.warning("answer to unusable client id '%.*s' dropped", len(clientId), clientId.data());
    return false;
  }
  // 0094 echoes the app's sn before the P0; 0091 carries the P0 alone (protocol §2.3).
  const bool sequenced = cmd == proto::LanCmd::P0FromDeviceSn;
  const std::size_t size = proto::encodeLanPacketWith(
      cmd,
      [&](proto::ByteWriter& out) {
        if (sequenced) {
          proto::buildLanSequencedP0({sn, p0}, out);
        } else {
          out.bytes(p0);
        }
      },
      lanPacket_);
  if (size == 0) {
    log_.warning("answer of %zu bytes too large, dropped", p0.size());
    return false;
  }
  return publish(topic.view(), {lanPacket_.data(), size});
}

bool MqttSession::publish(std::string_view topic, proto::Bytes lanPacket) {
  const std::size_t size = proto::encodeMqttPublish(packet_, topic, lanPacket);
  if (size == 0) {
    log_.warning("PUBLISH on %.*s too large, dropped", len(topic), topic.data());
    return false;
  }
  if (!enqueue({packet_.data(), size}, "PUBLISH")) return false;
  log_.debug("PUBLISH %.*s (%zu bytes)", len(topic), topic.data(), lanPacket.size());
  // Sent at once: the loop may sleep until the next deadline. A broken connection is handled by poll().
  if (!flush()) sendBroken_ = true;
  return true;
}

bool MqttSession::enqueue(proto::Bytes packet, const char* what) {
  if (tx_.push(packet)) return true;
  // Bounded memory: a slow link loses packets, not the module.
  log_.warning("%s of %zu bytes dropped: send queue full (%zu queued)", what, packet.size(), tx_.size());
  return false;
}

bool MqttSession::flush() {
  while (!tx_.empty()) {
    const hal::IoResult result = net_.tcpSend(socket_, tx_.front());
    if (result.kind == hal::IoResult::Kind::WouldBlock || (result.isDone() && result.bytes == 0)) return true;
    if (!result.isDone()) return false;
    tx_.pop(result.bytes);
  }
  return true;
}

void MqttSession::armHeartbeat() {
  // S8.8.1: ping 55 s after the last thing received (or the last ping, so an unanswered ping is repeated
  // every 55 s); S8.8.2: give up 120 s after the last thing received.
  ping_.startAt((lastReceive_ > lastPing_ ? lastReceive_ : lastPing_) + kPingAfterSilence);
  silence_.startAt(lastReceive_ + kDropAfterSilence);
}

void MqttSession::closeSocket(bool sayGoodbye) {
  if (socket_ != hal::kNoSocket) {
    // A polite DISCONNECT when it cannot land in the middle of a half-sent packet.
    if (sayGoodbye && tx_.empty()) {
      std::array<std::uint8_t, 2> goodbye{};
      const std::size_t size = proto::encodeMqttDisconnect(goodbye);
      (void)net_.tcpSend(socket_, {goodbye.data(), size});
    }
    net_.close(socket_);
    socket_ = hal::kNoSocket;
  }
  ++generation_;
  decoder_.reset();
  tx_.clear();
  step_.stop();
  ping_.stop();
  silence_.stop();
  subscribed_ = 0;
  moreToRead_ = false;
  sendBroken_ = false;
}

void MqttSession::fail(Millis now, const char* why) {
  const bool wasConnected = connected();
  closeSocket(false);
  if (wasConnected) {
    log_.warning("connection lost: %s", why);
    schedule_.onConnectionLost(now);
    wait(now);  // S8.8.2-3: at once, to the same address and port
    listener_.onCloudDisconnected(now);
    return;
  }
  const ReconnectSchedule::Verdict verdict = schedule_.onAttemptFailed(now);
  log_.warning("attempt %u failed: %s", static_cast<unsigned>(schedule_.failures()), why);
  if (verdict == ReconnectSchedule::Verdict::Reprovision) {
    // S8.8.4: the address may be stale. The agent provisions and calls start(); the 2-hour clock runs on.
    enter(State::Idle);
    listener_.onReprovisionNeeded(now);
    return;
  }
  wait(now);
}

void MqttSession::wait(Millis now) {
  const Millis delay = schedule_.nextDelay();
  log_.info("next attempt in %u s", static_cast<unsigned>(delay / 1000));
  retry_.start(now, delay);
  enter(State::Waiting);
}

Millis MqttSession::nextDeadline() const {
  // Bytes still waiting in the socket, or a send that failed outside poll(): poll again at once.
  if (moreToRead_ || sendBroken_) return lastNow_;
  Millis next = schedule_.rebootDeadline();
  next = earliest(next, earliest(retry_.deadline(), step_.deadline()));
  next = earliest(next, earliest(ping_.deadline(), silence_.deadline()));
  // No HAL readiness event tells us that a connect finished or the stack can take more bytes: look again
  // shortly.
  if (state_ == State::Connecting || (!tx_.empty() && socket_ != hal::kNoSocket)) {
    next = earliest(next, lastNow_ + kIoPollInterval);
  }
  return next;
}

}  // namespace gagent::core
