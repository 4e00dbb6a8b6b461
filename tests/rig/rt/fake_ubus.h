#pragma once
// A stand-in OpenWrt ubus endpoint (uhttpd-mod-ubus + rpcd) for OpenWrtRouterBackend's tests: POST /ubus with
// a JSON-RPC 2.0 "call", answered the way OpenWrt answers, over a small model of the router (the wireless
// config, radio state, association lists). It checks the HTTP and JSON-RPC framing of every request and
// records each call as "<object> <method> <args JSON>" (sessions are checked, not recorded) so tests can
// assert them exactly.

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>

namespace gizrig::test {

class FakeUbus : public QObject {
 public:
  FakeUbus() {
    server_.listen(QHostAddress::LocalHost, 0);
    connect(&server_, &QTcpServer::newConnection, this, [this] {
      while (QTcpSocket* socket = server_.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
      }
    });
    wireless = QJsonObject{
        {QStringLiteral("default_radio0"),
         iface(QStringLiteral("default_radio0"), QStringLiteral("radio0"), QStringLiteral("GIZWITS_TEST_1"))},
        {QStringLiteral("cfg033579"),
         iface(QStringLiteral("cfg033579"), QStringLiteral("radio1"), QStringLiteral("GIZWITS_TEST_2"))}};
    radioUp = {{QStringLiteral("radio0"), true}, {QStringLiteral("radio1"), true}};
    assoc[QStringLiteral("phy0-ap0")] =
        QJsonArray{QJsonObject{{QStringLiteral("mac"), QStringLiteral("A0:B1:C2:D3:E4:F5")},
                               {QStringLiteral("signal"), -41}},
                   QJsonObject{{QStringLiteral("mac"), QStringLiteral("0a:0b:0c:0d:0e:0f")},
                               {QStringLiteral("signal"), -70}}};
  }

  [[nodiscard]] QUrl url() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1/ubus").arg(server_.serverPort()));
  }

  // The model.
  QJsonObject wireless;  // uci wireless wifi-iface sections by name
  QHash<QString, bool> radioUp;
  QHash<QString, QJsonArray> assoc;  // by ifname
  QString password = QStringLiteral("secret");
  bool garbage = false;  // answer every request with a body that is not JSON

  QStringList calls;     // "<object> <method> <args>"
  QStringList problems;  // framing the fake did not accept
  int logins = 0;
  void expireSessions() { sessions_.clear(); }

 private:
  static QJsonObject iface(const QString& name, const QString& device, const QString& ssid) {
    return {{QStringLiteral(".anonymous"), name.startsWith(QStringLiteral("cfg"))},
            {QStringLiteral(".type"), QStringLiteral("wifi-iface")},
            {QStringLiteral(".name"), name},
            {QStringLiteral("device"), device},
            {QStringLiteral("network"), QStringLiteral("lan")},
            {QStringLiteral("mode"), QStringLiteral("ap")},
            {QStringLiteral("ssid"), ssid},
            {QStringLiteral("encryption"), QStringLiteral("psk2")},
            {QStringLiteral("key"), QStringLiteral("GIZWITS_TEST_PASS")}};
  }

  void onData(QTcpSocket* socket) {
    QByteArray& buffer = buffers_[socket];
    buffer += socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    const QList<QByteArray> head = buffer.left(headEnd).split('\n');
    qsizetype length = -1;
    bool json = false;
    for (const QByteArray& raw : head.mid(1)) {
      const QByteArray line = raw.trimmed().toLower();
      if (line.startsWith("content-length:")) length = line.mid(15).trimmed().toLongLong();
      if (line.startsWith("content-type:") && line.contains("application/json")) json = true;
    }
    if (length < 0 || buffer.size() < headEnd + 4 + length) return;
    const QByteArray body = buffer.mid(headEnd + 4, length);
    buffers_.remove(socket);
    if (!head.front().startsWith("POST /ubus HTTP/1.1")) problems << QString::fromUtf8(head.front());
    if (!json) problems << QStringLiteral("no JSON content type");
    const QByteArray answer = garbage ? QByteArray("<html>502</html>") : QJsonDocument(handle(body)).toJson();
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer);
    socket->disconnectFromHost();
  }

  QJsonObject handle(const QByteArray& body) {
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    const QJsonValue id = request.value(QStringLiteral("id"));
    if (request.value(QStringLiteral("jsonrpc")) != QStringLiteral("2.0") ||
        request.value(QStringLiteral("method")) != QStringLiteral("call") || !id.isDouble()) {
      problems << QStringLiteral("bad JSON-RPC envelope: ") + QString::fromUtf8(body);
    }
    const QJsonArray params = request.value(QStringLiteral("params")).toArray();
    const QString session = params.at(0).toString();
    const QString object = params.at(1).toString();
    const QString method = params.at(2).toString();
    const QJsonObject args = params.at(3).toObject();
    if (params.size() != 4 || !params.at(3).isObject())
      problems << QStringLiteral("params: ") + QString::fromUtf8(body);
    const auto answer = [&](const QJsonArray& result) {
      return QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                         {QStringLiteral("id"), id},
                         {QStringLiteral("result"), result}};
    };
    if (object == QStringLiteral("session") && method == QStringLiteral("login")) {
      ++logins;
      if (session != QStringLiteral("00000000000000000000000000000000"))
        problems << QStringLiteral("login session");
      if (args.value(QStringLiteral("username")) != QStringLiteral("root") ||
          args.value(QStringLiteral("password")) != password) {
        return answer({6});
      }
      const QString issued = QStringLiteral("%1").arg(logins, 32, 10, QLatin1Char('a'));
      sessions_.append(issued);
      return answer(
          {0, QJsonObject{{QStringLiteral("ubus_rpc_session"), issued}, {QStringLiteral("timeout"), 300}}});
    }
    calls << QStringLiteral("%1 %2 %3")
                 .arg(object, method, QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact)));
    if (!sessions_.contains(session)) {
      return {{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
              {QStringLiteral("id"), id},
              {QStringLiteral("error"),
               QJsonObject{{QStringLiteral("code"), -32002},
                           {QStringLiteral("message"), QStringLiteral("Access denied")}}}};
    }
    if (object == QStringLiteral("uci") && method == QStringLiteral("get")) {
      return answer({0, QJsonObject{{QStringLiteral("values"), wireless}}});
    }
    if (object == QStringLiteral("uci") && method == QStringLiteral("set")) {
      const QString section = args.value(QStringLiteral("section")).toString();
      if (!wireless.contains(section)) return answer({4});
      QJsonObject values = wireless.value(section).toObject();
      const QJsonObject changes = args.value(QStringLiteral("values")).toObject();
      for (auto it = changes.begin(); it != changes.end(); ++it) values.insert(it.key(), it.value());
      staged_.insert(section, values);
      return answer({0});
    }
    if (object == QStringLiteral("uci") && method == QStringLiteral("commit")) {
      for (auto it = staged_.begin(); it != staged_.end(); ++it) wireless.insert(it.key(), it.value());
      staged_ = {};
      return answer({0});
    }
    if (object == QStringLiteral("network.wireless") &&
        (method == QStringLiteral("up") || method == QStringLiteral("down"))) {
      const QString device = args.value(QStringLiteral("device")).toString();
      if (!radioUp.contains(device)) return answer({4});
      radioUp[device] = method == QStringLiteral("up");
      return answer({0});
    }
    if (object == QStringLiteral("network.wireless") && method == QStringLiteral("status")) {
      QJsonObject radios;
      for (auto it = radioUp.begin(); it != radioUp.end(); ++it) {
        QJsonArray interfaces;
        for (const QJsonValue& value : wireless) {
          const QJsonObject section = value.toObject();
          if (section.value(QStringLiteral("device")) != it.key()) continue;
          QJsonObject entry{{QStringLiteral("section"), section.value(QStringLiteral(".name"))}};
          const QString phy =
              it.key() == QStringLiteral("radio0") ? QStringLiteral("phy0-ap0") : QStringLiteral("phy1-ap0");
          if (it.value()) entry.insert(QStringLiteral("ifname"), phy);
          interfaces.append(entry);
        }
        radios.insert(it.key(), QJsonObject{{QStringLiteral("up"), it.value()},
                                            {QStringLiteral("interfaces"), interfaces}});
      }
      return answer({0, radios});
    }
    if (object == QStringLiteral("iwinfo") && method == QStringLiteral("assoclist")) {
      return answer({0, QJsonObject{{QStringLiteral("results"),
                                     assoc.value(args.value(QStringLiteral("device")).toString())}}});
    }
    if (object == QStringLiteral("system") && method == QStringLiteral("reboot")) return answer({0});
    return answer({3});  // method not found
  }

  QTcpServer server_;
  QHash<QTcpSocket*, QByteArray> buffers_;
  QStringList sessions_;
  QJsonObject staged_;
};

}  // namespace gizrig::test
