#pragma once
// The M2M gate's bytes through a WireTap: the module's MQTT traffic, decoded, in real time (the lab's
// counterpart of SimNetTap). Every module that logs in to the lab's cloud passes the gate, so this sees
// every MQTT packet of every module; `onlyDevice` narrows it to one module's address.

#include <QObject>
#include <QString>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/decode/wire_tap.h"

namespace gizrig::cloud {

class M2mGate;

class GateWireTap : public QObject {
  Q_OBJECT
 public:
  GateWireTap(M2mGate& gate, core::RigClock& clock, QObject* parent = nullptr);
  // "" = every module; else the module's IP address ("127.0.0.5").
  void setOnlyDevice(const QString& address) { onlyDevice_ = address; }

 signals:
  void packet(const gizrig::core::WirePacket& packet);

 private:
  void onBytes(quint64 connection, bool fromDevice, const QString& device, const QByteArray& bytes);
  void onClosed(quint64 connection);

  M2mGate& gate_;
  core::RigClock& clock_;
  core::WireTap tap_;
  QString onlyDevice_;
};

}  // namespace gizrig::cloud
