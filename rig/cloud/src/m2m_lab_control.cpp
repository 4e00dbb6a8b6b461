#include "gizrig/cloud/m2m_lab_control.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <algorithm>

namespace gizrig::cloud {

namespace {

constexpr int kMaxDelayMs = 10 * 60 * 1000;

LabControlAnswer refuse(quint16 status, const QString& message) {
  return {status, QJsonDocument(QJsonObject{{QStringLiteral("error"), message}})};
}

LabControlAnswer ok() {
  return {200, QJsonDocument(QJsonObject{{QStringLiteral("ok"), true}})};
}

QString stallName(GateStall stall) {
  switch (stall) {
    case GateStall::None:
      return QStringLiteral("none");
    case GateStall::ToBroker:
      return QStringLiteral("to-broker");
    case GateStall::ToDevice:
      return QStringLiteral("to-device");
    case GateStall::Both:
      return QStringLiteral("both");
  }
  return QStringLiteral("none");
}

// An integer field in [min, max], `fallback` when absent; nullopt when present and not such a number.
std::optional<int> integer(const QJsonObject& object, const QString& key, int min, int max,
                           std::optional<int> fallback) {
  const QJsonValue value = object.value(key);
  if (value.isUndefined()) return fallback;
  const double number = value.toDouble(-1.5);
  const auto whole = static_cast<int>(number);
  if (!value.isDouble() || static_cast<double>(whole) != number || whole < min || whole > max)
    return std::nullopt;
  return whole;
}

}  // namespace

M2mLabControl::M2mLabControl(M2mGate& gate, QObject* parent) : QObject(parent), gate_(gate) {
  connect(&gate_, &M2mGate::loginHandled, this, [this](const QString& did, GateVerdict verdict, quint8 code) {
    if (verdict == GateVerdict::Relayed && code == 0) ++online_[did];
  });
  connect(&gate_, &M2mGate::connectionClosed, this, [this](const QString& did) {
    const auto it = online_.find(did);
    if (it == online_.end()) return;
    if (--it.value() <= 0) online_.erase(it);
  });
}

QStringList M2mLabControl::onlineDevices() const {
  QStringList dids = online_.keys();
  std::sort(dids.begin(), dids.end());
  return dids;
}

LabControlHook M2mLabControl::hook() {
  return [self = QPointer<M2mLabControl>(this)](const QString& method, const QByteArray& body) {
    if (!self) return refuse(503, QStringLiteral("the M2M gate's control is gone"));
    return self->handle(method, body);
  };
}

LabControlAnswer M2mLabControl::handle(const QString& method, const QByteArray& body) {
  if (method == QStringLiteral("GET")) return state();
  if (method == QStringLiteral("POST")) return applyFault(body);
  return refuse(405, QStringLiteral("/lab/m2m takes GET or POST"));
}

LabControlAnswer M2mLabControl::state() const {
  const GateFaults faults = gate_.faults();
  const QJsonObject object{
      {QStringLiteral("online"), QJsonArray::fromStringList(onlineDevices())},
      {QStringLiteral("connections"), gate_.connectionCount()},
      {QStringLiteral("faults"), QJsonObject{{QStringLiteral("forced_connacks"), gate_.forcedConnacksLeft()},
                                             {QStringLiteral("refusing"), gate_.isRefusing()},
                                             {QStringLiteral("stall"), stallName(faults.stall)},
                                             {QStringLiteral("delay_ms"), faults.delayMs}}}};
  return {200, QJsonDocument(object)};
}

LabControlAnswer M2mLabControl::applyFault(const QByteArray& body) {
  QJsonParseError parseError{};
  const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
  if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
    return refuse(400, QStringLiteral("body must be a JSON object"));
  }
  const QJsonObject object = document.object();
  const QString kind = object.value(QStringLiteral("kind")).toString();
  if (kind == QStringLiteral("connack")) {
    const auto code = integer(object, QStringLiteral("code"), 1, 255, std::nullopt);
    const auto count = integer(object, QStringLiteral("count"), 1, 1'000'000, 1);
    if (!code)
      return refuse(400,
                    QStringLiteral("\"code\" must be an integer from 1 to 255 (0 accepts: use kind none)"));
    if (!count) return refuse(400, QStringLiteral("\"count\" must be an integer from 1 to 1000000"));
    gate_.forceConnack(static_cast<gagent::proto::ConnackCode>(*code), *count);
    return ok();
  }
  if (kind == QStringLiteral("refuse")) {
    if (!gate_.setRefusing(true)) return refuse(500, gate_.errorString());
    return ok();
  }
  if (kind == QStringLiteral("drop")) {
    gate_.dropAll();
    return ok();
  }
  if (kind == QStringLiteral("stall")) {
    const QString direction = object.value(QStringLiteral("direction")).toString(QStringLiteral("both"));
    GateStall stall = GateStall::Both;
    if (direction == QStringLiteral("to-broker")) {
      stall = GateStall::ToBroker;
    } else if (direction == QStringLiteral("to-device")) {
      stall = GateStall::ToDevice;
    } else if (direction != QStringLiteral("both")) {
      return refuse(400, QStringLiteral("\"direction\" must be both, to-broker or to-device"));
    }
    gate_.setStall(stall);
    return ok();
  }
  if (kind == QStringLiteral("delay")) {
    const auto ms = integer(object, QStringLiteral("ms"), 0, kMaxDelayMs, std::nullopt);
    if (!ms) return refuse(400, QStringLiteral("\"ms\" must be an integer from 0 to %1").arg(kMaxDelayMs));
    gate_.setDelay(*ms);
    return ok();
  }
  if (kind == QStringLiteral("none")) {
    gate_.forceConnack(gagent::proto::ConnackCode::Accepted, 0);
    gate_.setStall(GateStall::None);
    gate_.setDelay(0);
    if (!gate_.setRefusing(false)) return refuse(500, gate_.errorString());
    return ok();
  }
  return refuse(400, QStringLiteral("\"kind\" must be connack, refuse, drop, stall, delay or none"));
}

}  // namespace gizrig::cloud
