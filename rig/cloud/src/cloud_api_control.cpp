// The control endpoint of the stand-in cloud (/lab/...), JSON in and out, for the rig and scripts:
//   POST   /lab/fault     {"endpoint":"provision"|"*","kind":"status","status":400,"error_code":9016,
//                          "delay_ms":N,"count":N}   (count absent = persistent; kind "none" clears)
//   GET    /lab/faults
//   POST   /lab/firmware  {"hard_version":..,"soft_version":..,"fid":N,"format":"bin"|"hex",
//                          one of "hex":"..", "base64":"..", "path":"<name in the firmware directory>"}
//   GET    /lab/firmware
//   GET    /lab/devices           DELETE /lab/devices/<did>
//   GET    /lab/requests          DELETE /lab/requests
//   POST   /lab/down      {"down":true,"for_ms":N}   (for_ms required to go down: the control endpoint
//                                                     goes down with the API and could not bring it back)
//   GET|POST /lab/m2m     the M2M gate's state and faults, answered by the hook the lab sets
//                         (setM2mControl; see m2m_lab_control.h), 404 without one
// Anything else is 404, a bad request 400 {"error":"<what is wrong>"}. Every request carries the lab secret
// (checked in cloud_api_server.cpp before anything here runs).
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include "api_answer.h"
#include "gizrig/cloud/cloud_api_server.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/firmware_store.h"
#include "gizrig/files/capped_file.h"

namespace gizrig::cloud {

using detail::ApiAnswer;

namespace {

constexpr std::string_view kDevicesPrefix = "/lab/devices/";
constexpr int kMaxDelayMs = 10 * 60 * 1000;

// The JSON object of a control body; nullopt with `error` set otherwise.
std::optional<QJsonObject> parseObject(std::string_view body, QString& error) {
  QJsonParseError parseError{};
  const QJsonDocument document =
      QJsonDocument::fromJson(QByteArray(body.data(), static_cast<qsizetype>(body.size())), &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    error = QStringLiteral("body is not JSON: %1 at offset %2")
                .arg(parseError.errorString())
                .arg(parseError.offset);
    return std::nullopt;
  }
  if (!document.isObject()) {
    error = QStringLiteral("body must be a JSON object");
    return std::nullopt;
  }
  return document.object();
}

// An integer field in [min, max]; nullopt with `error` when present but not such a number, `fallback` when
// absent.
std::optional<qint64> integerField(const QJsonObject& object, const QString& key, qint64 min, qint64 max,
                                   std::optional<qint64> fallback, QString& error) {
  const QJsonValue value = object.value(key);
  if (value.isUndefined()) {
    if (!fallback) error = QStringLiteral("\"%1\" is required").arg(key);
    return fallback;
  }
  const double number = value.toDouble(-1.5);
  const auto integer = static_cast<qint64>(number);
  if (!value.isDouble() || static_cast<double>(integer) != number || integer < min || integer > max) {
    error = QStringLiteral("\"%1\" must be an integer from %2 to %3").arg(key).arg(min).arg(max);
    return std::nullopt;
  }
  return integer;
}

bool isHexText(const QString& text) {
  if (text.size() % 2 != 0) return false;
  for (const QChar c : text) {
    if (!(c.isDigit() || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'))) return false;
  }
  return true;
}

QJsonObject toJson(const RegisteredDevice& device) {
  return {{QStringLiteral("did"), device.did},
          {QStringLiteral("passcode"), device.passcode},
          {QStringLiteral("product_key"), device.productKey},
          {QStringLiteral("mac"), device.mac},
          {QStringLiteral("registered"), device.registeredAt.toString(Qt::ISODateWithMs)}};
}

QJsonObject toJson(const ApiRequestRecord& record) {
  QJsonObject form;
  for (const auto& [key, value] : record.form) {
    if (!form.contains(key)) form.insert(key, value);
  }
  return {{QStringLiteral("time"), record.time.toString(Qt::ISODateWithMs)},
          {QStringLiteral("method"), record.method},
          {QStringLiteral("path"), record.path},
          {QStringLiteral("endpoint"),
           record.endpoint ? QJsonValue(apiEndpointName(*record.endpoint)) : QJsonValue(QJsonValue::Null)},
          {QStringLiteral("status"), record.status},
          {QStringLiteral("fault"), apiFaultKindName(record.fault)},
          {QStringLiteral("form"), form}};
}

QJsonObject toJson(const ApiFault& fault, int count) {
  QJsonObject object{
      {QStringLiteral("kind"), apiFaultKindName(fault.kind)},
      {QStringLiteral("count"),
       count == CloudApiServer::kPersistent ? QJsonValue(QStringLiteral("persistent")) : QJsonValue(count)}};
  if (fault.kind == ApiFault::Kind::Status) {
    object.insert(QStringLiteral("status"), fault.status);
    if (fault.errorCode) object.insert(QStringLiteral("error_code"), *fault.errorCode);
  }
  if (fault.kind == ApiFault::Kind::Delay) object.insert(QStringLiteral("delay_ms"), fault.delayMs);
  return object;
}

QJsonObject ok() {
  return {{QStringLiteral("ok"), true}};
}

}  // namespace

ApiAnswer CloudApiServer::control(std::string_view method, std::string_view path, std::string_view body) {
  if (path == "/lab/fault" && method == "POST") return controlFault(body);
  if (path == "/lab/faults" && method == "GET") return controlFaults();
  if (path == "/lab/firmware" && method == "POST") return controlPublishFirmware(body);
  if (path == "/lab/firmware" && method == "GET") return controlFirmwareList();
  if (path == "/lab/devices" && method == "GET") return controlDevices();
  if (path.starts_with(kDevicesPrefix) && method == "DELETE") {
    return controlRemoveDevice(path.substr(kDevicesPrefix.size()));
  }
  if (path == "/lab/requests" && method == "GET") return controlRequests();
  if (path == "/lab/requests" && method == "DELETE") {
    clearRequests();
    return ApiAnswer::json(200, QJsonDocument(ok()));
  }
  if (path == "/lab/down" && method == "POST") return controlDown(body);
  if (path == "/lab/m2m" && (method == "GET" || method == "POST")) {
    if (!m2mControl_)
      return ApiAnswer::controlError(404, QStringLiteral("no M2M gate is wired to this cloud API"));
    const LabControlAnswer answer =
        m2mControl_(QString::fromLatin1(method.data(), static_cast<qsizetype>(method.size())),
                    QByteArray(body.data(), static_cast<qsizetype>(body.size())));
    return ApiAnswer::json(answer.status, answer.body);
  }
  return ApiAnswer::controlError(
      404, QStringLiteral("no control request %1 %2")
               .arg(QString::fromUtf8(method.data(), static_cast<qsizetype>(method.size())),
                    QString::fromUtf8(path.data(), static_cast<qsizetype>(path.size()))));
}

ApiAnswer CloudApiServer::controlFault(std::string_view body) {
  QString error;
  const auto object = parseObject(body, error);
  if (!object) return ApiAnswer::controlError(400, error);

  const QString endpointName = object->value(QStringLiteral("endpoint")).toString();
  std::optional<ApiEndpoint> endpoint;
  if (endpointName != QStringLiteral("*")) {
    endpoint = apiEndpointFromName(endpointName);
    if (!endpoint) {
      return ApiAnswer::controlError(
          400,
          QStringLiteral("\"endpoint\" must be register, provision, unregister, ota-check, download or *"));
    }
  }
  const auto kind = apiFaultKindFromName(object->value(QStringLiteral("kind")).toString());
  if (!kind) {
    return ApiAnswer::controlError(
        400, QStringLiteral("\"kind\" must be none, status, garbage, delay, close or stall"));
  }
  ApiFault fault;
  fault.kind = *kind;
  if (*kind == ApiFault::Kind::Status) {
    const auto status = integerField(*object, QStringLiteral("status"), 100, 599, std::nullopt, error);
    if (!status) return ApiAnswer::controlError(400, error);
    fault.status = static_cast<quint16>(*status);
    if (object->contains(QStringLiteral("error_code"))) {
      const auto code =
          integerField(*object, QStringLiteral("error_code"), INT32_MIN, INT32_MAX, std::nullopt, error);
      if (!code) return ApiAnswer::controlError(400, error);
      fault.errorCode = static_cast<qint32>(*code);
    }
  }
  if (*kind == ApiFault::Kind::Delay) {
    const auto delay = integerField(*object, QStringLiteral("delay_ms"), 1, kMaxDelayMs, std::nullopt, error);
    if (!delay) return ApiAnswer::controlError(400, error);
    fault.delayMs = static_cast<int>(*delay);
  }
  int count = kPersistent;
  if (object->value(QStringLiteral("count")) != QJsonValue(QStringLiteral("persistent"))) {
    const auto value = integerField(*object, QStringLiteral("count"), 1, INT32_MAX, kPersistent, error);
    if (!value) return ApiAnswer::controlError(400, error);
    count = static_cast<int>(*value);
  }

  if (endpoint) {
    setFault(*endpoint, fault, count);
  } else if (*kind == ApiFault::Kind::None) {
    clearFaults();
  } else {
    for (std::size_t i = 0; i < kApiEndpointCount; ++i) setFault(static_cast<ApiEndpoint>(i), fault, count);
  }
  return ApiAnswer::json(200, QJsonDocument(ok()));
}

ApiAnswer CloudApiServer::controlFaults() const {
  QJsonObject faults;
  for (std::size_t i = 0; i < kApiEndpointCount; ++i) {
    const auto endpoint = static_cast<ApiEndpoint>(i);
    if (const auto slot = fault(endpoint))
      faults.insert(apiEndpointName(endpoint), toJson(slot->first, slot->second));
  }
  return ApiAnswer::json(200, QJsonDocument(faults));
}

ApiAnswer CloudApiServer::controlPublishFirmware(std::string_view body) {
  QString error;
  const auto object = parseObject(body, error);
  if (!object) return ApiAnswer::controlError(400, error);
  const QString hardVersion = object->value(QStringLiteral("hard_version")).toString();
  const QString softVersion = object->value(QStringLiteral("soft_version")).toString();
  if (hardVersion.isEmpty() || softVersion.isEmpty()) {
    return ApiAnswer::controlError(400, QStringLiteral("\"hard_version\" and \"soft_version\" are required"));
  }
  const auto fid = integerField(*object, QStringLiteral("fid"), 0, UINT32_MAX, std::nullopt, error);
  if (!fid) return ApiAnswer::controlError(400, error);
  FirmwareFormat format = FirmwareFormat::Bin;
  const QString formatName = object->value(QStringLiteral("format")).toString(QStringLiteral("bin"));
  if (formatName == QStringLiteral("hex")) {
    format = FirmwareFormat::Hex;
  } else if (formatName != QStringLiteral("bin")) {
    return ApiAnswer::controlError(400, QStringLiteral("\"format\" must be bin or hex"));
  }

  QByteArray image;
  const int sources = int(object->contains(QStringLiteral("hex"))) +
                      int(object->contains(QStringLiteral("base64"))) +
                      int(object->contains(QStringLiteral("path")));
  if (sources != 1) {
    return ApiAnswer::controlError(400,
                                   QStringLiteral("give exactly one of \"hex\", \"base64\" or \"path\""));
  }
  if (object->contains(QStringLiteral("hex"))) {
    const QString hex = object->value(QStringLiteral("hex")).toString();
    if (!isHexText(hex))
      return ApiAnswer::controlError(400, QStringLiteral("\"hex\" is not an even number of hex digits"));
    image = QByteArray::fromHex(hex.toLatin1());
  } else if (object->contains(QStringLiteral("base64"))) {
    const auto decoded =
        QByteArray::fromBase64Encoding(object->value(QStringLiteral("base64")).toString().toLatin1(),
                                       QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return ApiAnswer::controlError(400, QStringLiteral("\"base64\" is not valid base64"));
    image = *decoded;
  } else {
    auto bytes = readFirmwareFile(object->value(QStringLiteral("path")).toString(), error);
    if (!bytes) return ApiAnswer::controlError(400, error);
    image = std::move(*bytes);
  }
  if (image.size() > kMaxFirmwareBytes) {
    return ApiAnswer::controlError(
        400,
        QStringLiteral("the image is larger than %1 bytes (%2)").arg(kMaxFirmwareBytes).arg(image.size()));
  }

  const auto published =
      firmware_.publish(hardVersion, softVersion, static_cast<quint32>(*fid), image, format);
  if (!published) return ApiAnswer::controlError(400, firmware_.lastError());
  return ApiAnswer::json(
      201, QJsonDocument(QJsonObject{{QStringLiteral("name"), published->name},
                                     {QStringLiteral("md5"), published->md5Hex},
                                     {QStringLiteral("size"), published->size},
                                     {QStringLiteral("fid"), qint64{published->fid}},
                                     {QStringLiteral("hard_version"), published->hardwareVersion},
                                     {QStringLiteral("soft_version"), published->softwareVersion},
                                     {QStringLiteral("download_url"), downloadUrl(*published)}}));
}

std::optional<QByteArray> CloudApiServer::readFirmwareFile(const QString& path, QString& error) const {
  if (settings_.firmwareDirectory.isEmpty()) {
    error = QStringLiteral(
        "\"path\" is refused: this lab has no firmware directory (upload \"hex\" or \"base64\")");
    return std::nullopt;
  }
  // Relative names are looked up in the directory; whatever the name, the file it resolves to (symlinks and
  // ".." followed) must be inside it, so the lab never publishes a file of its host.
  const QDir directory(settings_.firmwareDirectory);
  const QString root = QFileInfo(directory.absolutePath()).canonicalFilePath();
  const QString resolved = QFileInfo(directory.absoluteFilePath(path)).canonicalFilePath();
  if (root.isEmpty() || resolved.isEmpty() || !resolved.startsWith(root + u'/')) {
    error =
        QStringLiteral("\"path\" must name a file in the lab's firmware directory %1").arg(directory.path());
    return std::nullopt;
  }
  QString why;
  auto bytes = core::readCappedFile(resolved, kMaxFirmwareBytes, &why);
  if (!bytes) error = QStringLiteral("cannot publish %1").arg(why);
  return bytes;
}

ApiAnswer CloudApiServer::controlFirmwareList() const {
  QJsonArray list;
  for (const PublishedFirmware& firmware : firmware_.list()) {
    list.append(QJsonObject{{QStringLiteral("name"), firmware.name},
                            {QStringLiteral("md5"), firmware.md5Hex},
                            {QStringLiteral("size"), firmware.size},
                            {QStringLiteral("fid"), qint64{firmware.fid}},
                            {QStringLiteral("hard_version"), firmware.hardwareVersion},
                            {QStringLiteral("soft_version"), firmware.softwareVersion},
                            {QStringLiteral("download_url"), downloadUrl(firmware)}});
  }
  return ApiAnswer::json(200, QJsonDocument(list));
}

ApiAnswer CloudApiServer::controlDevices() const {
  QJsonArray list;
  for (const RegisteredDevice& device : registry_.devices()) list.append(toJson(device));
  return ApiAnswer::json(200, QJsonDocument(list));
}

ApiAnswer CloudApiServer::controlRemoveDevice(std::string_view did) {
  const QString text = QString::fromUtf8(did.data(), static_cast<qsizetype>(did.size()));
  if (!registry_.unregister(text))
    return ApiAnswer::controlError(404, QStringLiteral("no device %1").arg(text));
  return ApiAnswer::json(200, QJsonDocument(ok()));
}

ApiAnswer CloudApiServer::controlRequests() const {
  QJsonArray list;
  for (const ApiRequestRecord& record : requests_) list.append(toJson(record));
  return ApiAnswer::json(200, QJsonDocument(list));
}

ApiAnswer CloudApiServer::controlDown(std::string_view body) {
  QString error;
  const auto object = parseObject(body, error);
  if (!object) return ApiAnswer::controlError(400, error);
  const QJsonValue down = object->value(QStringLiteral("down"));
  if (!down.isBool()) return ApiAnswer::controlError(400, QStringLiteral("\"down\" must be true or false"));
  if (!down.toBool()) return ApiAnswer::json(200, QJsonDocument(ok()));  // it is up: this request arrived
  const auto forMs = integerField(*object, QStringLiteral("for_ms"), 1, kMaxDelayMs, std::nullopt, error);
  if (!forMs) return ApiAnswer::controlError(400, error);
  // After this answer is on its way: closing the listener does not touch accepted connections.
  QTimer::singleShot(0, this, [this, ms = static_cast<int>(*forMs)] { setDown(true, ms); });
  return ApiAnswer::json(200, QJsonDocument(ok()));
}

}  // namespace gizrig::cloud
