#pragma once
// The M2M gate: the address modules log in to (S8.5), an MQTT-aware TCP relay in front of mosquitto.
//
// It reads the module's CONNECT with the proto MQTT codec and judges it the way Gizwits' M2M does: DID
// (client id = user name) and passcode against the lab's registry; a wrong pair gets CONNACK 0x04 from the
// gate itself (mosquitto would say 0x05, S8.9). An accepted CONNECT is forwarded unchanged to mosquitto and
// from then on bytes flow both ways unchanged. Faults can be injected for the S8.8/S8.9 tests: forced CONNACK
// codes, refusing connections, dropping them, stalling them and delaying them.

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpServer>
#include <functional>

#include "gagent/proto/mqtt.h"

namespace gizrig::cloud {

class GateConnection;

// The registry check: true when `passcode` is the passcode of the registered device `did`.
using DeviceAuthenticator = std::function<bool(const QString& did, const QString& passcode)>;

// How the gate handled one login.
enum class GateVerdict : quint8 {
  Relayed,              // forwarded to mosquitto; the code is mosquitto's own CONNACK
  BadCredentials,       // unknown DID, wrong passcode, user name != client id: gate answered 0x04
  Forced,               // a forced CONNACK code (fault injection) answered by the gate
  IdentifierRejected,   // client id empty or longer than 23 characters: gate answered 0x02
  UnsupportedProtocol,  // neither MQIsdp/3 nor MQTT/4: gate answered 0x01
  BrokerUnavailable,    // mosquitto could not be reached: gate answered 0x03
  Malformed,            // first packet not a well-formed CONNECT: closed without an answer
};
[[nodiscard]] QString gateVerdictName(GateVerdict verdict);

// Which relay directions a stall holds. Held bytes stay queued (as on a congested link) and flow again when
// the stall ends; the connections stay open.
enum class GateStall : quint8 { None = 0, ToBroker = 1, ToDevice = 2, Both = 3 };

struct GateFaults {
  GateStall stall = GateStall::None;
  int delayMs = 0;  // every relayed chunk waits this long, both directions
};

class M2mGate : public QObject {
  Q_OBJECT

 public:
  explicit M2mGate(DeviceAuthenticator authenticate, QObject* parent = nullptr);
  ~M2mGate() override;

  // Listens on 127.0.0.1:`port` (0: a free port). False with errorString() on failure.
  bool listen(quint16 port = 0);
  [[nodiscard]] quint16 port() const { return port_; }
  [[nodiscard]] QString errorString() const { return server_.errorString(); }
  // Where accepted logins are relayed to (mosquitto).
  void setBroker(const QHostAddress& host, quint16 port);

  // ---- fault injection ----
  // The next `count` CONNECTs (well-formed ones) get `code` from the gate instead of being judged.
  // Accepted or count <= 0 clears it.
  void forceConnack(gagent::proto::ConnackCode code, int count = 1);
  [[nodiscard]] int forcedConnacksLeft() const { return forcedCount_; }
  // Stops listening (new connects are refused by the kernel) / listens again on the same port.
  bool setRefusing(bool refusing);
  [[nodiscard]] bool isRefusing() const { return refusing_; }
  // Closes every open connection (both sides) at once, as a broken link would.
  void dropAll();
  void setStall(GateStall stall);
  void setDelay(int milliseconds);
  [[nodiscard]] GateFaults faults() const { return faults_; }

  [[nodiscard]] int connectionCount() const;

 signals:
  // Once per login: the gate's verdict, and the CONNACK code the device got (for Relayed: mosquitto's, when
  // it passes the gate; Malformed: 0xFF, nothing was sent).
  void loginHandled(const QString& did, gizrig::cloud::GateVerdict verdict, quint8 connackCode);
  // A device's relayed connection ended (either side closed or the gate dropped it).
  void connectionClosed(const QString& did);
  // Every byte of every connection, as the gate reads it (the engineer's MQTT traffic view in real time):
  // `connection` numbers the connection for its lifetime, `device` is the module's address:port. The gate's
  // own CONNACKs count as from the broker's side (fromDevice false).
  void wireBytes(quint64 connection, bool fromDevice, const QString& device, const QByteArray& bytes);
  void wireClosed(quint64 connection);

 private:
  friend class GateConnection;
  void onNewConnection();
  // Called by a connection with its parsed CONNECT: the verdict and the code the gate answers itself.
  GateVerdict judge(const gagent::proto::MqttConnect& connect, gagent::proto::ConnackCode& code);

  DeviceAuthenticator authenticate_;
  QTcpServer server_;
  quint16 port_ = 0;
  bool refusing_ = false;
  QHostAddress brokerHost_ = QHostAddress::LocalHost;
  quint16 brokerPort_ = 0;
  gagent::proto::ConnackCode forcedCode_ = gagent::proto::ConnackCode::Accepted;
  int forcedCount_ = 0;
  GateFaults faults_;
  QList<QPointer<GateConnection>> connections_;
  quint64 nextConnection_ = 1;
};

}  // namespace gizrig::cloud
