#pragma once
// The phone app over the cloud (S8.7): a Paho async client logged in to mosquitto as the app account. It
// publishes LAN-framed packets to app2dev/<did>/<clientId>, listens on dev2app/<did> and
// dev2app/<did>/<clientId>, and plays the cloud's management pushes on ser2cli_res/<did> (0x0211 OTA,
// 0x0210 app count, cloud_mgmt.h).
//
// Paho calls back on its own threads; every callback is handed to this object's thread as a queued call, so
// the signals below are always emitted on the Qt thread that owns the client.

#include <QByteArray>
#include <QObject>
#include <QSet>
#include <QString>
#include <memory>

#include "gagent/proto/cloud_mgmt.h"

namespace mqtt {
class async_client;
}

namespace gizrig::cloud {

class AppClient : public QObject {
  Q_OBJECT

 public:
  AppClient(const QString& host, quint16 port, const QString& username, const QString& password,
            const QString& clientId = QStringLiteral("gizrig-app"), QObject* parent = nullptr);
  ~AppClient() override;  // disconnects and silences Paho before anything is freed

  // Asynchronous: connected() or connectFailed() follows. A lost connection is re-established by itself
  // (connectionLost(), then connected() again, with every watched topic subscribed again).
  void connectToBroker();
  void disconnectFromBroker();
  [[nodiscard]] bool isConnected() const;

  // Subscribes dev2app/<did> and dev2app/<did>/<clientId> (each topic once); subscribed() follows.
  bool watchDevice(const QString& did, const QString& clientId);
  // app2dev/<did>/<clientId>, QoS 0 as the module expects. Watches the device first, so the answer is not
  // missed (the broker handles our SUBSCRIBE before the PUBLISH that follows it on the same connection).
  bool publishToDevice(const QString& did, const QString& clientId, const QByteArray& lanPacket);
  // ser2cli_res/<did>: 0x0211 with the firmware type (§3.7 cloud-pushed OTA).
  bool pushOta(const QString& did, gagent::proto::OtaFirmwareType type);
  // ser2cli_res/<did>: 0x0210 with the online app count.
  bool pushAppCount(const QString& did, quint16 count);

  [[nodiscard]] QString lastError() const { return lastError_; }

 signals:
  void connected();
  void connectFailed(const QString& reason);
  void connectionLost(const QString& reason);
  // One per watchDevice() topic; ok false when the broker refused it or the request failed.
  void subscribed(const QString& topicFilter, bool ok);
  void received(const QString& topic, const QByteArray& payload);

 private:
  class Listener;
  bool publish(const QString& topic, const QByteArray& payload);
  bool subscribe(const QString& topicFilter);
  bool fail(const QString& reason);
  void onConnected();

  std::unique_ptr<mqtt::async_client> client_;
  std::unique_ptr<Listener> listener_;
  QString username_;
  QString password_;
  QSet<QString> watched_;  // topic filters, subscribed again after a reconnect
  QString lastError_;
};

}  // namespace gizrig::cloud
