#pragma once
// The admin side of mosquitto's dynamic-security plugin: JSON commands published on
// $CONTROL/dynamic-security/v1 through a Paho client, answers read back from .../v1/response.
//
// Blocking on purpose: the broker is a local process that answers in milliseconds, and a caller that adds a
// device (HTTP registration) wants to know it worked before it answers. The Paho client runs in consumer
// mode (a queue, no callbacks), so nothing here touches Qt from Paho's threads.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <chrono>
#include <memory>

namespace mqtt {
class async_client;
}

namespace gizrig::cloud {

class DynsecAdmin {
 public:
  DynsecAdmin(const QString& host, quint16 port, const QString& username, const QString& password);
  ~DynsecAdmin();
  DynsecAdmin(const DynsecAdmin&) = delete;
  DynsecAdmin& operator=(const DynsecAdmin&) = delete;

  // Connects and subscribes to the response topic. False (and error()) on failure.
  bool connect(std::chrono::milliseconds timeout);
  void disconnect();
  [[nodiscard]] bool isConnected() const;

  // Runs `commands` (objects with "command" and its fields) in one control message and waits for their
  // responses. True when every command succeeded; otherwise error() names the first failure. Each response
  // (in command order) is stored in responses().
  bool execute(const QJsonArray& commands, std::chrono::milliseconds timeout);
  // Like execute(), but failures of these commands are expected (e.g. deleting what may not exist).
  bool executeIgnoringErrors(const QJsonArray& commands, std::chrono::milliseconds timeout);

  [[nodiscard]] const QString& error() const { return error_; }
  [[nodiscard]] const QJsonArray& responses() const { return responses_; }

 private:
  bool run(const QJsonArray& commands, std::chrono::milliseconds timeout, bool failOnCommandError);

  std::unique_ptr<mqtt::async_client> client_;
  QString username_;
  QString password_;
  QString error_;
  QJsonArray responses_;
  quint64 nextCorrelation_ = 1;
};

}  // namespace gizrig::cloud
