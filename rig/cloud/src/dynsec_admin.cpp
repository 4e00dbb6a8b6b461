#include "gizrig/cloud/dynsec_admin.h"

#include <mqtt/async_client.h>
#include <QJsonDocument>
#include <QUuid>

namespace gizrig::cloud {
namespace {

constexpr const char* kControlTopic = "$CONTROL/dynamic-security/v1";
constexpr const char* kResponseTopic = "$CONTROL/dynamic-security/v1/response";

}  // namespace

DynsecAdmin::DynsecAdmin(const QString& host, quint16 port, const QString& username, const QString& password)
    : username_(username), password_(password) {
  const std::string uri = QStringLiteral("tcp://%1:%2").arg(host).arg(port).toStdString();
  // A unique client id: a restarted rig must not kick a still-connected admin of an older run.
  const std::string clientId =
      ("gizrig-admin-" + QUuid::createUuid().toString(QUuid::Id128).left(10)).toStdString();
  client_ = std::make_unique<mqtt::async_client>(uri, clientId);
}

DynsecAdmin::~DynsecAdmin() {
  disconnect();
}

bool DynsecAdmin::connect(std::chrono::milliseconds timeout) {
  try {
    mqtt::connect_options options;
    options.set_user_name(username_.toStdString());
    options.set_password(password_.toStdString());
    options.set_clean_session(true);
    options.set_connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(timeout) +
                                std::chrono::seconds(1));
    client_->start_consuming();
    if (!client_->connect(options)->wait_for(timeout)) {
      error_ = QStringLiteral("admin connect timed out");
      return false;
    }
    if (!client_->subscribe(kResponseTopic, 1)->wait_for(timeout)) {
      error_ = QStringLiteral("admin subscribe timed out");
      return false;
    }
  } catch (const mqtt::exception& e) {
    error_ = QStringLiteral("admin connect failed: %1").arg(QString::fromStdString(e.what()));
    return false;
  }
  return true;
}

void DynsecAdmin::disconnect() {
  if (!client_) return;
  // Paho throws from both when the broker is already gone (it crashed or was stopped first); a destructor
  // path must not.
  try {
    if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
  }
  try {
    client_->stop_consuming();
  } catch (const mqtt::exception&) {
  }
}

bool DynsecAdmin::isConnected() const {
  return client_ && client_->is_connected();
}

bool DynsecAdmin::execute(const QJsonArray& commands, std::chrono::milliseconds timeout) {
  return run(commands, timeout, true);
}

bool DynsecAdmin::executeIgnoringErrors(const QJsonArray& commands, std::chrono::milliseconds timeout) {
  return run(commands, timeout, false);
}

bool DynsecAdmin::run(const QJsonArray& commands, std::chrono::milliseconds timeout,
                      bool failOnCommandError) {
  error_.clear();
  responses_ = QJsonArray{};
  if (!isConnected()) {
    error_ = QStringLiteral("admin not connected");
    return false;
  }
  // The plugin echoes correlationData: it lets us ignore stale answers of an earlier, timed-out request.
  QJsonArray tagged;
  QStringList expected;
  for (const QJsonValue& value : commands) {
    QJsonObject command = value.toObject();
    const QString tag = QString::number(nextCorrelation_++);
    command.insert(QStringLiteral("correlationData"), tag);
    expected << tag;
    tagged.append(command);
  }
  const QByteArray payload =
      QJsonDocument(QJsonObject{{QStringLiteral("commands"), tagged}}).toJson(QJsonDocument::Compact);
  try {
    client_->publish(kControlTopic, payload.constData(), static_cast<std::size_t>(payload.size()), 1, false)
        ->wait_for(timeout);
  } catch (const mqtt::exception& e) {
    error_ = QStringLiteral("admin publish failed: %1").arg(QString::fromStdString(e.what()));
    return false;
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  QJsonArray collected;
  while (collected.size() < expected.size()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    mqtt::const_message_ptr message;
    if (left.count() <= 0 || !client_->try_consume_message_for(&message, left)) {
      error_ = QStringLiteral("no answer from the dynamic-security plugin");
      return false;
    }
    if (!message) continue;  // the consumer queue signals a lost connection with a null message
    const std::string& text = message->get_payload_str();
    const QJsonArray answers = QJsonDocument::fromJson(QByteArray::fromStdString(text))
                                   .object()
                                   .value(QStringLiteral("responses"))
                                   .toArray();
    for (const QJsonValue& answer : answers) {
      if (expected.contains(answer.toObject().value(QStringLiteral("correlationData")).toString()))
        collected.append(answer);
    }
  }
  responses_ = collected;
  if (!failOnCommandError) return true;
  for (const QJsonValue& answer : collected) {
    const QJsonObject object = answer.toObject();
    if (object.contains(QStringLiteral("error"))) {
      error_ = QStringLiteral("%1: %2").arg(object.value(QStringLiteral("command")).toString(),
                                            object.value(QStringLiteral("error")).toString());
      return false;
    }
  }
  return true;
}

}  // namespace gizrig::cloud
