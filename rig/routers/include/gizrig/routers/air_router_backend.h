#pragma once
// RouterControl over the virtual air of the real-time lab (gagent-air, docs/virtual-lab.md), plus what only
// the air can do and the lab and the production sequence need: adding and removing access points, listing
// them and the modules on the air, a phone joining a module's SoftAP, and a phone's one-shot
// (AirLink/AirKiss) broadcast.
//
// Requests go through an AirLineClient (one in flight, answered in order, deadlines on the RigClock), so the
// backend never blocks the Qt thread. Errors the air answers are turned into operator words
// ("no access point \"X\" on the air"); the air's own reason stays in brackets.

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include "gizrig/routers/air_line_client.h"
#include "gizrig/plugs/router_control.h"

namespace gizrig::core {

struct AirAccessPoint {
  QString ssid;
  QString password;  // empty: an open AP
  bool powered = false;
  int signal = 0;  // the default signal 0-100
  int clients = 0;
  friend bool operator==(const AirAccessPoint&, const AirAccessPoint&) = default;
};

struct AirModule {
  QString mac;          // 12 hex digits, upper case
  QString ip;           // the module's 127.0.0.N
  QString stationSsid;  // empty when not joined
  QString softApSsid;   // empty when its SoftAP is off
  QString oneShot;      // "airlink", "airkiss" or empty when not listening
  friend bool operator==(const AirModule&, const AirModule&) = default;
};

class AirRouterBackend : public QObject, public RouterControl {
  Q_OBJECT
 public:
  template <typename T>
  using Answer = std::function<void(const RouterResult&, const T&)>;

  // Takes `link` (a QtStreamLink in the lab) as a child; the air listens at `address`:`port`.
  AirRouterBackend(StreamLink* link, RigClock& clock, const QHostAddress& address, quint16 port,
                   QObject* parent = nullptr);

  // RouterControl
  void setPower(const QString& ssid, bool on, Done done) override;
  void reboot(const QString& ssid, Done done) override;
  void configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) override;
  void setSignal(const QString& ssid, const QString& mac, int signal, Done done) override;
  void status(const QString& ssid,
              std::function<void(const RouterResult&, const RouterStatus&)> done) override;

  // The air only. signal 0-100.
  void addAccessPoint(const QString& ssid, const QString& password, int signal, Done done);
  void removeAccessPoint(const QString& ssid, Done done);
  void accessPoints(Answer<QList<AirAccessPoint>> done);
  void modules(Answer<QList<AirModule>> done);
  // A phone joins a module's SoftAP: the module's IP, where the phone sends UDP 0001.
  void softApJoin(const QString& softApSsid, const QString& password, Answer<QHostAddress> done);
  // A phone's one-shot broadcast of `ssid`/`password`: how many listening modules it reached.
  void oneShotSend(const QString& ssid, const QString& password, Answer<int> done);

  [[nodiscard]] AirLineClient& client() { return client_; }

 private:
  // Sends `line`; `onOk` gets the tokens after OK, errors go to `fail` in operator words.
  void send(const QByteArray& line, const QString& ssid, std::function<void(const QList<QByteArray>&)> onOk,
            std::function<void(const RouterResult&)> fail);
  void failSoon(std::function<void(const RouterResult&)> fail, const QString& error);
  void simple(const QByteArray& line, const QString& ssid, Done done);

  RigClock& clock_;
  AirLineClient client_;
};

}  // namespace gizrig::core
