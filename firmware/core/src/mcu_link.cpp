#include "gagent/core/mcu_link.h"

namespace gagent::core {

using proto::Bytes;
using proto::IllegalCode;
using proto::McuCmd;
using proto::McuFrame;
using proto::McuHeader;

namespace {

constexpr std::size_t kUartReadChunk = 128;

// commandName() is not NUL-terminated for unknown codes: log it with "%.*s".
int nameLength(McuCmd cmd) {
  return static_cast<int>(proto::commandName(cmd).size());
}
const char* nameText(McuCmd cmd) {
  return proto::commandName(cmd).data();
}

// MCU-originated requests the module serves (protocol §1.5 "the MCU SDK waits for ACKs on ...").
bool isServedMcuRequest(McuCmd cmd) {
  switch (cmd) {
    case McuCmd::P0FromMcu:
    case McuCmd::ConfigMode:
    case McuCmd::ResetModule:
    case McuCmd::ProductionTest:
    case McuCmd::BindWindow:
    case McuCmd::GetNetworkTime:
    case McuCmd::GetModuleInfo:
    case McuCmd::RestartModule:
      return true;
    default:
      return false;
  }
}

}  // namespace

McuLink::McuLink(hal::Uart& uart, LogHub& logs, McuLinkListener& listener)
    : uart_(uart), log_(logs, "mcu"), listener_(listener) {}

void McuLink::start(Millis now) {
  state_ = State::Handshaking;
  handshakeRound_ = 0;
  handshakePending_ = true;
  noteMcuData(now);  // the silence rules count from power-on
  log_.info("handshake: asking the MCU for its device info");
  transmitNext(now);
  flushTx();
}

bool McuLink::sendP0(Bytes p0, RequestTag tag, Millis now) {
  if (!enqueue(McuCmd::P0ToMcu, p0, tag)) return false;
  transmitNext(now);
  flushTx();
  return true;
}

void McuLink::sendStatus(std::uint16_t statusWord, Millis now) {
  const std::uint8_t word[2] = {static_cast<std::uint8_t>(statusWord >> 8),
                                static_cast<std::uint8_t>(statusWord)};
  // A waiting (not yet transmitted) status is overwritten in place: the MCU only needs the latest word.
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    const bool transmitted = inFlight_.active && !inFlight_.handshake && i == 0;
    if (queue_.at(i).cmd == McuCmd::WifiStatus && queue_.at(i).length == 2 && !transmitted) {
      const proto::MutableBytes waiting = queue_.mutablePayload(i);
      waiting[0] = word[0];
      waiting[1] = word[1];
      return;
    }
  }
  if (!enqueue(McuCmd::WifiStatus, Bytes(word, 2), 0))
    log_.warning("status 0x%04X dropped: queue full", statusWord);
  transmitNext(now);
  flushTx();
}

bool McuLink::enqueue(McuCmd cmd, Bytes payload, RequestTag tag) {
  return payload.size() <= proto::kMcuMaxPayload && queue_.push(cmd, tag, payload);
}

bool McuLink::queued(McuCmd cmd) const {
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    if (queue_.at(i).cmd == cmd) return true;
  }
  return false;
}

void McuLink::poll(Millis now) {
  lastPoll_ = now;
  reportSuppressedNotices(now);
  readUart(now);
  if (ackTimeout_.fire(now)) retransmitOrFail(now);
  if (handshakeRetry_.fire(now)) {
    handshakeRound_ = 0;
    handshakePending_ = true;
  }
  if (heartbeat_.fire(now)) {
    // S7.6.1: 55 s without MCU data; the next one follows 55 s later if the MCU stays quiet.
    if (state_ == State::Ready && !queued(McuCmd::Heartbeat)) {
      log_.info("no MCU data for 55 s: heartbeat");
      (void)enqueue(McuCmd::Heartbeat, {}, 0);
    }
    heartbeat_.start(now, kHeartbeatAfter);
  }
  if (silence_.fire(now)) {
    log_.error("no MCU data for 180 s: serial link broken");
    listener_.onMcuSilent(now);
  }
  transmitNext(now);
  flushTx();
}

Millis McuLink::nextDeadline() const {
  Millis next = earliest(earliest(ackTimeout_.deadline(), handshakeRetry_.deadline()),
                         earliest(heartbeat_.deadline(), silence_.deadline()));
  if (!tx_.empty()) next = earliest(next, lastPoll_ + kTxRetry);
  return earliest(next, notices_.nextDeadline());
}

void McuLink::reportSuppressedNotices(Millis now) {
  notices_.roll(now, [&](std::uint8_t code, std::uint8_t, unsigned count) {
    log_.warning(
        "%u more 0x11 notices (code %u) not sent in %u ms: the MCU's frames went bad faster than that", count,
        static_cast<unsigned>(code), static_cast<unsigned>(kNoticeWindow));
  });
}

void McuLink::readUart(Millis now) {
  std::array<std::uint8_t, kUartReadChunk> chunk{};
  for (;;) {
    const hal::IoResult result = uart_.read(chunk);
    if (!result.isDone() || result.bytes == 0) return;
    decoder_.feed(Bytes(chunk.data(), result.bytes), [&](const proto::McuDecodeEvent& event) {
      if (event.isFrame()) {
        onFrame(event.frame, now);
      } else {
        onBadFrame(event.error, now);
      }
    });
  }
}

void McuLink::noteMcuData(Millis now) {
  heartbeat_.start(now, kHeartbeatAfter);
  silence_.start(now, kSilenceLimit);
}

void McuLink::onFrame(const McuFrame& frame, Millis now) {
  const McuCmd cmd = frame.header.cmd;
  log_.debug("rx %.*s sn=%u len=%zu", nameLength(cmd), nameText(cmd), frame.header.sn, frame.payload.size());
  noteMcuData(now);  // any checksum-valid frame is MCU data (protocol §1.14)
  if (cmd == McuCmd::IllegalMessage || cmd == McuCmd::IllegalMessageAck) {
    // §9: accepted in both forms and never ACKed.
    const auto code = proto::parseIllegalNotice(frame.payload);
    log_.warning("MCU reports an illegal message (code %u, sn=%u)",
                 code.ok() ? static_cast<unsigned>(code.value) : 0U, frame.header.sn);
    return;
  }
  if (proto::isAckType(cmd)) {
    onAck(frame, now);
    return;
  }
  if (isServedMcuRequest(cmd)) {
    onMcuRequest(frame, now);
    return;
  }
  // §9 "unknown serial commands": never crash, never forward, answer 0x11 code 02.
  log_.warning("unsupported MCU command 0x%02X sn=%u", proto::toByte(cmd), frame.header.sn);
  sendIllegalNotice(frame.header.sn, IllegalCode::Command, now);
}

void McuLink::onBadFrame(const proto::McuDecodeError& error, Millis now) {
  log_.warning("bad frame from the MCU (reason %u)", static_cast<unsigned>(error.reason));
  const std::optional<IllegalCode> code = proto::illegalNoticeFor(error);
  if (code && error.sn) sendIllegalNotice(*error.sn, *code, now);
}

void McuLink::onAck(const McuFrame& frame, Millis now) {
  if (!inFlight_.active) {
    log_.debug("stray %.*s ignored", nameLength(frame.header.cmd), nameText(frame.header.cmd));
    return;
  }
  const McuCmd sent = inFlight_.handshake ? McuCmd::GetDeviceInfo : queue_.front().cmd;
  if (frame.header.cmd != proto::ackFor(sent) || frame.header.sn != inFlight_.sn) {
    log_.debug("%.*s sn=%u does not answer the request in flight (sn=%u)", nameLength(frame.header.cmd),
               nameText(frame.header.cmd), frame.header.sn, inFlight_.sn);
    return;
  }
  ackTimeout_.stop();
  if (inFlight_.handshake) {
    const auto info = proto::parseDeviceInfo(frame.payload);
    if (!info.ok()) {
      // A garbled answer counts like a missing one: the round goes on.
      log_.warning("device info from the MCU is malformed");
      retransmitOrFail(now);
      return;
    }
    inFlight_.active = false;
    handshakePending_ = false;
    state_ = State::Ready;
    log_.info("handshake done: product key %.*s", static_cast<int>(info.value.productKey.size()),
              info.value.productKey.data());
    listener_.onDeviceInfo(info.value, now);
    return;
  }
  const RequestTag tag = queue_.front().tag;
  const McuCmd cmd = queue_.front().cmd;
  completeInFlight();
  if (cmd == McuCmd::P0ToMcu) listener_.onP0Answer(tag, frame.payload, now);
}

void McuLink::onMcuRequest(const McuFrame& frame, Millis now) {
  const McuHeader& header = frame.header;
  std::optional<proto::ConfigModeRequest> configMode;
  if (header.cmd == McuCmd::ConfigMode) {
    const auto parsed = proto::parseConfigMode(frame.payload);
    if (!parsed.ok()) {
      log_.warning("malformed config-mode request sn=%u", header.sn);
      sendIllegalNotice(header.sn, IllegalCode::Other, now);
      return;
    }
    configMode = parsed.value;
  }

  // The ACK goes out before the module acts on the request (protocol §1.8, S7.4.3).
  std::array<std::uint8_t, kMaxAnswerPayload> reply{};
  proto::ByteWriter writer(reply);
  if (header.cmd == McuCmd::GetNetworkTime) proto::buildNetworkTime(listener_.networkTime(now), writer);
  if (header.cmd == McuCmd::GetModuleInfo) listener_.buildModuleInfo(writer);
  if (!writer.ok())
    log_.error("%.*s answer does not fit %zu bytes", nameLength(header.cmd), nameText(header.cmd),
               kMaxAnswerPayload);
  send(McuHeader{proto::ackFor(header.cmd), header.sn, 0}, writer.written());

  if (isDuplicate(header, now)) {
    log_.debug("%.*s sn=%u repeated: ACKed again, not acted on twice", nameLength(header.cmd),
               nameText(header.cmd), header.sn);
    return;
  }
  switch (header.cmd) {
    case McuCmd::P0FromMcu:
      listener_.onMcuReport(frame.payload, now);
      break;
    case McuCmd::ConfigMode:
      listener_.onConfigModeRequest(*configMode, now);
      break;
    case McuCmd::ResetModule:
      listener_.onResetRequest(now);
      break;
    case McuCmd::ProductionTest:
      listener_.onProductionTestRequest(now);
      break;
    case McuCmd::BindWindow:
      listener_.onBindWindowRequest(now);
      break;
    case McuCmd::RestartModule:
      listener_.onRestartRequest(now);
      break;
    default:
      break;  // 0x17 and 0x21 are fully answered by their ACK
  }
}

bool McuLink::isDuplicate(const McuHeader& header, Millis now) {
  const bool duplicate = haveLastMcuRequest_ && lastMcuRequest_.cmd == header.cmd &&
                         lastMcuRequest_.sn == header.sn && now - lastMcuRequestAt_ < kDuplicateWindow;
  lastMcuRequest_ = header;
  lastMcuRequestAt_ = now;
  haveLastMcuRequest_ = true;
  return duplicate;
}

void McuLink::completeInFlight() {
  inFlight_.active = false;
  if (!inFlight_.handshake) queue_.pop();
}

void McuLink::failInFlight(Millis now) {
  inFlight_.active = false;
  if (inFlight_.handshake) {
    ++handshakeRound_;
    if (state_ == State::Handshaking && handshakeRound_ < kHandshakeRounds) return;  // next round at once
    handshakePending_ = false;
    handshakeRetry_.start(now, kHandshakeRetryAfterFailure);
    if (state_ == State::Handshaking) {
      state_ = State::HandshakeFailed;
      log_.error("handshake failed: no device info after %u rounds", kHandshakeRounds);
      listener_.onHandshakeFailed(now);
    }
    return;
  }
  const RequestTag tag = queue_.front().tag;
  const McuCmd cmd = queue_.front().cmd;
  queue_.pop();
  log_.warning("%.*s got no ACK after %u transmissions", nameLength(cmd), nameText(cmd), kTransmissions);
  if (cmd == McuCmd::P0ToMcu) listener_.onP0Failed(tag, now);
}

void McuLink::transmitNext(Millis now) {
  if (inFlight_.active) return;
  if (handshakePending_) {
    inFlight_ = InFlight{true, true, nextSn_++, 0};
  } else if (state_ == State::Ready && !queue_.empty()) {
    inFlight_ = InFlight{true, false, nextSn_++, 0};
  } else {
    return;  // requests wait until the MCU has introduced itself
  }
  transmit(now);
}

void McuLink::transmit(Millis now) {
  ++inFlight_.transmissions;
  if (inFlight_.handshake) {
    send(McuHeader{McuCmd::GetDeviceInfo, inFlight_.sn, 0}, {});
  } else {
    send(McuHeader{queue_.front().cmd, inFlight_.sn, 0}, queue_.payload(0));
  }
  ackTimeout_.start(now, kAckTimeout);
}

void McuLink::retransmitOrFail(Millis now) {
  ackTimeout_.stop();
  if (inFlight_.transmissions < kTransmissions) {
    transmit(now);
  } else {
    failInFlight(now);
  }
}

void McuLink::sendIllegalNotice(std::uint8_t sn, IllegalCode code, Millis now) {
  if (!notices_.admit(static_cast<std::uint8_t>(code), now)) return;  // counted; reported after its second
  const std::uint8_t payload[1] = {static_cast<std::uint8_t>(code)};
  send(McuHeader{McuCmd::IllegalMessage, sn, 0}, Bytes(payload, 1));
}

void McuLink::send(const McuHeader& header, Bytes payload) {
  const std::size_t size = proto::encodeMcuFrame(header, payload, scratch_);
  if (size == 0 || !tx_.push(Bytes(scratch_.data(), size))) {
    log_.warning("%.*s dropped: UART transmit buffer full", nameLength(header.cmd), nameText(header.cmd));
    return;
  }
  log_.debug("tx %.*s sn=%u len=%zu", nameLength(header.cmd), nameText(header.cmd), header.sn,
             payload.size());
  flushTx();
}

void McuLink::flushTx() {
  while (!tx_.empty()) {
    const hal::IoResult result = uart_.write(tx_.front());
    if (!result.isDone() || result.bytes == 0) return;
    tx_.pop(result.bytes);
  }
}

}  // namespace gagent::core
