#include "gizrig/routers/ubus_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace gizrig::core {

namespace {

const QString kNullSession = QStringLiteral("00000000000000000000000000000000");
constexpr int kAccessDenied = -32002;  // rpcd: the session does not exist (expired) or may not do this
constexpr int kPermissionDenied = 6;   // UBUS_STATUS_PERMISSION_DENIED

}  // namespace

UbusClient::UbusClient(const QUrl& endpoint, const QString& username, const QString& password,
                       QObject* parent)
    : QObject(parent), network_(this), endpoint_(endpoint), username_(username), password_(password) {}

QString UbusClient::statusName(int status) {
  static const char* const names[] = {"ok",
                                      "invalid command",
                                      "invalid argument",
                                      "method not found",
                                      "not found",
                                      "no data",
                                      "permission denied",
                                      "timeout",
                                      "not supported",
                                      "unknown error",
                                      "connection failed"};
  if (status >= 0 && status < static_cast<int>(std::size(names))) return QString::fromLatin1(names[status]);
  return QStringLiteral("status %1").arg(status);
}

void UbusClient::call(const QString& object, const QString& method, const QJsonObject& args, Reply done) {
  Call pending{object, method, args, std::move(done), false};
  if (session_.isEmpty()) {
    waiting_.append(std::move(pending));
    if (!loggingIn_) login();
    return;
  }
  send(std::move(pending));
}

void UbusClient::login() {
  loggingIn_ = true;
  const QJsonArray params{
      kNullSession, QStringLiteral("session"), QStringLiteral("login"),
      QJsonObject{{QStringLiteral("username"), username_}, {QStringLiteral("password"), password_}}};
  post(params, [this](const QJsonArray& result, const QString& error, bool denied) {
    loggingIn_ = false;
    QString why = error;
    if (why.isEmpty()) {
      const int status = result.at(0).toInt(-1);
      const QString session = result.at(1).toObject().value(QStringLiteral("ubus_rpc_session")).toString();
      if (status == 0 && !session.isEmpty()) {
        session_ = session;
      } else {
        why = status == kPermissionDenied
                  ? QStringLiteral("the router refused the login of \"%1\"").arg(username_)
                  : QStringLiteral("login: %1").arg(statusName(status));
      }
    } else if (denied) {
      why = QStringLiteral("the router refused the login of \"%1\"").arg(username_);
    }
    QList<Call> calls;
    calls.swap(waiting_);
    for (Call& pending : calls) {
      if (why.isEmpty()) {
        send(std::move(pending));
      } else {
        pending.done({false, why, -1, {}});
      }
    }
  });
}

void UbusClient::send(Call pending) {
  const QJsonArray params{session_, pending.object, pending.method, pending.args};
  const QString sessionUsed = session_;
  post(params,
       [this, pending, sessionUsed](const QJsonArray& result, const QString& error, bool denied) mutable {
         const int status = error.isEmpty() ? result.at(0).toInt(-1) : -1;
         if ((denied || status == kPermissionDenied) && !pending.renewed) {
           // The session expired (or a router reboot dropped it): log in again once, then repeat the call.
           pending.renewed = true;
           if (session_ == sessionUsed) session_.clear();
           if (session_.isEmpty()) {
             waiting_.append(std::move(pending));
             if (!loggingIn_) login();
           } else {
             send(std::move(pending));  // another call already renewed it
           }
           return;
         }
         const QString what = QStringLiteral("ubus %1 %2").arg(pending.object, pending.method);
         if (!error.isEmpty())
           return pending.done({false, QStringLiteral("%1: %2").arg(what, error), -1, {}});
         if (denied) return pending.done({false, QStringLiteral("%1: access denied").arg(what), -1, {}});
         if (status != 0)
           return pending.done({false, QStringLiteral("%1: %2").arg(what, statusName(status)), status, {}});
         pending.done({true, {}, 0, result.at(1).toObject()});
       });
}

void UbusClient::post(const QJsonArray& params,
                      std::function<void(const QJsonArray&, const QString&, bool)> done) {
  const qint64 id = nextId_++;
  const QJsonObject body{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                         {QStringLiteral("id"), id},
                         {QStringLiteral("method"), QStringLiteral("call")},
                         {QStringLiteral("params"), params}};
  QNetworkRequest request(endpoint_);
  request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
  request.setTransferTimeout(timeoutMs_);
  QNetworkReply* reply = network_.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
  connect(reply, &QNetworkReply::finished, this, [reply, id, done = std::move(done)] {
    reply->deleteLater();
    const QByteArray answer = reply->readAll();
    if (reply->error() != QNetworkReply::NoError && answer.isEmpty()) {
      return done({}, reply->errorString(), false);
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(answer, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
      return done({}, QStringLiteral("the router's answer is not a JSON-RPC object"), false);
    }
    const QJsonObject object = document.object();
    if (object.value(QStringLiteral("id")).toInteger(-1) != id) {
      return done({}, QStringLiteral("the router answered another request id"), false);
    }
    if (object.contains(QStringLiteral("error"))) {
      const QJsonObject error = object.value(QStringLiteral("error")).toObject();
      const int code = error.value(QStringLiteral("code")).toInt();
      if (code == kAccessDenied) return done({}, {}, true);
      const QString message = error.value(QStringLiteral("message")).toString();
      return done({}, QStringLiteral("JSON-RPC error %1 %2").arg(code).arg(message).trimmed(), false);
    }
    const QJsonArray result = object.value(QStringLiteral("result")).toArray();
    if (result.isEmpty() || !result.at(0).isDouble()) {
      return done({}, QStringLiteral("the router's answer has no ubus status"), false);
    }
    done(result, {}, false);
  });
}

}  // namespace gizrig::core
