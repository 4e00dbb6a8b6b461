#pragma once
// A client of OpenWrt's ubus over HTTP (rpcd + uhttpd-mod-ubus): JSON-RPC 2.0 POSTed to http://<router>/ubus.
//   {"jsonrpc":"2.0","id":N,"method":"call","params":[<session>,<object>,<method>,{args}]}
//   -> {"jsonrpc":"2.0","id":N,"result":[<ubus status>, {data}?]}  or  {"error":{"code":..,"message":..}}
// The session comes from "session" "login" (as the null session 000..0) and is its "ubus_rpc_session".
//
// Decisions:
// - Logs in on the first call; calls made meanwhile wait for the one login.
// - A session the router no longer knows (it expired: JSON-RPC error -32002 "Access denied", or ubus status 6
//   permission denied) is renewed once per call, then the call is repeated; a second refusal fails the call.
// - QNetworkAccessManager runs in real time (a real router is never in the virtual world); each request has a
//   transfer timeout.

#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QUrl>
#include <functional>

namespace gizrig::core {

struct UbusResult {
  bool ok = false;
  QString error;     // what went wrong, for an operator
  int status = -1;   // the ubus status (0 ok) when the router answered one
  QJsonObject data;  // the answer's object (empty when it had none)
};

class UbusClient : public QObject {
  Q_OBJECT
 public:
  using Reply = std::function<void(const UbusResult&)>;
  static constexpr int kDefaultTimeoutMs = 10'000;

  // `endpoint`: http://<router>/ubus
  UbusClient(const QUrl& endpoint, const QString& username, const QString& password,
             QObject* parent = nullptr);

  void setTimeoutMs(int timeoutMs) { timeoutMs_ = timeoutMs; }
  // `done` is called exactly once, on this object's thread, after call() returned.
  void call(const QString& object, const QString& method, const QJsonObject& args, Reply done);
  [[nodiscard]] bool hasSession() const { return !session_.isEmpty(); }

  [[nodiscard]] static QString statusName(int status);

 private:
  struct Call {
    QString object;
    QString method;
    QJsonObject args;
    Reply done;
    bool renewed = false;  // the session was already renewed once for this call
  };
  void send(Call call);
  void login();
  // Posts params and hands the parsed answer: result array or an error text; `denied` for -32002.
  void post(const QJsonArray& params,
            std::function<void(const QJsonArray& result, const QString& error, bool denied)> done);

  QNetworkAccessManager network_;
  QUrl endpoint_;
  QString username_;
  QString password_;
  QString session_;
  bool loggingIn_ = false;
  QList<Call> waiting_;
  int timeoutMs_ = kDefaultTimeoutMs;
  qint64 nextId_ = 1;
};

}  // namespace gizrig::core
