#include "gizrig/cloud/cloud_plug.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <span>

#include "gagent/proto/lan_packet.h"
#include "gizrig/decode/decode.h"

namespace gizrig::cloud {

using core::CloudResult;

namespace {

QString hexOf(const QByteArray& bytes) {
  return QString::fromLatin1(bytes.toHex());
}

}  // namespace

CloudPlug::CloudPlug(const CloudPlugSettings& settings, AppClient* app, QObject* parent)
    : QObject(parent), settings_(settings), app_(app), network_(this) {
  if (app_ != nullptr) {
    connect(app_, &AppClient::received, this, [this](const QString& topic, const QByteArray& payload) {
      emit event(QStringLiteral("cloud.app"), describeAppMessage(topic, payload));
    });
  }
}

QVariantMap CloudPlug::describeAppMessage(const QString& topic, const QByteArray& payload) {
  const QStringList parts = topic.split(u'/');
  QVariantMap fields{{QStringLiteral("topic"), topic},
                     {QStringLiteral("did"), parts.value(1)},
                     {QStringLiteral("client_id"), parts.value(2)},
                     {QStringLiteral("payload"), hexOf(payload)}};
  const auto* data = reinterpret_cast<const std::uint8_t*>(payload.constData());
  const std::span<const std::uint8_t> bytes(data, static_cast<std::size_t>(payload.size()));
  const gagent::proto::LanDecode packet = gagent::proto::parseLanDatagram(bytes);
  const std::vector<core::DecodedItem> items = core::decodeStream(core::WireProtocol::Lan, bytes);
  const bool one = packet.status == gagent::proto::ParseStatus::Ok && items.size() == 1 && items.front().ok;
  fields.insert(QStringLiteral("ok"), one);
  if (!one) {
    const QString why = items.empty() ? QStringLiteral("empty payload")
                                      : QString::fromStdString(items.front().error.empty()
                                                                   ? std::string("not exactly one LAN packet")
                                                                   : items.front().error);
    fields.insert(QStringLiteral("error"), QStringLiteral("not a LAN packet: %1").arg(why));
    return fields;
  }
  fields.insert(QStringLiteral("error"), QString());
  fields.insert(QStringLiteral("cmd"), static_cast<int>(packet.packet.cmd));
  fields.insert(QStringLiteral("packet"), QString::fromStdString(items.front().name));
  QVariantList decoded;
  for (const auto& [name, value] : items.front().fields) {
    decoded.append(QVariant(QStringList{QString::fromStdString(name), QString::fromStdString(value)}));
  }
  fields.insert(QStringLiteral("fields"), decoded);
  return fields;
}

CloudPlug::Done CloudPlug::reporting(const QString& name, QVariantMap fields, Done done) {
  return [self = QPointer<CloudPlug>(this), name, fields = std::move(fields),
          done = std::move(done)](const CloudResult& result) mutable {
    if (self) {
      fields.insert(QStringLiteral("ok"), result.ok);
      fields.insert(QStringLiteral("error"), result.error);
      for (auto it = result.data.begin(); it != result.data.end(); ++it) {
        if (!fields.contains(it.key())) fields.insert(it.key(), it.value());
      }
      emit self->event(name, fields);
    }
    if (done) done(result);
  };
}

void CloudPlug::completeSoon(Done done, const CloudResult& result) {
  QTimer::singleShot(0, this, [done = std::move(done), result] { done(result); });
}

void CloudPlug::control(const QByteArray& method, const QString& path, const QJsonDocument& body,
                        JsonReply done) {
  QUrl url;
  url.setScheme(QStringLiteral("http"));
  url.setHost(settings_.apiHost);
  url.setPort(settings_.apiPort);
  url.setPath(path);
  QNetworkRequest request(url);
  request.setTransferTimeout(settings_.timeoutMs);
  request.setRawHeader("Authorization", "Bearer " + settings_.secret.toUtf8());
  QByteArray payload;
  if (!body.isNull()) {
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    payload = body.toJson(QJsonDocument::Compact);
  }
  QNetworkReply* reply = network_.sendCustomRequest(request, method, payload);
  connect(reply, &QNetworkReply::finished, this, [reply, path, done = std::move(done)] {
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    if (status == 0) {
      return done({false, QStringLiteral("cloud control %1: %2").arg(path, reply->errorString()), {}}, {});
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(answer, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
      return done(
          {false, QStringLiteral("cloud control %1: HTTP %2 without a JSON body").arg(path).arg(status), {}},
          {});
    }
    if (status < 200 || status > 299) {
      const QString why = document.object().value(QStringLiteral("error")).toString();
      return done({false,
                   QStringLiteral("cloud control %1: HTTP %2 %3").arg(path).arg(status).arg(why).trimmed(),
                   {}},
                  document);
    }
    done({true, {}, document.isObject() ? document.object().toVariantMap() : QVariantMap{}}, document);
  });
}

void CloudPlug::setHttpFault(const QString& endpoint, const QVariantMap& fault, Done done) {
  const QString apiEndpoint =
      endpoint == QStringLiteral("ota_check") ? QStringLiteral("ota-check") : endpoint;
  done = reporting(
      QStringLiteral("cloud.http_fault"),
      {{QStringLiteral("endpoint"), endpoint}, {QStringLiteral("kind"), fault.value(QStringLiteral("kind"))}},
      std::move(done));
  QJsonObject body = QJsonObject::fromVariantMap(fault);
  body.insert(QStringLiteral("endpoint"), apiEndpoint);
  if (!body.contains(QStringLiteral("kind"))) {
    return completeSoon(std::move(done), {false, QStringLiteral("a fault needs a \"kind\""), {}});
  }
  control("POST", QStringLiteral("/lab/fault"), QJsonDocument(body),
          [done](const CloudResult& result, const QJsonDocument&) {
            done({result.ok, result.error, {}});
          });
}

void CloudPlug::setM2mFault(const QVariantMap& fault, Done done) {
  done = reporting(QStringLiteral("cloud.m2m_fault"),
                   {{QStringLiteral("kind"), fault.value(QStringLiteral("kind"))}}, std::move(done));
  control("POST", QStringLiteral("/lab/m2m"), QJsonDocument(QJsonObject::fromVariantMap(fault)),
          [done](const CloudResult& result, const QJsonDocument&) {
            done({result.ok, result.error, {}});
          });
}

void CloudPlug::publishFirmware(const QString& hardwareVersion, const QString& softwareVersion, int fid,
                                const QByteArray& image, Done done) {
  done = reporting(QStringLiteral("cloud.firmware"),
                   {{QStringLiteral("hard_version"), hardwareVersion},
                    {QStringLiteral("soft_version"), softwareVersion},
                    {QStringLiteral("fid"), fid},
                    {QStringLiteral("size"), image.size()}},
                   std::move(done));
  const QJsonObject body{{QStringLiteral("hard_version"), hardwareVersion},
                         {QStringLiteral("soft_version"), softwareVersion},
                         {QStringLiteral("fid"), fid},
                         {QStringLiteral("base64"), QString::fromLatin1(image.toBase64())}};
  control("POST", QStringLiteral("/lab/firmware"), QJsonDocument(body),
          [done](const CloudResult& result, const QJsonDocument&) { done(result); });
}

void CloudPlug::pushOta(const QString& did, Done done) {
  pushOta(did, gagent::proto::OtaFirmwareType::Wifi, std::move(done));
}

void CloudPlug::pushOta(const QString& did, gagent::proto::OtaFirmwareType type, Done done) {
  done = reporting(QStringLiteral("cloud.ota"),
                   {{QStringLiteral("did"), did}, {QStringLiteral("type"), static_cast<int>(type)}},
                   std::move(done));
  if (app_ == nullptr)
    return completeSoon(std::move(done), {false, QStringLiteral("no app client in this lab"), {}});
  const bool sent = app_->pushOta(did, type);
  completeSoon(std::move(done), {sent, sent ? QString() : app_->lastError(), {}});
}

void CloudPlug::appPublish(const QString& did, const QString& clientId, const QByteArray& lanPacket,
                           Done done) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(lanPacket.constData());
  const gagent::proto::LanDecode packet = gagent::proto::parseLanDatagram(
      std::span<const std::uint8_t>(data, static_cast<std::size_t>(lanPacket.size())));
  const bool isPacket = packet.status == gagent::proto::ParseStatus::Ok;
  done = reporting(
      QStringLiteral("cloud.publish"),
      {{QStringLiteral("did"), did},
       {QStringLiteral("client_id"), clientId},
       {QStringLiteral("cmd"), isPacket ? QVariant(static_cast<int>(packet.packet.cmd)) : QVariant()}},
      std::move(done));
  if (!isPacket) {
    return completeSoon(std::move(done), {false, QStringLiteral("the payload is not one LAN packet"), {}});
  }
  if (app_ == nullptr)
    return completeSoon(std::move(done), {false, QStringLiteral("no app client in this lab"), {}});
  const bool sent = app_->publishToDevice(did, clientId, lanPacket);
  completeSoon(std::move(done), {sent, sent ? QString() : app_->lastError(), {}});
}

void CloudPlug::deviceStatus(const QString& did, Done done) {
  done = reporting(QStringLiteral("cloud.status"), {{QStringLiteral("did"), did}}, std::move(done));
  control("GET", QStringLiteral("/lab/devices"), {},
          [this, did, done](const CloudResult& result, const QJsonDocument& devices) {
            if (!result.ok) return done({false, result.error, {}});
            bool registered = false;
            for (const QJsonValue& device : devices.array()) {
              if (device.toObject().value(QStringLiteral("did")).toString() == did) registered = true;
            }
            control(
                "GET", QStringLiteral("/lab/m2m"), {},
                [did, registered, done](const CloudResult& m2m, const QJsonDocument& state) {
                  QVariantMap data{{QStringLiteral("did"), did}, {QStringLiteral("registered"), registered}};
                  if (m2m.ok) {
                    const QJsonArray online = state.object().value(QStringLiteral("online")).toArray();
                    data.insert(QStringLiteral("online"), online.contains(QJsonValue(did)));
                  }
                  done({true, {}, data});
                });
          });
}

}  // namespace gizrig::cloud
