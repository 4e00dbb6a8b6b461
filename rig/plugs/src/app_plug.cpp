#include "gizrig/plugs/app_plug.h"

#include <algorithm>

#include "gagent/proto/lan_commands.h"
#include "gizrig/plugs/app_p0.h"
#include "gizrig/plugs/lan_bytes.h"

namespace gizrig::core {

namespace proto = gagent::proto;
using proto::LanCmd;

namespace {

// A UDP datagram as one LAN packet (§2.2: exactly one per datagram), or a reason it is not.
struct Datagram {
  bool ok = false;
  LanCmd cmd{};
  QByteArray payload;
  QString error;
};

Datagram parseDatagram(const QByteArray& bytes) {
  Datagram out;
  const proto::LanDecode decoded = proto::parseLanDatagram(asProtoBytes(bytes));
  if (!decoded.ok()) {
    const auto name = proto::lanPacketErrorName(decoded.error);
    out.error = QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
    return out;
  }
  out.ok = true;
  out.cmd = static_cast<LanCmd>(decoded.packet.cmd);
  out.payload = toQByteArray(decoded.packet.payload);
  return out;
}

}  // namespace

AppPlug::AppPlug(RigClock& clock, LanLinkFactory& links, QObject* parent)
    : QObject(parent), clock_(clock), links_(links) {}

AppPlug::~AppPlug() = default;

void AppPlug::setProduct(std::shared_ptr<const proto::Product> product) {
  product_ = std::move(product);
  for (const auto& session : sessions_)
    if (session) session->setProduct(product_);
}

void AppPlug::emitEvent(const QString& name, QVariantMap fields) {
  if (!fields.contains("time")) fields.insert("time", static_cast<qint64>(clock_.nowMs()));
  emit event(name, fields);
}

void AppPlug::failNow(const QString& request, const QString& error, const AppCallback& done) {
  AppReply reply;
  reply.request = request;
  reply.error = error;
  reply.sentAt = reply.completedAt = clock_.nowMs();
  emitEvent(QStringLiteral("app.error"), {{"request", request}, {"error", error}});
  if (done) done(reply);
}

void AppPlug::remember(const DiscoveredDevice& device) {
  const QString key = device.address.toString();
  if (!devices_.contains(key)) deviceOrder_.push_back(key);
  devices_.insert(key, device);
}

QList<DiscoveredDevice> AppPlug::devices() const {
  QList<DiscoveredDevice> out;
  for (const QString& key : deviceOrder_) out.push_back(devices_.value(key));
  return out;
}

// ---- discovery (S7.1.2) -----------------------------------------------------------------------------------

void AppPlug::discover(const DiscoveryOptions& options, DiscoveryCallback done) {
  struct Run {
    QPointer<DatagramLink> link;
    DiscoveryOptions options;
    DiscoveryCallback done;
    QList<DiscoveredDevice> devices;
    RigMillis lastSentAt = 0;
    int rounds = 0;
    bool finished = false;
  };
  auto run = std::make_shared<Run>();
  run->options = options;
  run->done = std::move(done);
  DatagramLink* link = links_.createDatagram(this);
  run->link = link;

  auto finish = [this, run](AppOutcome outcome, const QString& error) {
    if (run->finished) return;
    run->finished = true;
    DiscoveryResult result;
    result.outcome = outcome;
    result.error = error;
    result.devices = run->devices;
    result.requestsSent = run->rounds;
    if (run->link) {
      run->link->disconnect(this);
      run->link->close();
      run->link->deleteLater();  // its timers go with it
    }
    if (run->done) run->done(result);
  };

  if (!options.broadcast && options.unicast.isEmpty()) {
    finish(AppOutcome::Error, QStringLiteral("discovery needs a broadcast address or a unicast address"));
    return;
  }
  QString linkError;
  connect(link, &DatagramLink::errorOccurred, this, [&linkError, this](const QString& message) {
    linkError = message;
    emitEvent(QStringLiteral("app.error"), {{"request", "discover"}, {"error", message}});
  });
  if (!link->bind(options.bindAddress, 0)) {
    finish(AppOutcome::Error,
           linkError.isEmpty() ? QStringLiteral("cannot bind the discovery socket") : linkError);
    return;
  }
  // Later errors are events only (the lambda above captured a local).
  link->disconnect(this);
  connect(link, &DatagramLink::errorOccurred, this, [this](const QString& message) {
    emitEvent(QStringLiteral("app.error"), {{"request", "discover"}, {"error", message}});
  });

  const QByteArray request = encodeLan(LanCmd::DiscoveryRequest);
  auto sendAll = [run, request]() -> bool {
    if (!run->link) return false;
    ++run->rounds;
    bool any = false;
    if (run->options.broadcast)
      any = run->link->sendTo(request, *run->options.broadcast, run->options.port) || any;
    for (const QHostAddress& address : run->options.unicast)
      any = run->link->sendTo(request, address, run->options.port) || any;
    return any;
  };

  connect(link, &DatagramLink::received, this,
          [this, run, finish](const QByteArray& bytes, const QHostAddress& from, quint16 fromPort) {
            if (run->finished) return;
            const Datagram datagram = parseDatagram(bytes);
            if (!datagram.ok || datagram.cmd != LanCmd::DiscoveryReply) {
              emitEvent(QStringLiteral("app.malformed"),
                        {{"request", "discover"},
                         {"from", from.toString()},
                         {"error", datagram.ok ? QStringLiteral("not a 0004 reply") : datagram.error}});
              return;
            }
            std::optional<DiscoveredDevice> device = parseDeviceAnnounce(datagram.payload);
            if (!device) {
              emitEvent(QStringLiteral("app.malformed"),
                        {{"request", "discover"}, {"from", from.toString()}, {"error", "bad 0004 body"}});
              return;
            }
            device->address = from;
            device->port = fromPort;
            device->seenAt = clock_.nowMs();
            device->roundTripMs = device->seenAt - run->lastSentAt;
            remember(*device);
            const bool isNew = std::none_of(run->devices.begin(), run->devices.end(),
                                            [&](const DiscoveredDevice& d) { return d.address == from; });
            if (!isNew) return;  // a resend answered twice
            run->devices.push_back(*device);
            emit roundTripMeasured(QStringLiteral("discover"), device->roundTripMs);
            emit deviceDiscovered(*device);
            emitEvent(QStringLiteral("app.discovered"), device->toFields());
            const bool awaitedAnswered =
                !run->options.awaited ||
                std::any_of(run->devices.begin(), run->devices.end(), [&](const DiscoveredDevice& d) {
                  return d.address.isEqual(*run->options.awaited, QHostAddress::TolerantConversion);
                });
            if (run->options.expectedCount > 0 && run->devices.size() >= run->options.expectedCount &&
                awaitedAnswered) {
              finish(AppOutcome::Ok, {});
              return;
            }
            if (run->options.until && run->options.until(*device)) finish(AppOutcome::Ok, {});
          });

  run->lastSentAt = clock_.nowMs();
  if (!sendAll()) {
    finish(AppOutcome::Error, QStringLiteral("the discovery request could not be sent"));
    return;
  }
  clock_.callAfter(options.timeoutMs, link, [run, finish] {
    if (run->devices.isEmpty())
      finish(AppOutcome::Timeout, QStringLiteral("no device answered discovery"));
    else
      finish(AppOutcome::Ok, {});
  });
  if (options.owner) {
    // The owner's end is the discovery's end: no callback (the owner is gone), no more requests.
    connect(options.owner, &QObject::destroyed, link, [run] {
      run->done = nullptr;
      if (run->link) {
        run->finished = true;
        run->link->close();
        run->link->deleteLater();
      }
    });
  }
  // All resends are scheduled now with the link as context: they vanish with it when the run finishes.
  for (const RigMillis at : discoveryResendTimes(options)) {
    clock_.callAfter(at, link, [this, run, sendAll] {
      if (run->finished) return;
      run->lastSentAt = clock_.nowMs();
      sendAll();
    });
  }
}

QList<RigMillis> discoveryResendTimes(const DiscoveryOptions& options) {
  QList<RigMillis> times;
  if (options.resendMs <= 0) return times;
  double gap = static_cast<double>(options.resendMs);
  for (RigMillis at = options.resendMs; at < options.timeoutMs;) {
    times << at;
    gap *= std::max(1.0, options.resendBackoff);
    if (options.maxResendMs > 0) gap = std::min(gap, static_cast<double>(options.maxResendMs));
    at += static_cast<RigMillis>(gap);
  }
  return times;
}

// ---- announcements (S7.1.1, S6.1.3) -----------------------------------------------------------------------

bool AppPlug::listenAnnouncements(const QHostAddress& bindAddress, quint16 port) {
  stopAnnouncements();
  DatagramLink* link = links_.createDatagram(this);
  connect(link, &DatagramLink::errorOccurred, this, [this](const QString& message) {
    emitEvent(QStringLiteral("app.error"), {{"request", "announcements"}, {"error", message}});
  });
  if (!link->bind(bindAddress, port)) {
    link->deleteLater();
    return false;
  }
  connect(link, &DatagramLink::received, this, &AppPlug::onAnnouncement);
  announcements_ = link;
  return true;
}

void AppPlug::stopAnnouncements() {
  if (!announcements_) return;
  announcements_->disconnect(this);
  announcements_->close();
  announcements_->deleteLater();
  announcements_ = nullptr;
}

quint16 AppPlug::announcementPort() const {
  return announcements_ ? announcements_->localPort() : 0;
}

void AppPlug::onAnnouncement(const QByteArray& bytes, const QHostAddress& from, quint16 fromPort) {
  const Datagram datagram = parseDatagram(bytes);
  const auto malformed = [&](const QString& why) {
    emitEvent(QStringLiteral("app.malformed"),
              {{"request", "announcements"}, {"from", from.toString()}, {"error", why}});
  };
  if (!datagram.ok) return malformed(datagram.error);
  const RigMillis now = clock_.nowMs();
  if (datagram.cmd == LanCmd::StartupAnnounce) {
    std::optional<DiscoveredDevice> device = parseDeviceAnnounce(datagram.payload);
    if (!device) return malformed(QStringLiteral("bad 0005 body"));
    device->address = from;
    device->port = fromPort;
    device->seenAt = now;
    remember(*device);
    emit announceReceived(*device);
    emitEvent(QStringLiteral("app.announce"), device->toFields());
  } else if (datagram.cmd == LanCmd::ConfigSuccess) {
    std::optional<ConfigSuccess> success = parseConfigSuccess(datagram.payload);
    if (!success) return malformed(QStringLiteral("bad 0019 body"));
    success->address = from;
    success->seenAt = now;
    emit configSuccessReceived(*success);
    emitEvent(QStringLiteral("app.configSuccess"), success->toFields());
  }
  // Anything else on 2415 (another app's 001B, ...) is not for us.
}

// ---- SoftAP onboarding (S6.2.5) ---------------------------------------------------------------------------

void AppPlug::softApOnboard(const QHostAddress& module, const QString& ssid, const QString& password,
                            const OnboardingOptions& options, AppCallback done) {
  const QString request = QStringLiteral("onboard");
  const QByteArray ssidBytes = ssid.toUtf8();
  const QByteArray passwordBytes = password.toUtf8();
  const QByteArray packet = encodeLanWith(LanCmd::OnboardingRequest, [&](proto::ByteWriter& w) {
    proto::buildLanOnboardingRequest(
        {std::string_view(ssidBytes.constData(), static_cast<std::size_t>(ssidBytes.size())),
         std::string_view(passwordBytes.constData(), static_cast<std::size_t>(passwordBytes.size()))},
        w);
  });
  if (packet.isEmpty())
    return failNow(request, QStringLiteral("SSID and password must be at most 32 bytes"), done);

  struct Run {
    QPointer<DatagramLink> link;
    AppCallback done;
    RigMillis sentAt = 0;
    bool finished = false;
  };
  auto run = std::make_shared<Run>();
  run->done = std::move(done);
  DatagramLink* link = links_.createDatagram(this);
  run->link = link;
  auto finish = [this, run, request, module](AppReply reply) {
    if (run->finished) return;
    run->finished = true;
    reply.request = request;
    reply.sentAt = run->sentAt;
    reply.completedAt = clock_.nowMs();
    QVariantMap fields{{"request", request}, {"device", module.toString()}};
    if (reply.ok()) {
      reply.roundTripMs = reply.completedAt - reply.sentAt;
      emit roundTripMeasured(request, reply.roundTripMs);
      fields.insert("roundTripMs", static_cast<qint64>(reply.roundTripMs));
      emitEvent(QStringLiteral("app.onboarded"), fields);
    } else {
      fields.insert("error", reply.error);
      emitEvent(
          reply.outcome == AppOutcome::Timeout ? QStringLiteral("app.timeout") : QStringLiteral("app.error"),
          fields);
    }
    if (run->link) {
      run->link->disconnect(this);
      run->link->close();
      run->link->deleteLater();
    }
    if (run->done) run->done(reply);
  };
  if (!link->bind(options.bindAddress, 0)) {
    AppReply reply;
    reply.error = QStringLiteral("cannot bind the onboarding socket");
    return finish(reply);
  }
  connect(link, &DatagramLink::received, this,
          [this, module, finish](const QByteArray& bytes, const QHostAddress& from, quint16) {
            const Datagram datagram = parseDatagram(bytes);
            if (from != module || !datagram.ok || datagram.cmd != LanCmd::OnboardingReply ||
                proto::parseLanEmpty(asProtoBytes(datagram.payload)) != proto::ParseStatus::Ok) {
              emitEvent(QStringLiteral("app.malformed"), {{"request", "onboard"},
                                                          {"from", from.toString()},
                                                          {"error", "not a 0002 from the module"}});
              return;
            }
            AppReply reply;
            reply.outcome = AppOutcome::Ok;
            reply.replyCommand = proto::toU16(LanCmd::OnboardingReply);
            finish(reply);
          });
  run->sentAt = clock_.nowMs();
  if (!link->sendTo(packet, module, options.port)) {
    AppReply reply;
    reply.error = QStringLiteral("the onboarding request could not be sent");
    return finish(reply);
  }
  clock_.callAfter(options.timeoutMs, link, [finish, timeout = options.timeoutMs] {
    AppReply reply;
    reply.outcome = AppOutcome::Timeout;
    reply.error = QStringLiteral("no 0002 within %1 ms").arg(timeout);
    finish(reply);
  });
  if (options.resendMs > 0) {
    for (RigMillis at = options.resendMs; at < options.timeoutMs; at += options.resendMs) {
      clock_.callAfter(at, link, [run, packet, module, port = options.port] {
        if (!run->finished && run->link) run->link->sendTo(packet, module, port);
      });
    }
  }
}

// ---- sessions ---------------------------------------------------------------------------------------------

AppSession* AppPlug::existingSession(const QHostAddress& device) const {
  return sessions_.value(device.toString()).data();
}

AppSession* AppPlug::session(const QHostAddress& device, quint16 port) {
  if (AppSession* existing = existingSession(device)) return existing;
  auto* session = new AppSession(clock_, links_.createStream(nullptr), device, port, this);
  session->setProduct(product_);
  connect(session, &AppSession::event, this, &AppPlug::event);
  connect(session, &AppSession::roundTripMeasured, this, &AppPlug::roundTripMeasured);
  connect(session, &AppSession::reportReceived, this,
          [this, device](const QByteArray& p0, RigMillis at) { emit reportReceived(device, p0, at); });
  sessions_.insert(device.toString(), session);
  return session;
}

void AppPlug::control(const QHostAddress& device, const QVariantMap& values, bool withSn, RigMillis timeoutMs,
                      AppCallback done) {
  if (!product_) return failNow(QStringLiteral("control"), QStringLiteral("no product definition set"), done);
  const AppP0Build build = buildControlP0(*product_, values);
  if (!build.ok()) return failNow(QStringLiteral("control"), build.error, done);
  if (withSn)
    session(device)->sendP0Sn(build.p0, timeoutMs, std::move(done));
  else
    session(device)->sendP0(build.p0, timeoutMs, std::move(done));
}

void AppPlug::read(const QHostAddress& device, RigMillis timeoutMs, AppCallback done) {
  session(device)->sendP0(buildReadP0(), timeoutMs, std::move(done));
}

}  // namespace gizrig::core
