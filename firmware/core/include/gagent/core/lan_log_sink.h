#pragma once
// S13: the LAN log facility. The Gizwits format is UNKNOWN (protocol §5.3: newer GAgent uses 0010/0011 to
// set a level and 0012 to upload logs, layouts unpublished), so this is ours:
//
//   app -> module  0010  level u8          0..4 = LogLevel Error..Dump (S13.4), 0xFF = off
//   module -> app  0011  level u8          the level now in force for this client (an echo)
//   module -> app  0012  level u8, module text, 0x00, message text   one log line, no terminator at the end
//
// Only logged-in clients may subscribe (LanServer closes a client that sends 0010 before login). Every
// client starts unsubscribed, so the facility is off by default (S13.2), and it rides on the TCP server, so
// it works in SoftAP and station mode alike (S13.5). The sink is attached to the LogHub only while someone
// listens, with the threshold of the most verbose subscriber; each line goes to every subscriber whose own
// level admits it. A payload other than one valid level byte is logged and ignored (no 0011).
//
// No recursion: whatever is logged while a line is being sent (the server's own logging, say) is dropped.

#include <array>
#include <cstdint>
#include <optional>

#include "gagent/core/lan_server.h"
#include "gagent/core/log.h"

namespace gagent::core {

// Told when a client starts listening at Warning or more, so what happened before it came (a corrupt
// config at boot, issue 16) can be said again for it.
class LanLogListener {
 public:
  virtual ~LanLogListener() = default;
  virtual void onLogSubscribed(Millis now) = 0;
};

class LanLogSink : public LogSink, public LanLogRequestHandler {
 public:
  static constexpr std::uint8_t kLevelOff = 0xFF;  // 0010 / 0011: no log lines
  static constexpr std::size_t kMaxSubscribers = LanServer::kMaxClients;
  static constexpr std::size_t kMaxModuleName = 32;  // a longer module prefix is cut
  // level + module + NUL + the longest message LogHub formats.
  static constexpr std::size_t kMaxLinePayload = 1 + kMaxModuleName + 1 + LogHub::kMaxMessage;

  // Registers itself with `server` as its log request handler (and unregisters in the destructor).
  LanLogSink(LanServer& server, LogHub& logs);
  // The virtual functions are defined here, not in the .cpp: the core is built without RTTI, and an
  // out-of-line virtual would leave the typeinfo that sanitizer-instrumented callers reference undefined.
  ~LanLogSink() override { disconnect(); }
  LanLogSink(const LanLogSink&) = delete;
  LanLogSink& operator=(const LanLogSink&) = delete;

  // LogSink: one line to every subscriber whose level admits it.
  void write(LogLevel level, std::string_view module, std::string_view message) override {
    sendLine(level, module, message);
  }
  // LanLogRequestHandler.
  void onLogRequest(LanClientId client, proto::Bytes payload, Millis now) override {
    handleRequest(client, payload, now);
  }
  void onClientClosed(LanClientId client) override { forget(client); }

  void setListener(LanLogListener* listener) { listener_ = listener; }
  [[nodiscard]] std::size_t subscriberCount() const;
  // The hub threshold in force; nullopt = detached (nobody listens).
  [[nodiscard]] std::optional<LogLevel> threshold() const { return threshold_; }

 private:
  struct Subscriber {
    LanClientId client = kNoLanClient;
    LogLevel level = LogLevel::Error;
  };

  void disconnect();
  void sendLine(LogLevel level, std::string_view module, std::string_view message);
  void handleRequest(LanClientId client, proto::Bytes payload, Millis now);
  void forget(LanClientId client);
  void unsubscribe(LanClientId client);
  void updateThreshold();

  LanServer& server_;
  LogHub& hub_;
  Logger log_;
  LanLogListener* listener_ = nullptr;
  std::array<Subscriber, kMaxSubscribers> subscribers_{};
  std::optional<LogLevel> threshold_;
  bool writing_ = false;
  std::array<std::uint8_t, kMaxLinePayload> line_{};
};

}  // namespace gagent::core
