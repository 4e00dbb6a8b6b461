#pragma once
// The rig's CloudPlug over the real-time lab's stand-in cloud (docs/rig.md, docs/virtual-lab.md):
// CloudControl through the cloud API's control endpoint (HTTP /lab/...: API faults, firmware, devices, and
// the M2M gate's faults and online list at /lab/m2m) and the phone app over MQTT through an AppClient.
//
// Every call completes once through its callback and is also told as an event (name, fields) for the scenario
// engine and the GUI, with "ok" and "error":
//   cloud.http_fault {endpoint, kind}      cloud.m2m_fault {kind}
//   cloud.firmware   {hard_version, soft_version, fid, size}     cloud.ota {did}
//   cloud.publish    {did, client_id, cmd}                       cloud.status {did, registered, online}
// App traffic from the device arrives as
//   cloud.app {topic, did, client_id (empty on dev2app/<did>), cmd, packet, fields, payload (hex), ok, error}
// decoded with the proto LAN codec: cmd is the LAN command, packet the decoder's name for it, fields its
// decoded fields in wire order (a list of [name, value]); ok false (with error) when the payload is not one
// packet.
//
// Decisions:
// - The endpoint names of CloudControl (ota_check) are mapped to the API's (ota-check); fault fields go to
//   /lab/fault as they are, so the API's own validation speaks for them.
// - deviceStatus asks /lab/devices (registered) and /lab/m2m (online); when the lab wired no M2M control, the
//   answer has no "online" rather than a guess.
// - The AppClient is not owned: the lab creates it with the app account; without one, app calls fail clearly.
// - HTTP runs in real time (QNetworkAccessManager with a transfer timeout): the stand-in cloud is a real-time
//   lab; the virtual world has SimCloud instead.

#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QVariantMap>

#include "gagent/proto/cloud_mgmt.h"
#include "gizrig/cloud/app_client.h"
#include "gizrig/plugs/cloud_control.h"

namespace gizrig::cloud {

struct CloudPlugSettings {
  QString apiHost = QStringLiteral("127.0.0.1");
  quint16 apiPort = 0;
  int timeoutMs = 10'000;
  // The lab's control secret (lab.json "api.secret"), sent as "Authorization: Bearer <secret>".
  QString secret;
};

class CloudPlug : public QObject, public core::CloudControl {
  Q_OBJECT
 public:
  CloudPlug(const CloudPlugSettings& settings, AppClient* app, QObject* parent = nullptr);

  void setHttpFault(const QString& endpoint, const QVariantMap& fault, Done done) override;
  void setM2mFault(const QVariantMap& fault, Done done) override;
  void publishFirmware(const QString& hardwareVersion, const QString& softwareVersion, int fid,
                       const QByteArray& image, Done done) override;
  // A cloud-pushed OTA of the module's firmware (0x0211 type 1, §3.7).
  void pushOta(const QString& did, Done done) override;
  void pushOta(const QString& did, gagent::proto::OtaFirmwareType type, Done done);
  void appPublish(const QString& did, const QString& clientId, const QByteArray& lanPacket,
                  Done done) override;
  void deviceStatus(const QString& did, Done done) override;

  // The cloud.app event's fields for one received message (public for tests and the GUI's console).
  [[nodiscard]] static QVariantMap describeAppMessage(const QString& topic, const QByteArray& payload);

 signals:
  void event(const QString& name, const QVariantMap& fields);

 private:
  using JsonReply = std::function<void(const core::CloudResult& result, const QJsonDocument& body)>;
  // `method` GET/POST/DELETE on the control endpoint; a non-2xx answer becomes an error with the server's
  // {"error":...} text.
  void control(const QByteArray& method, const QString& path, const QJsonDocument& body, JsonReply done);
  // Wraps `done` so the event goes out first.
  Done reporting(const QString& name, QVariantMap fields, Done done);
  void completeSoon(Done done, const core::CloudResult& result);

  CloudPlugSettings settings_;
  QPointer<AppClient> app_;
  QNetworkAccessManager network_;
};

}  // namespace gizrig::cloud
