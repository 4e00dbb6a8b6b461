#include "gizrig/virtual/sim_cloud_control.h"

#include <optional>
#include <vector>

#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gagent/sim/sim_cloud.h"
#include "gizrig/plugs/lan_bytes.h"

namespace gizrig::core {

namespace sim = gagent::sim;
namespace proto = gagent::proto;

namespace {

// "*" (all), or one endpoint by its name (cloudEndpointName; "ota_check" too).
std::optional<std::vector<sim::CloudEndpoint>> endpointsNamed(const QString& name) {
  std::vector<sim::CloudEndpoint> all;
  for (std::size_t i = 0; i < sim::kCloudEndpointCount; ++i) {
    const auto endpoint = static_cast<sim::CloudEndpoint>(i);
    const std::string_view text = sim::cloudEndpointName(endpoint);
    if (name == QLatin1String(text.data(), static_cast<qsizetype>(text.size()))) return std::vector{endpoint};
    all.push_back(endpoint);
  }
  if (name == "*") return all;
  if (name == "ota_check") return std::vector{sim::CloudEndpoint::OtaCheck};
  return std::nullopt;
}

// A non-negative integer field, or nullopt with `error` set when present but not one.
std::optional<qint64> intField(const QVariantMap& map, const QString& key, qint64 fallback, qint64 min,
                               qint64 max, QString& error) {
  if (!map.contains(key)) return fallback;
  bool ok = false;
  const qint64 value = map.value(key).toLongLong(&ok);
  if (!ok || value < min || value > max) {
    error = QStringLiteral("\"%1\" must be a number from %2 to %3").arg(key).arg(min).arg(max);
    return std::nullopt;
  }
  return value;
}

}  // namespace

SimCloudControl::SimCloudControl(sim::SimCloud& cloud, VirtualRigClock& clock, QObject* parent)
    : QObject(parent), cloud_(cloud), clock_(clock) {
  publishesSeen_ = cloud_.publishedByDevice().size();
  serviceId_ = clock_.addService([this](RigMillis now) { return service(now); },
                                 [this]() -> RigMillis {
                                   const gagent::hal::Millis next = cloud_.nextDeadline();
                                   return next == gagent::hal::kNever ? VirtualRigClock::kNoDeadline
                                                                      : static_cast<RigMillis>(next);
                                 });
}

SimCloudControl::~SimCloudControl() {
  clock_.removeService(serviceId_);
}

bool SimCloudControl::service(RigMillis now) {
  const bool sent = cloud_.service(static_cast<gagent::hal::Millis>(now));
  emitPublishes();
  return sent;
}

void SimCloudControl::emitPublishes() {
  const auto& published = cloud_.publishedByDevice();
  while (publishesSeen_ < published.size()) {
    const sim::DevicePublish& p = published[publishesSeen_++];
    const QString topic = QString::fromStdString(p.topic);
    const QString did = QString::fromStdString(p.did);
    const QString ownTopic = QStringLiteral("dev2app/") + did;
    if (!p.ownTopic || !(topic == ownTopic || topic.startsWith(ownTopic + QLatin1Char('/')))) continue;
    QVariantMap fields{{"time", static_cast<qint64>(p.time)},
                       {"did", did},
                       {"topic", topic},
                       {"clientId", topic.mid(ownTopic.size() + 1)},
                       {"packet", QString::fromLatin1(toQByteArray(p.payload).toHex())}};
    const proto::LanDecode decoded = proto::parseLanDatagram(p.payload);
    if (decoded.ok()) {
      const QByteArray payload = toQByteArray(decoded.packet.payload);
      fields.insert("cmd", decoded.packet.cmd);
      fields.insert("payload", QString::fromLatin1(payload.toHex()));
      if (decoded.packet.cmd == proto::toU16(proto::LanCmd::P0FromDevice)) {
        fields.insert("p0", QString::fromLatin1(payload.toHex()));
      } else if (decoded.packet.cmd == proto::toU16(proto::LanCmd::P0FromDeviceSn) && payload.size() >= 4) {
        const auto b = [&](int i) { return static_cast<quint32>(static_cast<quint8>(payload[i])); };
        fields.insert("sn", (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3));
        fields.insert("p0", QString::fromLatin1(payload.mid(4).toHex()));
      }
    } else {
      fields.insert("error", QStringLiteral("not a LAN packet"));
    }
    emit event(QStringLiteral("cloud.app"), fields);
  }
}

void SimCloudControl::complete(Done done, CloudResult result) {
  clock_.requestPass();  // a publish or a dropped session is news for the module
  clock_.callAt(clock_.nowMs(), this, [done = std::move(done), result = std::move(result)] {
    if (done) done(result);
  });
}

void SimCloudControl::setHttpFault(const QString& endpoint, const QVariantMap& fault, Done done) {
  const auto endpoints = endpointsNamed(endpoint);
  if (!endpoints)
    return complete(
        std::move(done),
        fail(QStringLiteral("unknown endpoint \"%1\" (register, provision, unregister, ota_check, "
                            "download or *)")
                 .arg(endpoint)));
  const QString kind = fault.value("kind", "none").toString();
  QString error;
  std::size_t count = sim::SimCloud::kPersistent;
  if (fault.contains("count") && fault.value("count").toString() != "persistent") {
    const auto n = intField(fault, "count", 0, 1, 1'000'000, error);
    if (!n) return complete(std::move(done), fail(error));
    count = static_cast<std::size_t>(*n);
  }
  sim::HttpFault httpFault;
  if (kind == "none") {
    httpFault = {};
  } else if (kind == "status") {
    const auto status = intField(fault, "status", 500, 100, 599, error);
    if (!status) return complete(std::move(done), fail(error));
    std::optional<std::int32_t> code;
    if (fault.contains("error_code")) {
      const auto c = intField(fault, "error_code", 0, 0, 2'147'483'647, error);
      if (!c) return complete(std::move(done), fail(error));
      code = static_cast<std::int32_t>(*c);
    }
    httpFault = sim::HttpFault::withStatus(static_cast<std::uint16_t>(*status), code);
  } else if (kind == "garbage") {
    httpFault = sim::HttpFault::garbage();
  } else if (kind == "delay") {
    const auto ms = intField(fault, "delay_ms", -1, 0, 24LL * 3600 * 1000, error);
    if (!ms || *ms < 0)
      return complete(std::move(done),
                      fail(error.isEmpty() ? QStringLiteral("delay needs \"delay_ms\"") : error));
    httpFault = sim::HttpFault::delayed(static_cast<gagent::hal::Millis>(*ms));
  } else if (kind == "close") {
    httpFault = sim::HttpFault::closeWithoutAnswer();
  } else if (kind == "stall") {
    return complete(std::move(done),
                    fail(QStringLiteral("the in-process cloud cannot stall a request (use delay or close)")));
  } else {
    return complete(
        std::move(done),
        fail(QStringLiteral("unknown HTTP fault kind \"%1\" (status, garbage, delay, close, none)")
                 .arg(kind)));
  }
  for (const sim::CloudEndpoint e : *endpoints) cloud_.setFault(e, httpFault, count);
  complete(std::move(done), ok());
}

void SimCloudControl::setM2mFault(const QVariantMap& fault, Done done) {
  const QString kind = fault.value("kind", "none").toString();
  QString error;
  if (kind == "none") {
    cloud_.setM2mDown(false);
    cloud_.setSilent(false);
    cloud_.forceConnack(proto::ConnackCode::Accepted, 0);
  } else if (kind == "connack") {
    const auto code = intField(fault, "code", -1, 1, 5, error);
    if (!code || *code < 0)
      return complete(std::move(done),
                      fail(error.isEmpty() ? QStringLiteral("connack needs \"code\" 1 to 5") : error));
    const auto count = intField(fault, "count", 1, 1, 1'000'000, error);
    if (!count) return complete(std::move(done), fail(error));
    cloud_.forceConnack(static_cast<proto::ConnackCode>(*code), static_cast<std::size_t>(*count));
  } else if (kind == "refuse") {
    cloud_.setM2mDown(true);
  } else if (kind == "drop") {
    cloud_.dropAllSessions();
  } else if (kind == "stall") {
    cloud_.setSilent(true);
  } else if (kind == "delay") {
    return complete(std::move(done), fail(QStringLiteral("the in-process broker cannot delay its relay")));
  } else {
    return complete(
        std::move(done),
        fail(QStringLiteral("unknown M2M fault kind \"%1\" (connack, refuse, drop, stall, none)").arg(kind)));
  }
  complete(std::move(done), ok());
}

void SimCloudControl::publishFirmware(const QString& hardwareVersion, const QString& softwareVersion, int fid,
                                      const QByteArray& image, Done done) {
  if (hardwareVersion.isEmpty() || softwareVersion.isEmpty() || fid < 0 || image.isEmpty())
    return complete(
        std::move(done),
        fail(QStringLiteral("firmware needs a hardware and software version, a FID >= 0 and an image")));
  const auto& firmware = cloud_.publishFirmware(hardwareVersion.toStdString(), softwareVersion.toStdString(),
                                                static_cast<std::uint32_t>(fid),
                                                std::vector<std::uint8_t>(image.begin(), image.end()));
  complete(std::move(done), ok({{"name", QString::fromStdString(firmware.name)},
                                {"md5", QString::fromStdString(firmware.md5Hex)},
                                {"url", QString::fromStdString(cloud_.downloadUrl(firmware))}}));
}

void SimCloudControl::pushOta(const QString& did, Done done) {
  if (!cloud_.pushOta(did.toStdString(), proto::OtaFirmwareType::Wifi))
    return complete(std::move(done),
                    fail(QStringLiteral("device %1 has no M2M session to push to").arg(did)));
  complete(std::move(done), ok());
}

void SimCloudControl::appPublish(const QString& did, const QString& clientId, const QByteArray& lanPacket,
                                 Done done) {
  if (clientId.isEmpty() || clientId.contains(QLatin1Char('/')) || clientId.contains(QLatin1Char('#')) ||
      clientId.contains(QLatin1Char('+')))
    return complete(std::move(done), fail(QStringLiteral("a client id is a non-empty topic level")));
  if (!cloud_.appPublish(did.toStdString(), clientId.toStdString(), asProtoBytes(lanPacket)))
    return complete(std::move(done),
                    fail(QStringLiteral("device %1 has no M2M session subscribed to app2dev").arg(did)));
  complete(std::move(done), ok());
}

void SimCloudControl::deviceStatus(const QString& did, Done done) {
  const std::string id = did.toStdString();
  complete(std::move(done), ok({{"did", did},
                                {"registered", cloud_.registry().find(id) != nullptr},
                                {"online", cloud_.deviceOnline(id)}}));
}

}  // namespace gizrig::core
