#include "gizrig/plugs/app_session.h"

#include <QVariantList>
#include <algorithm>

#include "gagent/proto/lan_commands.h"
#include "gagent/proto/p0.h"
#include "gizrig/plugs/app_p0.h"
#include "gizrig/plugs/lan_bytes.h"

namespace gizrig::core {

namespace proto = gagent::proto;
using proto::LanCmd;

namespace {

QString latin1(std::string_view view) {
  return QString::fromLatin1(view.data(), static_cast<qsizetype>(view.size()));
}

// The fixed 8-byte fields of 0014 are zero-padded text.
QString paddedText(std::string_view view) {
  return latin1(view.substr(0, std::min(view.find('\0'), view.size())));
}

QString hex(const QByteArray& bytes) {
  return QString::fromLatin1(bytes.toHex());
}

}  // namespace

AppSession::AppSession(RigClock& clock, StreamLink* link, QHostAddress device, quint16 port, QObject* parent)
    : QObject(parent), clock_(clock), link_(link), device_(std::move(device)), port_(port) {
  link->setParent(this);
  connect(link, &StreamLink::connected, this, &AppSession::onConnected);
  connect(link, &StreamLink::disconnected, this, &AppSession::onDisconnected);
  connect(link, &StreamLink::errorOccurred, this, &AppSession::onLinkError);
  connect(link, &StreamLink::received, this, &AppSession::onBytes);
}

AppSession::~AppSession() {
  // Nobody is told: the owner is going away. Timers die with `this` as their context.
  if (link_) link_->disconnect(this);
}

void AppSession::emitEvent(const QString& name, QVariantMap fields) {
  fields.insert("device", device_.toString());
  fields.insert("time", static_cast<qint64>(clock_.nowMs()));
  emit event(name, fields);
}

// ---- connection -------------------------------------------------------------------------------------------

void AppSession::open(RigMillis timeoutMs, AppCallback done) {
  if (connected_) {
    AppReply reply;
    reply.outcome = AppOutcome::Ok;
    reply.request = QStringLiteral("connect");
    reply.sentAt = reply.completedAt = clock_.nowMs();
    reply.roundTripMs = 0;
    if (done) done(reply);
    return;
  }
  if (connectDone_) {
    AppReply reply;
    reply.request = QStringLiteral("connect");
    reply.error = QStringLiteral("a connect is already in progress");
    reply.sentAt = reply.completedAt = clock_.nowMs();
    if (done) done(reply);
    return;
  }
  decoder_.reset();
  connectDone_ = done ? std::move(done) : AppCallback([](const AppReply&) {});
  connectStartedAt_ = clock_.nowMs();
  connectTimer_ = clock_.callAfter(timeoutMs, this, [this] {
    connectTimer_ = 0;
    if (link_) link_->close();
    completeConnect(AppOutcome::Timeout, QStringLiteral("TCP connect timed out"));
  });
  link_->connectTo(device_, port_);
}

void AppSession::completeConnect(AppOutcome outcome, const QString& error) {
  if (!connectDone_) return;
  if (connectTimer_ != 0) clock_.cancel(connectTimer_);
  connectTimer_ = 0;
  AppCallback done = std::move(connectDone_);
  connectDone_ = nullptr;
  AppReply reply;
  reply.outcome = outcome;
  reply.request = QStringLiteral("connect");
  reply.error = error;
  reply.sentAt = connectStartedAt_;
  reply.completedAt = clock_.nowMs();
  if (outcome == AppOutcome::Ok) {
    reply.roundTripMs = reply.completedAt - reply.sentAt;
    emit roundTripMeasured(reply.request, reply.roundTripMs);
  }
  done(reply);
}

void AppSession::onConnected() {
  connected_ = true;
  loggedIn_ = false;
  lastReceivedAt_ = clock_.nowMs();
  emitEvent(QStringLiteral("app.connected"), {{"port", port_}});
  completeConnect(AppOutcome::Ok, {});
}

void AppSession::close() {
  closing_ = true;
  if (link_) link_->close();
  completeConnect(AppOutcome::Error, QStringLiteral("closed"));
  if (connected_) onDisconnected();
  failAll(QStringLiteral("closed"));
  closing_ = false;
}

void AppSession::onDisconnected() {
  if (livenessTimer_ != 0) clock_.cancel(livenessTimer_);
  livenessTimer_ = 0;
  const bool wasConnected = connected_;
  connected_ = false;
  loggedIn_ = false;
  completeConnect(AppOutcome::Error, QStringLiteral("connection closed while connecting"));
  if (wasConnected) emitEvent(QStringLiteral("app.disconnected"), {{"byRig", closing_}});
  // The rig's own close() says "closed"; otherwise the module hung up with these requests unanswered.
  failAll(closing_ ? QStringLiteral("closed")
                   : QStringLiteral("the module closed the connection unanswered"));
}

void AppSession::onLinkError(const QString& message) {
  emitEvent(QStringLiteral("app.error"), {{"error", message}});
  if (connectDone_) {
    completeConnect(AppOutcome::Error, message);
    return;
  }
  if (link_ && !link_->isConnected() && connected_) onDisconnected();
}

// ---- requests ---------------------------------------------------------------------------------------------

void AppSession::start(const QString& request, LanCmd replyCmd, const QByteArray& packet, quint32 sn,
                       RigMillis timeoutMs, AppCallback done) {
  AppReply failed;
  failed.request = request;
  failed.sentAt = failed.completedAt = clock_.nowMs();
  if (packet.isEmpty()) {
    failed.error = QStringLiteral("the request cannot be encoded (a field is too long)");
  } else if (!connected_ || !link_) {
    failed.error = QStringLiteral("not connected");
  }
  if (!failed.error.isEmpty()) {
    emitEvent(QStringLiteral("app.error"), {{"request", request}, {"error", failed.error}});
    if (done) done(failed);
    return;
  }
  Pending pending;
  pending.id = nextId_++;
  pending.request = request;
  pending.replyCmd = replyCmd;
  pending.sn = sn;
  pending.sentAt = clock_.nowMs();
  pending.done = std::move(done);
  const quint64 id = pending.id;
  pending.timer = clock_.callAfter(timeoutMs, this, [this, id, timeoutMs] {
    AppReply reply;
    reply.outcome = AppOutcome::Timeout;
    reply.error = QStringLiteral("no reply within %1 ms").arg(timeoutMs);
    complete(id, reply);
  });
  pending_.push_back(std::move(pending));
  link_->write(packet);
}

void AppSession::complete(quint64 id, AppReply reply) {
  const auto it =
      std::find_if(pending_.begin(), pending_.end(), [id](const Pending& p) { return p.id == id; });
  if (it == pending_.end()) return;  // already completed: exactly once
  Pending pending = std::move(*it);
  pending_.erase(it);
  clock_.cancel(pending.timer);  // harmless when it is the timer that fired
  reply.request = pending.request;
  reply.sentAt = pending.sentAt;
  reply.completedAt = clock_.nowMs();
  QVariantMap fields = reply.fields;
  fields.insert("request", reply.request);
  if (reply.ok()) {
    reply.roundTripMs = reply.completedAt - reply.sentAt;
    fields.insert("roundTripMs", static_cast<qint64>(reply.roundTripMs));
    emit roundTripMeasured(reply.request, reply.roundTripMs);
    emitEvent(QStringLiteral("app.reply"), fields);
  } else {
    fields.insert("error", reply.error);
    emitEvent(
        reply.outcome == AppOutcome::Timeout ? QStringLiteral("app.timeout") : QStringLiteral("app.error"),
        fields);
  }
  if (pending.done) pending.done(reply);
}

void AppSession::failAll(const QString& why) {
  while (!pending_.empty()) {
    AppReply reply;
    reply.outcome = AppOutcome::Error;
    reply.error = why;
    complete(pending_.front().id, reply);
  }
}

void AppSession::requestPasscode(RigMillis timeoutMs, AppCallback done) {
  start(QStringLiteral("passcode"), LanCmd::PasscodeReply, encodeLan(LanCmd::PasscodeRequest), 0, timeoutMs,
        std::move(done));
}

void AppSession::login(const QString& passcode, RigMillis timeoutMs, AppCallback done) {
  const QByteArray code = passcode.toLatin1();
  const QByteArray packet = encodeLanWith(LanCmd::Login, [&](proto::ByteWriter& w) {
    proto::buildLanLogin(std::string_view(code.constData(), static_cast<std::size_t>(code.size())), w);
  });
  start(QStringLiteral("login"), LanCmd::LoginResult, packet, 0, timeoutMs, std::move(done));
}

void AppSession::openAndLogin(RigMillis timeoutMs, AppCallback done) {
  auto finish = std::make_shared<AppCallback>(done ? std::move(done) : AppCallback([](const AppReply&) {}));
  QPointer<AppSession> self(this);
  auto afterPasscode = [self, timeoutMs, finish](const AppReply& reply) {
    if (!self) return;
    if (!reply.ok()) return (*finish)(reply);
    const QString passcode = reply.fields.value("passcode").toString();
    if (passcode.isEmpty()) {
      AppReply refused = reply;
      refused.outcome = AppOutcome::Error;
      refused.error = QStringLiteral("empty passcode: the bind window is closed (S7.2.3)");
      return (*finish)(refused);
    }
    self->login(passcode, timeoutMs, *finish);
  };
  open(timeoutMs, [self, timeoutMs, finish, afterPasscode](const AppReply& reply) {
    if (!self) return;
    if (!reply.ok()) return (*finish)(reply);
    self->requestPasscode(timeoutMs, afterPasscode);
  });
}

void AppSession::sendP0(const QByteArray& p0, RigMillis timeoutMs, AppCallback done) {
  start(QStringLiteral("p0"), LanCmd::P0FromDevice, encodeLan(LanCmd::P0ToDevice, p0), 0, timeoutMs,
        std::move(done));
}

quint32 AppSession::sendP0Sn(const QByteArray& p0, RigMillis timeoutMs, AppCallback done) {
  const quint32 sn = nextSn_++;
  if (nextSn_ == 0) nextSn_ = 1;
  const QByteArray packet = encodeLanWith(LanCmd::P0ToDeviceSn, [&](proto::ByteWriter& w) {
    proto::buildLanSequencedP0({sn, asProtoBytes(p0)}, w);
  });
  start(QStringLiteral("p0sn"), LanCmd::P0FromDeviceSn, packet, sn, timeoutMs, std::move(done));
  return sn;
}

void AppSession::requestApList(RigMillis timeoutMs, AppCallback done) {
  start(QStringLiteral("apList"), LanCmd::ApList, encodeLan(LanCmd::ApListRequest), 0, timeoutMs,
        std::move(done));
}

void AppSession::requestDeviceInfo(RigMillis timeoutMs, AppCallback done) {
  start(QStringLiteral("deviceInfo"), LanCmd::DeviceInfoReply, encodeLan(LanCmd::DeviceInfoRequest), 0,
        timeoutMs, std::move(done));
}

void AppSession::exitProductionTest(RigMillis timeoutMs, AppCallback done) {
  start(QStringLiteral("exitTest"), LanCmd::ExitProductionTestReply, encodeLan(LanCmd::ExitProductionTest), 0,
        timeoutMs, std::move(done));
}

void AppSession::ping(RigMillis timeoutMs, AppCallback done) {
  start(QStringLiteral("heartbeat"), LanCmd::Pong, encodeLan(LanCmd::Ping), 0, timeoutMs, std::move(done));
}

// ---- receiving --------------------------------------------------------------------------------------------

void AppSession::onBytes(const QByteArray& bytes) {
  if (!connected_) return;
  lastReceivedAt_ = clock_.nowMs();
  QPointer<AppSession> self(this);
  proto::Bytes data = asProtoBytes(bytes);
  while (!data.empty()) {
    data = data.subspan(decoder_.feed(data));
    for (proto::LanDecode d = decoder_.next(); d.status != proto::ParseStatus::NeedMore;
         d = decoder_.next()) {
      if (!d.ok()) {
        const auto reason = proto::lanPacketErrorName(d.error);
        emitEvent(QStringLiteral("app.malformed"), {{"error", latin1(reason)}});
        continue;
      }
      onPacket(static_cast<LanCmd>(d.packet.cmd), toQByteArray(d.packet.payload));
      if (!self || !connected_) return;  // a callback closed the session
    }
  }
  armLiveness();
}

bool AppSession::isReportP0(const QByteArray& p0) const {
  if (p0.isEmpty()) return false;
  const auto action = static_cast<proto::P0Action>(static_cast<std::uint8_t>(p0.at(0)));
  return action == proto::P0Action::Report || action == proto::P0Action::PassThroughFromMcu;
}

void AppSession::decodeP0Into(const QByteArray& p0, QVariantMap& fields) const {
  fields.insert("p0", hex(p0));
  if (!product_ || p0.isEmpty()) return;
  const auto action = static_cast<proto::P0Action>(static_cast<std::uint8_t>(p0.at(0)));
  if (action != proto::P0Action::Report && action != proto::P0Action::ReadReply) return;
  const AppP0Values decoded = decodeStatusP0(*product_, p0);
  if (decoded.ok()) {
    fields.insert("action", decoded.action);
    fields.insert("values", decoded.values);
  } else {
    fields.insert("p0Error", decoded.error);
  }
}

std::deque<AppSession::Pending>::iterator AppSession::findFor(LanCmd replyCmd, quint32 sn) {
  return std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
    return p.replyCmd == replyCmd && (replyCmd != LanCmd::P0FromDeviceSn || p.sn == sn);
  });
}

void AppSession::onPacket(LanCmd cmd, const QByteArray& payload) {
  const auto malformed = [&](const QString& why) {
    emitEvent(QStringLiteral("app.malformed"),
              {{"command", proto::toU16(cmd)}, {"error", why}, {"payload", hex(payload)}});
  };
  const auto unmatched = [&](QVariantMap fields = {}) {
    fields.insert("command", proto::toU16(cmd));
    fields.insert("payload", hex(payload));
    emitEvent(QStringLiteral("app.unmatched"), fields);
  };

  AppReply reply;
  reply.outcome = AppOutcome::Ok;
  reply.replyCommand = proto::toU16(cmd);
  reply.payload = payload;
  quint32 sn = 0;
  const proto::Bytes body = asProtoBytes(payload);

  switch (cmd) {
    case LanCmd::PasscodeReply: {
      const auto parsed = proto::parseLanPasscodeReply(body);
      if (!parsed.ok()) return malformed(QStringLiteral("bad 0007 passcode reply"));
      reply.fields = {{"passcode", latin1(parsed.value)}, {"bindWindowClosed", parsed.value.empty()}};
      break;
    }
    case LanCmd::LoginResult: {
      const auto parsed = proto::parseLanLoginResult(body);
      if (!parsed.ok()) return malformed(QStringLiteral("bad 0009 login result"));
      const int result = static_cast<int>(parsed.value);
      reply.fields = {{"result", result}};
      if (findFor(cmd, 0) == pending_.end()) return unmatched(reply.fields);
      if (parsed.value == proto::LanLoginResult::Ok) {
        loggedIn_ = true;
        lastPingAt_ = clock_.nowMs();
        emitEvent(QStringLiteral("app.loggedIn"));
      } else {
        reply.outcome = AppOutcome::Error;
        reply.error = QStringLiteral("login refused (result %1)").arg(result);
        emitEvent(QStringLiteral("app.loginFailed"), reply.fields);
      }
      break;
    }
    case LanCmd::ApList: {
      const auto parsed = proto::parseLanApList(body);
      if (!parsed.ok()) return malformed(QStringLiteral("bad 000D AP list"));
      QVariantList aps;
      proto::forEachLanAp(parsed.value, [&](const proto::LanApEntry& entry) {
        aps.push_back(QVariantMap{{"ssid", latin1(entry.ssid)}, {"power", entry.power}});
      });
      reply.fields = {{"aps", aps}};
      break;
    }
    case LanCmd::DeviceInfoReply: {
      const auto parsed = proto::parseLanDeviceInfo(body);
      if (!parsed.ok()) return malformed(QStringLiteral("bad 0014 device info"));
      const proto::LanDeviceInfo& info = parsed.value;
      reply.fields = {{"wifiHardVer", paddedText(info.wifiHardVer)},
                      {"wifiSoftVer", paddedText(info.wifiSoftVer)},
                      {"mcuHardVer", paddedText(info.mcuHardVer)},
                      {"mcuSoftVer", paddedText(info.mcuSoftVer)},
                      {"p0Ver", paddedText(info.p0Ver)},
                      {"firmwareId", hex(toQByteArray(proto::asBytes(info.firmwareId)))},
                      {"firmwareVersion", latin1(info.firmwareVersion)},
                      {"productKey", latin1(info.productKey)}};
      break;
    }
    case LanCmd::Pong:
    case LanCmd::ExitProductionTestReply:
      if (proto::parseLanEmpty(body) != proto::ParseStatus::Ok)
        return malformed(QStringLiteral("unexpected payload on an empty-body reply"));
      break;
    case LanCmd::P0FromDevice:
      decodeP0Into(payload, reply.fields);
      if (isReportP0(payload) || findFor(cmd, 0) == pending_.end()) {
        // S7.4.3: an MCU report, sent to every logged-in client.
        QVariantMap fields = reply.fields;
        emitEvent(QStringLiteral("app.report"), fields);
        emit reportReceived(payload, clock_.nowMs());
        return;
      }
      break;
    case LanCmd::P0FromDeviceSn: {
      const auto parsed = proto::parseLanSequencedP0(body);
      if (!parsed.ok()) return malformed(QStringLiteral("bad 0094: no sn"));
      sn = parsed.value.sn;
      reply.payload = toQByteArray(parsed.value.p0);
      decodeP0Into(reply.payload, reply.fields);
      reply.fields.insert("sn", sn);
      break;
    }
    default:
      return unmatched();
  }

  const auto it = findFor(cmd, sn);
  if (it == pending_.end()) return unmatched(reply.fields);
  complete(it->id, reply);
}

// ---- heartbeat (S7.5.1-2) ---------------------------------------------------------------------------------

void AppSession::armLiveness() {
  if (livenessTimer_ != 0) clock_.cancel(livenessTimer_);
  livenessTimer_ = 0;
  if (!connected_ || !loggedIn_) return;
  const RigMillis offlineAt = lastReceivedAt_ + kAppOfflineSilenceMs;
  const RigMillis pingAt = std::max(lastReceivedAt_, lastPingAt_) + kAppHeartbeatIdleMs;
  livenessTimer_ = clock_.callAt(std::min(offlineAt, pingAt), this, [this] {
    livenessTimer_ = 0;
    onLivenessDeadline();
  });
}

void AppSession::onLivenessDeadline() {
  if (!connected_ || !loggedIn_) return;
  const RigMillis now = clock_.nowMs();
  if (now - lastReceivedAt_ >= kAppOfflineSilenceMs) {
    goOffline(QStringLiteral("no data from the module for %1 ms (S7.5.2)").arg(now - lastReceivedAt_));
    return;
  }
  if (now - std::max(lastReceivedAt_, lastPingAt_) >= kAppHeartbeatIdleMs) {
    lastPingAt_ = now;
    // The ping's own deadline is the offline rule: it cannot outlive the session.
    ping(kAppOfflineSilenceMs, nullptr);
  }
  armLiveness();
}

void AppSession::goOffline(const QString& reason) {
  emitEvent(QStringLiteral("app.offline"),
            {{"reason", reason}, {"lastReceived", static_cast<qint64>(lastReceivedAt_)}});
  emit wentOffline(reason);
  closing_ = true;
  failAll(QStringLiteral("offline: ") + reason);
  if (link_) link_->close();
  if (connected_) onDisconnected();
  closing_ = false;
}

}  // namespace gizrig::core
