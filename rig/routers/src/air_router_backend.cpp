#include "gizrig/routers/air_router_backend.h"

#include <algorithm>
#include <optional>

#include "gizrig/routers/air_text.h"
#include "gizrig/routers/mac_text.h"

namespace gizrig::core {

namespace {

constexpr int kMaxSignal = 100;

QString operatorWords(const QString& airError, const QString& ssid) {
  if (airError == QStringLiteral("no-ap")) {
    return QStringLiteral("no access point \"%1\" on the air (no-ap)").arg(ssid);
  }
  if (airError == QStringLiteral("wrong-password")) {
    return QStringLiteral("wrong password for \"%1\" (wrong-password)").arg(ssid);
  }
  return airError;
}

std::optional<int> number(const QByteArray& token, int min, int max) {
  bool ok = false;
  const int value = token.toInt(&ok);
  if (!ok || value < min || value > max) return std::nullopt;
  return value;
}

// "OK <n> [<fields>]*n": the records, or nullopt when the count does not match the tokens.
std::optional<QList<QList<QByteArray>>> records(const QList<QByteArray>& tokens, qsizetype fields) {
  if (tokens.isEmpty()) return std::nullopt;
  const auto count = number(tokens.front(), 0, 1'000'000);
  if (!count || tokens.size() != 1 + *count * fields) return std::nullopt;
  QList<QList<QByteArray>> list;
  for (qsizetype i = 0; i < *count; ++i) list.append(tokens.mid(1 + i * fields, fields));
  return list;
}

RouterResult malformed(const char* what) {
  return {false, QStringLiteral("the air's answer to %1 is malformed").arg(QLatin1String(what))};
}

}  // namespace

AirRouterBackend::AirRouterBackend(StreamLink* link, RigClock& clock, const QHostAddress& address,
                                   quint16 port, QObject* parent)
    : QObject(parent), clock_(clock), client_(link, clock, address, port, this) {}

void AirRouterBackend::failSoon(std::function<void(const RouterResult&)> fail, const QString& error) {
  clock_.callAfter(0, this, [fail = std::move(fail), error] { fail({false, error}); });
}

void AirRouterBackend::send(const QByteArray& line, const QString& ssid,
                            std::function<void(const QList<QByteArray>&)> onOk,
                            std::function<void(const RouterResult&)> fail) {
  client_.request(line, [ssid, onOk = std::move(onOk), fail = std::move(fail)](const AirReply& reply) {
    if (reply.ok) {
      onOk(reply.tokens);
    } else {
      fail({false, operatorWords(reply.error, ssid)});
    }
  });
}

void AirRouterBackend::simple(const QByteArray& line, const QString& ssid, Done done) {
  send(
      line, ssid,
      [done](const QList<QByteArray>&) {
        done({true, {}});
      },
      done);
}

void AirRouterBackend::setPower(const QString& ssid, bool on, Done done) {
  simple("AP-POWER " + encodeAirText(ssid) + (on ? " on" : " off"), ssid, std::move(done));
}

void AirRouterBackend::reboot(const QString& ssid, Done done) {
  simple("AP-REBOOT " + encodeAirText(ssid), ssid, std::move(done));
}

void AirRouterBackend::configure(const QString& ssid, const QString& newSsid, const QString& password,
                                 Done done) {
  if (newSsid.isEmpty()) return failSoon(std::move(done), QStringLiteral("the new SSID is empty"));
  simple("AP-SET " + encodeAirText(ssid) + ' ' + encodeAirText(newSsid) + ' ' + encodeAirText(password), ssid,
         std::move(done));
}

void AirRouterBackend::setSignal(const QString& ssid, const QString& mac, int signal, Done done) {
  if (signal < 0 || signal > kMaxSignal) {
    return failSoon(std::move(done), QStringLiteral("signal %1 is not within 0-100").arg(signal));
  }
  QString who = QStringLiteral("*");
  if (!mac.isEmpty()) {
    who = macHex(mac).toLower();
    if (who.isEmpty())
      return failSoon(std::move(done), QStringLiteral("\"%1\" is not a MAC address").arg(mac));
  }
  simple("RSSI " + encodeAirText(ssid) + ' ' + who.toLatin1() + ' ' + QByteArray::number(signal), ssid,
         std::move(done));
}

void AirRouterBackend::status(const QString& ssid,
                              std::function<void(const RouterResult&, const RouterStatus&)> done) {
  // APS for power and signal, then CLIENTS for the MACs (APS only counts them).
  accessPoints([this, ssid, done](const RouterResult& result, const QList<AirAccessPoint>& aps) {
    if (!result.ok) return done(result, {});
    const auto it =
        std::find_if(aps.begin(), aps.end(), [&](const AirAccessPoint& ap) { return ap.ssid == ssid; });
    if (it == aps.end()) return done({false, operatorWords(QStringLiteral("no-ap"), ssid)}, {});
    RouterStatus status{ssid, it->powered, it->signal, {}};
    send(
        "CLIENTS " + encodeAirText(ssid), ssid,
        [done, status](const QList<QByteArray>& tokens) mutable {
          const auto list = records(tokens, 1);
          if (!list) return done(malformed("CLIENTS"), {});
          for (const auto& record : *list) {
            const QString mac = macHex(QString::fromLatin1(record[0]));
            if (mac.isEmpty()) return done(malformed("CLIENTS"), {});
            status.clientMacs.append(mac);
          }
          done({true, {}}, status);
        },
        [done](const RouterResult& failed) { done(failed, {}); });
  });
}

void AirRouterBackend::addAccessPoint(const QString& ssid, const QString& password, int signal, Done done) {
  if (ssid.isEmpty()) return failSoon(std::move(done), QStringLiteral("an access point needs an SSID"));
  if (signal < 0 || signal > kMaxSignal) {
    return failSoon(std::move(done), QStringLiteral("signal %1 is not within 0-100").arg(signal));
  }
  simple("AP-ADD " + encodeAirText(ssid) + ' ' + encodeAirText(password) + ' ' + QByteArray::number(signal),
         ssid, std::move(done));
}

void AirRouterBackend::removeAccessPoint(const QString& ssid, Done done) {
  simple("AP-REMOVE " + encodeAirText(ssid), ssid, std::move(done));
}

void AirRouterBackend::accessPoints(Answer<QList<AirAccessPoint>> done) {
  send(
      "APS", {},
      [done](const QList<QByteArray>& tokens) {
        const auto list = records(tokens, 5);
        if (!list) return done(malformed("APS"), {});
        QList<AirAccessPoint> aps;
        for (const auto& record : *list) {
          const auto ssid = decodeAirText(record[0]);
          const auto password = decodeAirText(record[1]);
          const auto signal = number(record[3], 0, kMaxSignal);
          const auto clients = number(record[4], 0, 1'000'000);
          if (!ssid || !password || !signal || !clients || (record[2] != "on" && record[2] != "off")) {
            return done(malformed("APS"), {});
          }
          aps.append({*ssid, *password, record[2] == "on", *signal, *clients});
        }
        done({true, {}}, aps);
      },
      [done](const RouterResult& failed) { done(failed, {}); });
}

void AirRouterBackend::modules(Answer<QList<AirModule>> done) {
  send(
      "MODULES", {},
      [done](const QList<QByteArray>& tokens) {
        const auto list = records(tokens, 5);
        if (!list) return done(malformed("MODULES"), {});
        QList<AirModule> modules;
        for (const auto& record : *list) {
          const QString mac = macHex(QString::fromLatin1(record[0]));
          const auto station = decodeAirText(record[2]);
          const auto softAp = decodeAirText(record[3]);
          const auto oneShot = decodeAirText(record[4]);
          if (mac.isEmpty() || QHostAddress(QString::fromLatin1(record[1])).isNull() || !station || !softAp ||
              !oneShot) {
            return done(malformed("MODULES"), {});
          }
          modules.append({mac, QString::fromLatin1(record[1]), *station, *softAp, *oneShot});
        }
        done({true, {}}, modules);
      },
      [done](const RouterResult& failed) { done(failed, {}); });
}

void AirRouterBackend::softApJoin(const QString& softApSsid, const QString& password,
                                  Answer<QHostAddress> done) {
  send(
      "SOFTAP-JOIN " + encodeAirText(softApSsid) + ' ' + encodeAirText(password), softApSsid,
      [done](const QList<QByteArray>& tokens) {
        const QHostAddress ip =
            tokens.size() == 1 ? QHostAddress(QString::fromLatin1(tokens[0])) : QHostAddress();
        if (ip.isNull()) return done(malformed("SOFTAP-JOIN"), {});
        done({true, {}}, ip);
      },
      [done](const RouterResult& failed) { done(failed, {}); });
}

void AirRouterBackend::oneShotSend(const QString& ssid, const QString& password, Answer<int> done) {
  send(
      "ONESHOT-SEND " + encodeAirText(ssid) + ' ' + encodeAirText(password), ssid,
      [done](const QList<QByteArray>& tokens) {
        const auto reached = tokens.size() == 1 ? number(tokens[0], 0, 1'000'000) : std::nullopt;
        if (!reached) return done(malformed("ONESHOT-SEND"), 0);
        done({true, {}}, *reached);
      },
      [done](const RouterResult& failed) { done(failed, 0); });
}

}  // namespace gizrig::core
