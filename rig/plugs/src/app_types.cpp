#include "gizrig/plugs/app_types.h"

#include "gagent/proto/lan_commands.h"
#include "gizrig/plugs/lan_bytes.h"

namespace gizrig::core {

namespace proto = gagent::proto;

namespace {
QString text(std::string_view view) {
  return QString::fromLatin1(view.data(), static_cast<qsizetype>(view.size()));
}
}  // namespace

QString appOutcomeName(AppOutcome outcome) {
  switch (outcome) {
    case AppOutcome::Ok:
      return QStringLiteral("ok");
    case AppOutcome::Timeout:
      return QStringLiteral("timeout");
    case AppOutcome::Error:
      return QStringLiteral("error");
  }
  return QStringLiteral("error");
}

QVariantMap DiscoveredDevice::toFields() const {
  QVariantMap fields{{"address", address.toString()},
                     {"port", port},
                     {"did", did},
                     {"mac", macHex()},
                     {"productKey", productKey},
                     {"mcuAttr", QString::fromLatin1(mcuAttr.toHex())},
                     {"firmwareVersion", firmwareVersion},
                     {"time", static_cast<qint64>(seenAt)}};
  if (apiServer) fields.insert("apiServer", *apiServer);
  if (gagentVersion) fields.insert("gagentVersion", *gagentVersion);
  if (roundTripMs >= 0) fields.insert("roundTripMs", static_cast<qint64>(roundTripMs));
  return fields;
}

std::optional<DiscoveredDevice> parseDeviceAnnounce(const QByteArray& payload) {
  const auto parsed = proto::parseLanDeviceAnnounce(asProtoBytes(payload));
  if (!parsed.ok()) return std::nullopt;
  DiscoveredDevice device;
  device.did = text(parsed.value.did);
  device.mac = toQByteArray(parsed.value.mac);
  device.productKey = text(parsed.value.productKey);
  device.mcuAttr = toQByteArray(parsed.value.mcuAttr);
  device.firmwareVersion = text(parsed.value.firmwareVersion);
  if (parsed.value.apiServer) device.apiServer = text(*parsed.value.apiServer);
  if (parsed.value.gagentVersion) device.gagentVersion = text(*parsed.value.gagentVersion);
  return device;
}

QVariantMap ConfigSuccess::toFields() const {
  return {{"address", address.toString()},
          {"mac", QString::fromLatin1(mac.toHex().toUpper())},
          {"productKey", productKey},
          {"did", did},
          {"time", static_cast<qint64>(seenAt)}};
}

std::optional<ConfigSuccess> parseConfigSuccess(const QByteArray& payload) {
  const auto parsed = proto::parseLanConfigSuccess(asProtoBytes(payload));
  if (!parsed.ok()) return std::nullopt;
  ConfigSuccess success;
  success.mac = toQByteArray(parsed.value.mac);
  success.productKey = text(parsed.value.productKey);
  success.did = text(parsed.value.did);
  return success;
}

}  // namespace gizrig::core
