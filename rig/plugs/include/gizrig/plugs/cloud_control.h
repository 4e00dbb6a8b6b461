#pragma once
// What the rig can do to the cloud the DUT uses (docs/rig.md): implemented by CloudPlug over the lab's
// stand-in cloud (HTTP /lab control + the Paho app client) and over the in-process SimCloud. Calls complete
// through the callback exactly once; app traffic and device state changes arrive as events.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <functional>

namespace gizrig::core {

struct CloudResult {
  bool ok = false;
  QString error;
  QVariantMap data;  // e.g. {"did":..., "online":true} for deviceStatus
};

class CloudControl {
 public:
  using Done = std::function<void(const CloudResult&)>;
  virtual ~CloudControl() = default;
  // endpoint: register | provision | unregister | ota_check | download; kind: status | garbage | delay |
  // close | stall | none; fields: status, error_code, delay_ms, count (see docs/virtual-lab.md and
  // rig/cloud).
  virtual void setHttpFault(const QString& endpoint, const QVariantMap& fault, Done done) = 0;
  // kind: connack (code, count) | refuse | drop | stall | delay (ms) | none
  virtual void setM2mFault(const QVariantMap& fault, Done done) = 0;
  virtual void publishFirmware(const QString& hardwareVersion, const QString& softwareVersion, int fid,
                               const QByteArray& image, Done done) = 0;
  virtual void pushOta(const QString& did, Done done) = 0;
  // The phone app over the cloud: a LAN-framed packet to app2dev/<did>/<clientId>; answers arrive as events.
  virtual void appPublish(const QString& did, const QString& clientId, const QByteArray& lanPacket,
                          Done done) = 0;
  virtual void deviceStatus(const QString& did, Done done) = 0;  // data: registered, online
};

}  // namespace gizrig::core
