#pragma once
// The M2M gate's side of the stand-in cloud's control endpoint (/lab/m2m on CloudApiServer): which devices
// are online through the gate, and its faults, as JSON for the rig's CloudPlug and scripts.
//
//   GET  /lab/m2m  -> {"online":[dids], "connections":N,
//                      "faults":{"forced_connacks":N,"refusing":bool,"stall":"none|to-broker|to-device|both",
//                                "delay_ms":N}}
//   POST /lab/m2m  {"kind":"connack","code":1-255,"count":N}   the next N CONNECTs get that code (count 1)
//                  {"kind":"refuse"}                          connections refused (until "none")
//                  {"kind":"drop"}                            every open connection closed now
//                  {"kind":"stall","direction":"both|to-broker|to-device"}   (both when absent)
//                  {"kind":"delay","ms":N}                    every relayed chunk waits N ms
//                  {"kind":"none"}                            every fault cleared
//                  -> {"ok":true} or 400 {"error":"..."}
//
// Online: a device is online from a relayed login that mosquitto accepted (CONNACK 0) until its last relayed
// connection closes - what the real cloud's device status says.
//
// Wiring (the lab): M2mLabControl control(gate); apiServer.setM2mControl(control.hook());

#include <QHash>
#include <QObject>
#include <QStringList>

#include "gizrig/cloud/cloud_api_server.h"
#include "gizrig/cloud/m2m_gate.h"

namespace gizrig::cloud {

class M2mLabControl : public QObject {
  Q_OBJECT
 public:
  // The gate must outlive this object.
  explicit M2mLabControl(M2mGate& gate, QObject* parent = nullptr);

  [[nodiscard]] LabControlAnswer handle(const QString& method, const QByteArray& body);
  // For CloudApiServer::setM2mControl; answers 503 once this object is gone.
  [[nodiscard]] LabControlHook hook();

  [[nodiscard]] QStringList onlineDevices() const;

 private:
  LabControlAnswer state() const;
  LabControlAnswer applyFault(const QByteArray& body);

  M2mGate& gate_;
  QHash<QString, int> online_;  // DID -> open relayed connections
};

}  // namespace gizrig::cloud
