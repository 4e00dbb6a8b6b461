// cloud.* actions through CloudControl (the lab's stand-in cloud, or SimCloud). The cloud is part of the rig,
// so a control call that fails is ERROR; what the DUT then does shows up as events.
#include "actions_params.h"
#include "gagent/core/firmware_image.h"
#include "gizrig/plugs/app_p0.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/cloud_control.h"
#include "gizrig/plugs/lan_bytes.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::core {
namespace {

namespace proto = gagent::proto;
using namespace actions;

CloudControl::Done finishWith(ActionDone done) {
  return [done = std::move(done)](const CloudResult& result) {
    if (!result.ok) return done(ActionResult::error(QStringLiteral("cloud: %1").arg(result.error)));
    done(ActionResult::pass(result.data));
  };
}

bool needCloud(RunContext& context, ActionDone& done) {
  if (context.cloud != nullptr) return true;
  done(missingPlug(QStringLiteral("cloud control")));
  return false;
}

// The DUT's DID: the step's, the context's, or the latest one an event carried (discovery, registration).
QString didFor(const ActionCall& call, const RunContext& context) {
  QString did = text(call.params, "did", context.did);
  if (did.isEmpty() && call.history != nullptr)
    did = call.history->latestField(QStringLiteral("did")).toString();
  return did;
}

// cloud.fault {endpoint: register|provision|unregister|ota_check|download, fault: {kind, status, error_code,
// delay_ms, count}}
void cloudFault(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needCloud(context, done)) return;
  context.cloud->setHttpFault(text(call.params, "endpoint"), call.params.value("fault").toMap(),
                              finishWith(done));
}

// cloud.m2mFault {fault: {kind: connack|refuse|drop|stall|delay|none, code, count, ms}}
void cloudM2mFault(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needCloud(context, done)) return;
  context.cloud->setM2mFault(call.params.value("fault").toMap(), finishWith(done));
}

// cloud.publishFirmware {hardwareVersion, softwareVersion, fid, firmwareVersion?, size?: 4096 | imageHex}: a
// module image in the firmware's format (FirmwareImage: header + a deterministic payload, byte i = i mod 251,
// of `size` bytes) unless the step gives its raw bytes (e.g. a broken image).
void cloudPublishFirmware(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needCloud(context, done)) return;
  const int fid = static_cast<int>(integer(call.params, "fid").value_or(1));
  const QString hw = text(call.params, "hardwareVersion");
  const QString sw = text(call.params, "softwareVersion");
  QByteArray image;
  if (call.params.contains("imageHex")) {
    image = QByteArray::fromHex(text(call.params, "imageHex").toLatin1());
  } else {
    QByteArray payload(static_cast<qsizetype>(integer(call.params, "size").value_or(4096)), '\0');
    for (qsizetype i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i % 251);
    const QString firmwareVersion =
        call.params.value("firmwareVersion", QStringLiteral("26120100")).toString();
    image.resize(payload.size() + 256);
    const std::size_t size = gagent::core::encodeFirmwareImage(
        {reinterpret_cast<std::uint8_t*>(image.data()), static_cast<std::size_t>(image.size())},
        hw.toStdString(), sw.toStdString(), firmwareVersion.toStdString(),
        {reinterpret_cast<const std::uint8_t*>(payload.constData()),
         static_cast<std::size_t>(payload.size())});
    if (size == 0)
      return done(
          ActionResult::error(QStringLiteral("the image cannot be built (versions must be 8 characters)")));
    image.resize(static_cast<qsizetype>(size));
  }
  context.cloud->publishFirmware(
      hw, sw, fid, image, [done, fid, size = image.size()](const CloudResult& result) {
        if (!result.ok) return done(ActionResult::error(QStringLiteral("cloud: %1").arg(result.error)));
        QVariantMap values = result.data;
        values.insert("fid", fid);
        values.insert("size", static_cast<qint64>(size));
        done(ActionResult::pass(values));
      });
}

// cloud.pushOta {did?}
void cloudPushOta(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needCloud(context, done)) return;
  const QString did = didFor(call, context);
  if (did.isEmpty())
    return done(ActionResult::error(QStringLiteral("did: unknown (no DID in the context or any event)")));
  context.cloud->pushOta(did, finishWith(done));
}

// cloud.appControl {values, did?, clientId?: "gizrig-app", sn?: 1}: an app over the cloud sends 0093 with a
// control P0 (S8.7); the module's answer arrives as cloud events.
void cloudAppControl(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needCloud(context, done)) return;
  const proto::Product* product = context.app != nullptr ? context.app->product() : nullptr;
  if (product == nullptr && context.mcu != nullptr) product = &context.mcu->product();
  if (product == nullptr)
    return done(ActionResult::error(QStringLiteral("no product to build the control from")));
  const QString did = didFor(call, context);
  if (did.isEmpty())
    return done(ActionResult::error(QStringLiteral("did: unknown (no DID in the context or any event)")));
  const AppP0Build control = buildControlP0(*product, call.params.value("values").toMap());
  if (!control.ok()) return done(ActionResult::error(QStringLiteral("values: %1").arg(control.error)));
  const auto sn = static_cast<std::uint32_t>(integer(call.params, "sn").value_or(1));
  const QByteArray packet = encodeLanWith(proto::LanCmd::P0ToDeviceSn, [&](proto::ByteWriter& w) {
    proto::buildLanSequencedP0(proto::LanSequencedP0{sn, asProtoBytes(control.p0)}, w);
  });
  if (packet.isEmpty())
    return done(ActionResult::error(QStringLiteral("values: the control does not fit a packet")));
  context.cloud->appPublish(
      did, text(call.params, "clientId", QStringLiteral("gizrig-app")), packet,
      [done, did, sn](const CloudResult& result) {
        if (!result.ok) return done(ActionResult::error(QStringLiteral("cloud: %1").arg(result.error)));
        QVariantMap values = result.data;
        values.insert("did", did);
        values.insert("sn", sn);
        done(ActionResult::pass(values));
      });
}

// cloud.deviceStatus {did?}: values registered, online.
void cloudDeviceStatus(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needCloud(context, done)) return;
  const QString did = didFor(call, context);
  if (did.isEmpty())
    return done(ActionResult::error(QStringLiteral("did: unknown (no DID in the context or any event)")));
  context.cloud->deviceStatus(did, finishWith(done));
}

}  // namespace

void addCloudActions(ActionRegistry& registry) {
  registry.add(
      {"cloud.fault",
       {"endpoint", "fault"},
       "make a cloud HTTP endpoint misbehave",
       cloudFault,
       [](const QVariantMap& p) {
         return firstError(
             {onlyKeys(p, {"endpoint", "fault"}),
              checkOneOf(p, "endpoint", {"register", "provision", "unregister", "ota_check", "download"}),
              checkMap(p, "fault")});
       },
       10000});
  registry.add({"cloud.m2mFault",
                {"fault"},
                "make the M2M (MQTT) server misbehave",
                cloudM2mFault,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"fault"}), checkMap(p, "fault")});
                },
                10000});
  registry.add({"cloud.publishFirmware",
                {"hardwareVersion", "softwareVersion", "fid"},
                "publish a firmware image for OTA",
                cloudPublishFirmware,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"hardwareVersion", "softwareVersion", "firmwareVersion",
                                                  "fid", "size", "imageHex"}),
                                     checkString(p, "hardwareVersion"), checkString(p, "softwareVersion"),
                                     checkInteger(p, "fid", 1, 0x7fffffff),
                                     checkInteger(p, "size", 1, 16 * 1024 * 1024),
                                     checkString(p, "imageHex")});
                },
                30000});
  registry.add({"cloud.pushOta",
                {},
                "push an OTA upgrade to the DUT",
                cloudPushOta,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"did"}), checkString(p, "did")});
                },
                10000});
  registry.add({"cloud.appControl",
                {"values"},
                "an app over the cloud controls the DUT (S8.7)",
                cloudAppControl,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"values", "did", "clientId", "sn"}), checkMap(p, "values"),
                                     checkString(p, "did"), checkString(p, "clientId"),
                                     checkInteger(p, "sn", 1, 0xffffffffLL)});
                },
                10000});
  registry.add({"cloud.deviceStatus",
                {},
                "ask the cloud whether the DUT is registered and online",
                cloudDeviceStatus,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"did"}), checkString(p, "did")});
                },
                10000});
}

}  // namespace gizrig::core
