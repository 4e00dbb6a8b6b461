#include "gizrig/cloud/app_client.h"

#include <mqtt/async_client.h>
#include <QMetaObject>
#include <QPointer>
#include <array>

#include "gagent/proto/mqtt_topics.h"

namespace gizrig::cloud {
namespace {

namespace proto = gagent::proto;

QString text(std::string_view view) {
  return QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()));
}

bool isClientIdLevel(const QString& clientId) {
  // §3.7: the last level of app2dev/<did>/<clientid>, at most 23 characters.
  return !clientId.isEmpty() && clientId.size() <= static_cast<qsizetype>(proto::kMqttAppClientIdMaxLength) &&
         !clientId.contains(QLatin1Char('/')) && !clientId.contains(QLatin1Char('+')) &&
         !clientId.contains(QLatin1Char('#'));
}

}  // namespace

// Paho's action listener for connect and subscribe results. It runs on Paho's threads and only posts
// queued calls to the owner.
class AppClient::Listener : public mqtt::iaction_listener {
 public:
  explicit Listener(AppClient& owner) : owner_(&owner) {}

  void on_success(const mqtt::token& token) override { post(token, true, {}); }
  void on_failure(const mqtt::token& token) override {
    post(token, false, QStringLiteral("Paho error %1").arg(token.get_return_code()));
  }

 private:
  void post(const mqtt::token& token, bool ok, const QString& reason) {
    AppClient* owner = owner_;
    if (token.get_type() == mqtt::token::Type::CONNECT) {
      // Success is reported by the connected handler (it also covers automatic reconnects).
      if (!ok) {
        QMetaObject::invokeMethod(
            owner, [owner, reason] { emit owner->connectFailed(reason); }, Qt::QueuedConnection);
      }
      return;
    }
    if (token.get_type() == mqtt::token::Type::SUBSCRIBE) {
      QStringList topics;
      if (const auto filters = token.get_topics()) {
        for (std::size_t i = 0; i < filters->size(); ++i) topics << QString::fromStdString((*filters)[i]);
      }
      // MQTT 3.1.1 reports a refused subscription as granted QoS 0x80, which Paho passes as a success.
      bool granted = ok;
      if (ok) {
        try {
          granted = token.get_reason_code() < mqtt::ReasonCode::UNSPECIFIED_ERROR;
        } catch (const mqtt::exception&) {
        }
      }
      QMetaObject::invokeMethod(
          owner,
          [owner, topics, granted] {
            for (const QString& topic : topics) emit owner->subscribed(topic, granted);
          },
          Qt::QueuedConnection);
    }
  }

  AppClient* owner_;
};

AppClient::AppClient(const QString& host, quint16 port, const QString& username, const QString& password,
                     const QString& clientId, QObject* parent)
    : QObject(parent),
      listener_(std::make_unique<Listener>(*this)),
      username_(username),
      password_(password) {
  client_ = std::make_unique<mqtt::async_client>(
      QStringLiteral("tcp://%1:%2").arg(host).arg(port).toStdString(), clientId.toStdString());
  client_->set_message_callback([this](mqtt::const_message_ptr message) {
    const QString topic = QString::fromStdString(message->get_topic());
    const std::string& payload = message->get_payload();
    const QByteArray bytes(payload.data(), static_cast<qsizetype>(payload.size()));
    QMetaObject::invokeMethod(
        this, [this, topic, bytes] { emit received(topic, bytes); }, Qt::QueuedConnection);
  });
  client_->set_connected_handler([this](const std::string&) {
    QMetaObject::invokeMethod(this, &AppClient::onConnected, Qt::QueuedConnection);
  });
  client_->set_connection_lost_handler([this](const std::string& cause) {
    const QString reason = QString::fromStdString(cause);
    QMetaObject::invokeMethod(
        this, [this, reason] { emit connectionLost(reason); }, Qt::QueuedConnection);
  });
}

AppClient::~AppClient() {
  // Order matters: no Paho thread may call back into this object once its members start to go.
  disconnectFromBroker();
  try {
    client_->disable_callbacks();
  } catch (const mqtt::exception&) {
    // Paho refuses while a connect is still in progress (a lab module closed right after it opened used to
    // abort the GUI here: an exception out of a destructor). Destroying the client stops its thread.
  }
  client_.reset();  // before the listener and the QObject parts it calls back into
}

bool AppClient::fail(const QString& reason) {
  lastError_ = reason;
  return false;
}

void AppClient::connectToBroker() {
  mqtt::connect_options options;
  options.set_user_name(username_.toStdString());
  options.set_password(password_.toStdString());
  options.set_clean_session(true);
  options.set_mqtt_version(MQTTVERSION_3_1_1);
  // The lab restarts a crashed mosquitto on the same port: come back by ourselves (onConnected
  // re-subscribes, a clean session having forgotten our subscriptions).
  options.set_automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(5));
  try {
    client_->connect(options, nullptr, *listener_);
  } catch (const mqtt::exception& e) {
    const QString reason = QString::fromStdString(e.what());
    QMetaObject::invokeMethod(
        this, [this, reason] { emit connectFailed(reason); }, Qt::QueuedConnection);
  }
}

void AppClient::disconnectFromBroker() {
  try {
    if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
    // The broker is already gone: nothing to close.
  }
  watched_.clear();
}

void AppClient::onConnected() {
  for (const QString& filter : std::as_const(watched_)) subscribe(filter);
  emit connected();
}

bool AppClient::isConnected() const {
  return client_->is_connected();
}

bool AppClient::subscribe(const QString& topicFilter) {
  try {
    client_->subscribe(topicFilter.toStdString(), 0, nullptr, *listener_);
  } catch (const mqtt::exception& e) {
    return fail(QStringLiteral("subscribe %1: %2").arg(topicFilter, QString::fromStdString(e.what())));
  }
  return true;
}

bool AppClient::watchDevice(const QString& did, const QString& clientId) {
  const proto::MqttTopic common = proto::devToAppTopic(did.toStdString());
  const proto::MqttTopic own = proto::devToAppTopic(did.toStdString(), clientId.toStdString());
  if (!common.ok() || !own.ok() || !isClientIdLevel(clientId))
    return fail(QStringLiteral("watchDevice: unusable DID '%1' or client id '%2'").arg(did, clientId));
  if (!isConnected()) return fail(QStringLiteral("watchDevice: not connected"));
  for (const QString& filter : {text(common.view()), text(own.view())}) {
    if (watched_.contains(filter)) continue;
    if (!subscribe(filter)) return false;
    watched_.insert(filter);
  }
  return true;
}

bool AppClient::publish(const QString& topic, const QByteArray& payload) {
  if (!isConnected()) return fail(QStringLiteral("publish %1: not connected").arg(topic));
  try {
    client_->publish(topic.toStdString(), payload.constData(), static_cast<std::size_t>(payload.size()), 0,
                     false);
  } catch (const mqtt::exception& e) {
    return fail(QStringLiteral("publish %1: %2").arg(topic, QString::fromStdString(e.what())));
  }
  return true;
}

bool AppClient::publishToDevice(const QString& did, const QString& clientId, const QByteArray& lanPacket) {
  if (!watchDevice(did, clientId)) return false;
  const QString topic = QStringLiteral("app2dev/%1/%2").arg(did, clientId);
  if (!proto::isValidTopicName(topic.toStdString()))
    return fail(QStringLiteral("publishToDevice: bad topic %1").arg(topic));
  return publish(topic, lanPacket);
}

bool AppClient::pushOta(const QString& did, proto::OtaFirmwareType type) {
  const proto::MqttTopic topic = proto::serToCliResTopic(did.toStdString());
  std::array<std::uint8_t, 16> payload{};
  const std::size_t size = proto::encodeMgmtOtaPush(payload, type);
  if (!topic.ok() || size == 0) return fail(QStringLiteral("pushOta: unusable DID '%1'").arg(did));
  return publish(text(topic.view()),
                 QByteArray(reinterpret_cast<const char*>(payload.data()), static_cast<qsizetype>(size)));
}

bool AppClient::pushAppCount(const QString& did, quint16 count) {
  const proto::MqttTopic topic = proto::serToCliResTopic(did.toStdString());
  std::array<std::uint8_t, 16> payload{};
  const std::size_t size = proto::encodeMgmtAppCount(payload, count);
  if (!topic.ok() || size == 0) return fail(QStringLiteral("pushAppCount: unusable DID '%1'").arg(did));
  return publish(text(topic.view()),
                 QByteArray(reinterpret_cast<const char*>(payload.data()), static_cast<qsizetype>(size)));
}

}  // namespace gizrig::cloud
