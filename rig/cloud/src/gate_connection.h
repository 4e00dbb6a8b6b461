#pragma once
// One module connection through the M2M gate: reads and judges the CONNECT, answers a refused login itself,
// or opens the broker side and relays both ways (two RelayPipes).

#include <QByteArray>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>
#include <memory>

#include "gizrig/cloud/m2m_gate.h"
#include "relay_pipe.h"

namespace gizrig::cloud {

class GateConnection : public QObject {
  Q_OBJECT

 public:
  GateConnection(QTcpSocket* device, M2mGate& gate, quint64 number);
  ~GateConnection() override;

  // Takes effect at once; `pump` moves what a lifted stall releases.
  void applyFaults(const GateFaults& faults, bool pump = true);
  void drop();
  [[nodiscard]] const QString& did() const { return did_; }
  [[nodiscard]] quint64 number() const { return number_; }
  // True once the login was relayed to the broker (a refused login never was).
  [[nodiscard]] bool wasRelayed() const { return toBroker_ != nullptr; }

 signals:
  // Both sides are closed; the gate deletes the connection.
  void finished();

 private:
  enum class State { AwaitingConnect, ConnectingBroker, Relaying, Closing };

  void onDeviceReadyRead();
  void readConnect();
  void answerAndClose(GateVerdict verdict, gagent::proto::ConnackCode code);
  void startRelay();
  void watchBrokerConnack(const QByteArray& bytes);
  void onSocketClosed();
  void report(GateVerdict verdict, quint8 code);
  void seen(bool fromDevice, const QByteArray& bytes);

  M2mGate& gate_;
  quint64 number_;
  QString deviceAddress_;  // "127.0.0.5:40211", kept: the socket forgets its peer once closed
  QTcpSocket* device_;
  QTcpSocket* broker_;
  State state_ = State::AwaitingConnect;
  QString did_;
  QByteArray login_;        // bytes read while waiting for the CONNECT (forwarded unchanged)
  QByteArray brokerHello_;  // first broker bytes, until its CONNACK is decoded
  bool brokerConnackSeen_ = false;
  bool finishedEmitted_ = false;
  QTimer loginTimer_;
  std::unique_ptr<RelayPipe> toBroker_;
  std::unique_ptr<RelayPipe> toDevice_;
  GateFaults faults_;
};

}  // namespace gizrig::cloud
