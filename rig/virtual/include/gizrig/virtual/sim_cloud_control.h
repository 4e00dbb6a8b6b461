#pragma once
// CloudControl over the in-process stand-in cloud (sim::SimCloud) of the virtual-time world. It services the
// SimCloud on every clock turn (accepting the module's connections and answering them) and turns what the
// device publishes to the app into events.
//
// Events (signal `event`, fields always carry "time" = RigClock ms):
//   cloud.app  {did, topic, clientId ("" for dev2app/<did>), cmd, payload (hex), packet (hex); for 0094 also
//              sn and p0 (hex); for 0091 p0 (hex)}       a LAN packet the device published on dev2app
//
// Fault mapping (the lab cloud's vocabulary, docs/virtual-lab.md, rig/cloud/README.md):
//   HTTP endpoint register | provision | unregister | ota_check (or ota-check) | download | *;
//     kind status {status, error_code} | garbage | delay {delay_ms} | close | none; count N or absent /
//     "persistent" for every request. "stall" is refused: SimCloud cannot hold a request unanswered.
//   M2M kind connack {code, count (default 1)} | refuse (broker down) | drop (every session closed) | stall
//   (a
//     hung broker: sessions swallow bytes) | none (all of these off). "delay" is refused: SimCloud relays at
//     once.
// Every call completes through its callback exactly once, at the clock's next turn.

#include <QObject>

#include "gizrig/plugs/cloud_control.h"
#include "gizrig/virtual/virtual_rig_clock.h"

namespace gagent::sim {
class SimCloud;
}

namespace gizrig::core {

class SimCloudControl final : public QObject, public CloudControl {
  Q_OBJECT
 public:
  // Registers the SimCloud's service (and deadline) on the clock; the SimCloud must outlive this object.
  SimCloudControl(gagent::sim::SimCloud& cloud, VirtualRigClock& clock, QObject* parent = nullptr);
  ~SimCloudControl() override;

  void setHttpFault(const QString& endpoint, const QVariantMap& fault, Done done) override;
  void setM2mFault(const QVariantMap& fault, Done done) override;
  void publishFirmware(const QString& hardwareVersion, const QString& softwareVersion, int fid,
                       const QByteArray& image, Done done) override;
  // The firmware type pushed is the module's own (0x0211 type 1, Wi-Fi).
  void pushOta(const QString& did, Done done) override;
  void appPublish(const QString& did, const QString& clientId, const QByteArray& lanPacket,
                  Done done) override;
  void deviceStatus(const QString& did, Done done) override;

  [[nodiscard]] gagent::sim::SimCloud& cloud() { return cloud_; }

 signals:
  void event(const QString& name, const QVariantMap& fields);

 private:
  bool service(RigMillis now);
  void emitPublishes();
  void complete(Done done, CloudResult result);
  static CloudResult ok(QVariantMap data = {}) { return {true, {}, std::move(data)}; }
  static CloudResult fail(const QString& error) { return {false, error, {}}; }

  gagent::sim::SimCloud& cloud_;
  VirtualRigClock& clock_;
  VirtualRigClock::ServiceId serviceId_ = 0;
  std::size_t publishesSeen_ = 0;
};

}  // namespace gizrig::core
