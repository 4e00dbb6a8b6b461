#pragma once
// What the app plug hands back: one result per request (ok / timeout / error, with the round-trip time), and
// the devices and announcements it saw on the LAN.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QVariantMap>
#include <cstdint>
#include <functional>
#include <optional>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

// Ok: the module answered as asked. Timeout: no (matching) answer before the deadline. Error: the rig could
// not send, the link broke, or the module refused (e.g. login result 01); `error` says which.
enum class AppOutcome : std::uint8_t { Ok, Timeout, Error };
[[nodiscard]] QString appOutcomeName(AppOutcome outcome);  // "ok", "timeout", "error"

struct AppReply {
  AppOutcome outcome = AppOutcome::Error;
  QString request;  // "passcode", "login", "p0", "p0sn", "apList", "deviceInfo", "exitTest", "heartbeat", ...
  QString error;
  RigMillis sentAt = 0;
  RigMillis completedAt = 0;
  RigMillis roundTripMs = -1;  // Ok only
  quint16 replyCommand = 0;    // the LAN command that answered (Ok only)
  QByteArray payload;          // its payload; for 0094 the P0 after the sn
  QVariantMap fields;          // decoded fields of the answer
  [[nodiscard]] bool ok() const { return outcome == AppOutcome::Ok; }
};
using AppCallback = std::function<void(const AppReply&)>;

// A module that answered discovery (0004) or announced itself (0005): protocol §2.3.
struct DiscoveredDevice {
  QHostAddress address;  // where the datagram came from
  quint16 port = 0;
  QString did;     // empty before registration
  QByteArray mac;  // 6 raw bytes
  QString productKey;
  QByteArray mcuAttr;  // 8 bytes
  QString firmwareVersion;
  std::optional<QString> apiServer;      // newer firmware only
  std::optional<QString> gagentVersion;  // newer firmware only
  RigMillis seenAt = 0;
  RigMillis roundTripMs = -1;  // discovery replies: since the last 0003 sent
  [[nodiscard]] QString macHex() const { return QString::fromLatin1(mac.toHex().toUpper()); }
  [[nodiscard]] QVariantMap toFields() const;
};

// Parses a 0004 / 0005 body; nullopt when malformed.
[[nodiscard]] std::optional<DiscoveredDevice> parseDeviceAnnounce(const QByteArray& payload);

// A 0019 config-success broadcast (S6.1.3, protocol §5.2).
struct ConfigSuccess {
  QHostAddress address;
  QByteArray mac;
  QString productKey;
  QString did;
  RigMillis seenAt = 0;
  [[nodiscard]] QVariantMap toFields() const;
};
[[nodiscard]] std::optional<ConfigSuccess> parseConfigSuccess(const QByteArray& payload);

struct DiscoveryResult {
  AppOutcome outcome = AppOutcome::Timeout;  // Ok when at least one device answered
  QString error;
  QList<DiscoveredDevice> devices;  // one per answering address, in answer order
  int requestsSent = 0;             // 0003 rounds sent (a round: the broadcast and every unicast)
};
using DiscoveryCallback = std::function<void(const DiscoveryResult&)>;

}  // namespace gizrig::core
