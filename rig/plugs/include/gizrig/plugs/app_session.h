#pragma once
// One phone app's TCP session with one module (protocol §2.3, S7.2-S7.5): connect to 12416, passcode (0006),
// login (0008), heartbeat, P0 control and reads (0090 / 0093), AP list, device info, exit production test.
//
// Every request completes exactly once, through its callback, with Ok, Timeout (a deadline on the RigClock)
// or Error (link broke, module refused). Replies are matched as follows:
//   - 0094 by the sn of the 0093 (one sn counter per session);
//   - 0091 with an empty P0 or a non-report action answers the oldest pending 0090 (a control's answer is the
//     MCU's empty ACK, a read's the 03 status); 0091 with action 04 (report) or 06 (MCU pass-through) is an
//     unsolicited report (S7.4.3), never a reply;
//   - every other reply (0007, 0009, 000D, 0014, 0016, 0018) answers the oldest pending request of its kind.
// Unmatched and malformed packets are ignored (an event says so); a reply after its timeout is unmatched.
//
// Heartbeat (S7.5.1-2), from login on: after 4 s without data from the module a 0015 is sent (so every 4 s
// while the module only answers pings); after 12 s without any data the session is declared offline and
// closed. Requests still pending when the link goes complete with Error.
//
// Callbacks must not delete the session synchronously (use deleteLater()).

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantMap>
#include <deque>
#include <memory>

#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gagent/proto/product.h"
#include "gizrig/plugs/app_types.h"
#include "gizrig/links/links.h"
#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

inline constexpr RigMillis kAppDefaultTimeoutMs = 3000;
inline constexpr RigMillis kAppHeartbeatIdleMs = 4000;    // S7.5.1
inline constexpr RigMillis kAppOfflineSilenceMs = 12000;  // S7.5.2

class AppSession : public QObject {
  Q_OBJECT
 public:
  // Takes ownership of `link` (re-parents it).
  AppSession(RigClock& clock, StreamLink* link, QHostAddress device,
             quint16 port = gagent::proto::kLanTcpPort, QObject* parent = nullptr);
  ~AppSession() override;

  [[nodiscard]] QHostAddress device() const { return device_; }
  [[nodiscard]] quint16 port() const { return port_; }
  [[nodiscard]] bool isConnected() const { return connected_; }
  [[nodiscard]] bool isLoggedIn() const { return loggedIn_; }
  // The product used to decode reports and replies into named values (fields "values"); may be null.
  void setProduct(std::shared_ptr<const gagent::proto::Product> product) { product_ = std::move(product); }

  // TCP connect to device:port. Ok when connected.
  void open(RigMillis timeoutMs, AppCallback done);
  // Closes the connection; pending requests complete with Error "closed".
  void close();

  // 0006 -> 0007. Ok with fields passcode and bindWindowClosed (an empty passcode, S7.2.3).
  void requestPasscode(RigMillis timeoutMs, AppCallback done);
  // 0008 -> 0009. Ok on result 00 (then the heartbeat starts); result 01 is an Error "login refused".
  void login(const QString& passcode, RigMillis timeoutMs, AppCallback done);
  // The app's usual sequence: open when needed, 0006, then 0008 with that passcode. An empty passcode (bind
  // window closed) is an Error. Each step has the whole timeout.
  void openAndLogin(RigMillis timeoutMs, AppCallback done);

  // 0090 -> 0091 (P0 as is). Fields: p0 (hex), and values/action when a product is set and the P0 decodes.
  void sendP0(const QByteArray& p0, RigMillis timeoutMs, AppCallback done);
  // 0093 -> 0094 matched by sn; returns the sn used. Fields: sn, p0 (hex), values/action as for sendP0.
  quint32 sendP0Sn(const QByteArray& p0, RigMillis timeoutMs, AppCallback done);
  // 000C -> 000D. Fields: aps (list of {ssid, power}). The module closes the connection after it (§2.3).
  void requestApList(RigMillis timeoutMs, AppCallback done);
  // 0013 -> 0014. Fields: wifiHardVer, wifiSoftVer, mcuHardVer, mcuSoftVer, p0Ver, firmwareId,
  // firmwareVersion, productKey.
  void requestDeviceInfo(RigMillis timeoutMs, AppCallback done);
  // 0017 -> 0018 (S5.6).
  void exitProductionTest(RigMillis timeoutMs, AppCallback done);
  // 0015 -> 0016 on demand (the heartbeat sends these by itself).
  void ping(RigMillis timeoutMs, AppCallback done);

  [[nodiscard]] std::size_t pendingCount() const { return pending_.size(); }
  // The sn the next 0093 carries (then +1, skipping 0); starts at 1. For byte-exact vectors and fault tests.
  void setNextSn(quint32 sn) { nextSn_ = sn; }

 signals:
  // For the scenario engine: "app.connected", "app.loggedIn", "app.loginFailed", "app.reply", "app.timeout",
  // "app.error", "app.report", "app.offline", "app.disconnected", "app.unmatched", "app.malformed". Fields
  // always carry "device" (address) and "time" (RigClock ms).
  void event(const QString& name, const QVariantMap& fields);
  // An unsolicited 0091 (S7.4.3).
  void reportReceived(const QByteArray& p0, RigMillis at);
  // Every completed request's round trip, for the latency histogram.
  void roundTripMeasured(const QString& request, RigMillis ms);
  void wentOffline(const QString& reason);

 private:
  struct Pending {
    quint64 id = 0;
    QString request;
    gagent::proto::LanCmd replyCmd{};
    quint32 sn = 0;  // 0094 only
    RigMillis sentAt = 0;
    TimerId timer = 0;
    AppCallback done;
  };

  void start(const QString& request, gagent::proto::LanCmd replyCmd, const QByteArray& packet, quint32 sn,
             RigMillis timeoutMs, AppCallback done);
  void complete(quint64 id, AppReply reply);
  void failAll(const QString& why);
  void onConnected();
  void onDisconnected();
  void onLinkError(const QString& message);
  void onBytes(const QByteArray& bytes);
  void onPacket(gagent::proto::LanCmd cmd, const QByteArray& payload);
  bool isReportP0(const QByteArray& p0) const;
  void decodeP0Into(const QByteArray& p0, QVariantMap& fields) const;
  std::deque<Pending>::iterator findFor(gagent::proto::LanCmd replyCmd, quint32 sn);
  void completeConnect(AppOutcome outcome, const QString& error);
  void emitEvent(const QString& name, QVariantMap fields = {});

  // Heartbeat / offline supervision (S7.5.1-2).
  void armLiveness();
  void onLivenessDeadline();
  void goOffline(const QString& reason);

  RigClock& clock_;
  QPointer<StreamLink> link_;
  QHostAddress device_;
  quint16 port_;
  std::shared_ptr<const gagent::proto::Product> product_;
  gagent::proto::LanStreamDecoder decoder_;
  std::deque<Pending> pending_;
  quint64 nextId_ = 1;
  quint32 nextSn_ = 1;
  bool connected_ = false;
  bool loggedIn_ = false;
  bool closing_ = false;

  // The pending connect.
  AppCallback connectDone_;
  TimerId connectTimer_ = 0;
  RigMillis connectStartedAt_ = 0;

  RigMillis lastReceivedAt_ = 0;
  RigMillis lastPingAt_ = 0;
  TimerId livenessTimer_ = 0;
};

}  // namespace gizrig::core
