#include "gagent/core/lan_log_sink.h"

namespace gagent::core {

using proto::LanCmd;

LanLogSink::LanLogSink(LanServer& server, LogHub& logs) : server_(server), hub_(logs), log_(logs, "lan-log") {
  server_.setLogRequestHandler(this);
}

void LanLogSink::disconnect() {
  server_.setLogRequestHandler(nullptr);
  hub_.detach(*this);
}

void LanLogSink::sendLine(LogLevel level, std::string_view module, std::string_view message) {
  if (writing_) return;  // a log line logged while sending a log line: dropped, never looped
  writing_ = true;
  if (module.size() > kMaxModuleName) module = module.substr(0, kMaxModuleName);
  proto::ByteWriter w(line_);
  w.u8(static_cast<std::uint8_t>(level));
  w.text(module);
  w.u8(0);
  w.text(message);
  if (w.ok()) {
    for (const Subscriber& subscriber : subscribers_) {
      // A full queue drops the line for that client only; logging about it would recurse.
      if (subscriber.client != kNoLanClient && level <= subscriber.level) {
        server_.sendPacket(subscriber.client, LanCmd::LogToServer, w.written());
      }
    }
  }
  writing_ = false;
}

void LanLogSink::handleRequest(LanClientId client, proto::Bytes payload, Millis now) {
  proto::ByteReader in(payload);
  const std::uint8_t value = in.u8();
  const bool valid = in.atEnd() && (value == kLevelOff || value <= static_cast<std::uint8_t>(LogLevel::Dump));
  if (!valid) {
    log_.warning("client %u: bad log level request (%zu bytes) ignored", static_cast<unsigned>(client),
                 payload.size());
    return;
  }
  unsubscribe(client);
  if (value != kLevelOff) {
    for (Subscriber& subscriber : subscribers_) {
      if (subscriber.client != kNoLanClient) continue;
      subscriber = {client, static_cast<LogLevel>(value)};
      break;
    }
  }
  // The echo goes out before the threshold changes, so it is the first thing the client gets.
  const std::array<std::uint8_t, 1> ack{value};
  server_.sendPacket(client, LanCmd::LogAck, ack);
  const std::string_view name = value == kLevelOff ? "off" : logLevelName(static_cast<LogLevel>(value));
  log_.info("client %u: LAN log level %.*s", static_cast<unsigned>(client), static_cast<int>(name.size()),
            name.data());
  updateThreshold();
  const bool hearsWarnings = value != kLevelOff && value >= static_cast<std::uint8_t>(LogLevel::Warning);
  if (hearsWarnings && listener_ != nullptr) listener_->onLogSubscribed(now);
}

void LanLogSink::forget(LanClientId client) {
  unsubscribe(client);
  updateThreshold();
}

std::size_t LanLogSink::subscriberCount() const {
  std::size_t count = 0;
  for (const Subscriber& subscriber : subscribers_) {
    if (subscriber.client != kNoLanClient) ++count;
  }
  return count;
}

void LanLogSink::unsubscribe(LanClientId client) {
  for (Subscriber& subscriber : subscribers_) {
    if (subscriber.client == client) subscriber = {};
  }
}

void LanLogSink::updateThreshold() {
  std::optional<LogLevel> most;
  for (const Subscriber& subscriber : subscribers_) {
    if (subscriber.client == kNoLanClient) continue;
    if (!most || subscriber.level > *most) most = subscriber.level;
  }
  if (most == threshold_) return;
  threshold_ = most;
  if (!most) {
    hub_.detach(*this);
  } else if (!hub_.attach(*this, *most)) {
    // LogHub::attach also updates an attached sink's threshold; false only when every slot is taken.
    threshold_.reset();
    log_.warning("LAN log facility unavailable: no free log hub slot");
  }
}

}  // namespace gagent::core
