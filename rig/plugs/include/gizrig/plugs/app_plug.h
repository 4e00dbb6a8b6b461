#pragma once
// The phone app on the LAN (docs/rig.md, protocol §2, S7): discovery (0003 broadcast and unicast -> 0004),
// the announcement listener on 2415 (0005 startup, 0019 config success), SoftAP onboarding (0001 -> 0002),
// and one AppSession (TCP 12416) per device. Time comes only from the RigClock, bytes only through LAN links
// from the LanLinkFactory, so the same plug runs against gagent-sim in real time and in the virtual-time
// world.
//
// Everything the plug sees is also an `event(name, fields)` for the scenario engine (fields always carry
// "time"): "app.discovered", "app.announce", "app.configSuccess", "app.onboarded" and every session event
// ("app.loggedIn", "app.report", "app.reply", "app.offline", ...; see app_session.h).

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariantMap>
#include <functional>
#include <memory>
#include <optional>

#include "gagent/proto/lan_packet.h"
#include "gagent/proto/product.h"
#include "gizrig/clock/rig_clock.h"
#include "gizrig/links/links.h"
#include "gizrig/plugs/app_session.h"
#include "gizrig/plugs/app_types.h"

namespace gizrig::core {

struct DiscoveryOptions {
  // Where to broadcast 0003: 127.255.255.255 in the lab. Never defaulted: the lab machine must not send to
  // 255.255.255.255 (docs/virtual-lab.md). Unset = unicast only.
  std::optional<QHostAddress> broadcast;
  QList<QHostAddress> unicast;  // modules asked directly
  quint16 port = gagent::proto::kLanUdpConfigPort;
  QHostAddress bindAddress = QHostAddress(QHostAddress::AnyIPv4);  // the app's socket (port: any free one)
  RigMillis timeoutMs = kAppDefaultTimeoutMs;
  RigMillis resendMs = 1000;  // 0003 again every resendMs until done, as phone apps do; 0 = send once
  // Each gap between resends is this many times the one before (1 = every resendMs), up to maxResendMs: on a
  // line of N slots every module answers every broadcast, so a station backs off.
  double resendBackoff = 1.0;
  RigMillis maxResendMs = 0;  // 0 = no cap
  int expectedCount = 0;      // finish as soon as this many devices answered; 0 = collect until the timeout
  // With expectedCount: finish early only once this device is among them. Other labs on the same loopback
  // (parallel tests, two stations) answer the broadcast too, and may answer first.
  std::optional<QHostAddress> awaited;
  // Finish (Ok) as soon as a device for which this holds has answered: the one module a slot is looking for.
  std::function<bool(const DiscoveredDevice&)> until;
  // The discovery ends quietly (no callback, nothing more sent) when this object goes: a production phase
  // that ended, a slot that finished.
  QPointer<QObject> owner;
};

// When the 0003 resends of a discovery go out, in ms after the first request (before its timeout).
[[nodiscard]] QList<RigMillis> discoveryResendTimes(const DiscoveryOptions& options);

struct OnboardingOptions {
  quint16 port = gagent::proto::kLanUdpConfigPort;
  QHostAddress bindAddress = QHostAddress(QHostAddress::AnyIPv4);
  RigMillis timeoutMs = 10000;
  RigMillis resendMs = 1000;  // 0001 again until 0002 arrives; 0 = send once
};

class AppPlug : public QObject {
  Q_OBJECT
 public:
  AppPlug(RigClock& clock, LanLinkFactory& links, QObject* parent = nullptr);
  ~AppPlug() override;

  // The product used to build controls and decode reports (P0 helpers, fields "values").
  void setProduct(std::shared_ptr<const gagent::proto::Product> product);
  [[nodiscard]] const gagent::proto::Product* product() const { return product_.get(); }

  // ---- UDP
  // Sends 0003 (broadcast and/or unicast), collects 0004 replies until the timeout (or expectedCount). Ok
  // with the devices when at least one answered, Timeout with none, Error when nothing could be sent.
  void discover(const DiscoveryOptions& options, DiscoveryCallback done);
  // Every device seen so far (discovery replies and 0005 announcements), one per address, latest data.
  [[nodiscard]] QList<DiscoveredDevice> devices() const;

  // Listens for 0005 / 0019 on bindAddress:port (0.0.0.0:2415 in the lab; the port is shared). False (and an
  // "app.error" event) when the socket cannot be bound.
  bool listenAnnouncements(const QHostAddress& bindAddress = QHostAddress(QHostAddress::AnyIPv4),
                           quint16 port = gagent::proto::kLanAnnouncePort);
  void stopAnnouncements();
  [[nodiscard]] quint16 announcementPort() const;

  // SoftAP onboarding (S6.2.5, §2.4): 0001 {ssid, password} to module:12414, Ok on its 0002.
  void softApOnboard(const QHostAddress& module, const QString& ssid, const QString& password,
                     const OnboardingOptions& options, AppCallback done);

  // ---- TCP: one session per device address, created on first use (not connected).
  AppSession* session(const QHostAddress& device, quint16 port = gagent::proto::kLanTcpPort);
  [[nodiscard]] AppSession* existingSession(const QHostAddress& device) const;

  // P0 helpers over the session of `device`, with the product set above.
  // A control from data-point names and values (app_p0.h), sent as 0093 (sn-matched) or 0090.
  void control(const QHostAddress& device, const QVariantMap& values, bool withSn, RigMillis timeoutMs,
               AppCallback done);
  // A read (02) as 0090; the reply's fields carry "values".
  void read(const QHostAddress& device, RigMillis timeoutMs, AppCallback done);

 signals:
  void event(const QString& name, const QVariantMap& fields);
  void deviceDiscovered(const DiscoveredDevice& device);
  void announceReceived(const DiscoveredDevice& device);
  void configSuccessReceived(const ConfigSuccess& success);
  void reportReceived(const QHostAddress& device, const QByteArray& p0, RigMillis at);
  void roundTripMeasured(const QString& request, RigMillis ms);

 private:
  void emitEvent(const QString& name, QVariantMap fields);
  void remember(const DiscoveredDevice& device);
  void onAnnouncement(const QByteArray& datagram, const QHostAddress& from, quint16 fromPort);
  void failNow(const QString& request, const QString& error, const AppCallback& done);

  RigClock& clock_;
  LanLinkFactory& links_;
  std::shared_ptr<const gagent::proto::Product> product_;
  QHash<QString, DiscoveredDevice> devices_;  // by address
  QList<QString> deviceOrder_;
  QHash<QString, QPointer<AppSession>> sessions_;
  QPointer<DatagramLink> announcements_;
};

}  // namespace gizrig::core
