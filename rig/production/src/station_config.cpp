#include "gizrig/production/station_config.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gizrig::core {

namespace {

bool fail(QString* error, const QString& path, const QString& why) {
  if (error != nullptr) *error = QStringLiteral("%1: %2").arg(path, why);
  return false;
}

bool readInt(const QJsonObject& o, const char* key, RigMillis& out, QString* error, const QString& path) {
  if (!o.contains(key)) return true;
  if (!o[key].isDouble() || o[key].toDouble() < 0)
    return fail(error, path, QStringLiteral("limits.%1 must be a number >= 0").arg(key));
  out = static_cast<RigMillis>(o[key].toDouble());
  return true;
}

}  // namespace

std::optional<StationConfig> StationConfig::load(const QString& path, QString* error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    fail(error, path, file.errorString());
    return std::nullopt;
  }
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
  if (!doc.isObject()) {
    fail(error, path,
         QStringLiteral("not a JSON object (%1 at offset %2)")
             .arg(parseError.errorString())
             .arg(parseError.offset));
    return std::nullopt;
  }
  const QJsonObject o = doc.object();
  StationConfig c;
  c.station = o["station"].toString();
  c.product = o["product"].toString();
  if (c.station.isEmpty() || c.product.isEmpty()) {
    fail(error, path, QStringLiteral("'station' and 'product' are required"));
    return std::nullopt;
  }
  c.line = o["line"].toString();
  c.operatorName = o["operator"].toString();
  c.database = o["database"].toString();
  c.broadcast = o["broadcast"].toString(c.broadcast);
  if (QHostAddress(c.broadcast).isNull()) {
    fail(error, path, QStringLiteral("'broadcast' is not an address"));
    return std::nullopt;
  }
  if (o.contains("test_routers")) {
    c.testRouters.clear();
    for (const QJsonValue& v : o["test_routers"].toArray()) c.testRouters << v.toString();
  }
  const QJsonObject limits = o["limits"].toObject();
  RigMillis signal = c.limits.minSignalLevel;
  RigMillis value = c.limits.controlValue;
  if (!readInt(limits, "min_signal_level", signal, error, path) ||
      !readInt(limits, "max_join_ms", c.limits.maxJoinMs, error, path) ||
      !readInt(limits, "max_control_round_trip_ms", c.limits.maxControlRoundTripMs, error, path) ||
      !readInt(limits, "step_timeout_ms", c.limits.stepTimeoutMs, error, path) ||
      !readInt(limits, "control_value", value, error, path)) {
    return std::nullopt;
  }
  if (signal > 6) {
    fail(error, path, QStringLiteral("limits.min_signal_level is an S4.3 level ordinal 0-6"));
    return std::nullopt;
  }
  c.limits.minSignalLevel = static_cast<int>(signal);
  c.limits.controlValue = static_cast<int>(value);
  c.limits.controlPoint = limits["control_point"].toString(c.limits.controlPoint);
  int index = 0;
  for (const QJsonValue& v : o["slots"].toArray()) {
    const QJsonObject s = v.toObject();
    ++index;
    SlotConfig slot{s["name"].toString(QString::number(index)), s["serial_port"].toString(),
                    QHostAddress(s["module_ip"].toString())};
    if (slot.serialPort.isEmpty()) {
      fail(error, path, QStringLiteral("slots[%1].serial_port is required").arg(index - 1));
      return std::nullopt;
    }
    c.slotConfigs << slot;
  }
  return c;
}

}  // namespace gizrig::core
