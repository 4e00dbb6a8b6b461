#pragma once
// What the engineer view talks to: one McuPlug (the MCU side of a module's serial line) and, in the virtual
// world, the phone app (AppPlug) and the stand-in cloud. Three ways to get one:
//   - startVirtual: an in-process VirtualWorld (firmware core + SimCloud) paced to the wall clock by a QTimer
//     on the GUI thread. Each tick runs a few ms of virtual time, which takes far less real time, so the GUI
//     never blocks;
//   - openSerial: a serial port or pty path (a real module, a lab slot's uart.pty) on the application's
//     RealClock, with the product the engineer chose;
//   - attach: an McuPlug somebody else owns (a lab slot the operator view runs);
//   - startLab: one module of a virtual lab in real time (gagent-sim on a pty, the air, the stand-in cloud
//     with mosquitto), the lab on a thread of its own (LabThread) so the GUI never waits for it; its plugs
//     (lab::LabModulePlugs) on the GUI thread. Its MQTT traffic is tapped at the lab's M2M gate.
// In the virtual world the module's network is tapped too (wirePacket): the LAN and MQTT traffic views.
// Module actions and the OTA push go through the rig's standard actions (engine_actions.h), so the GUI
// holds no protocol logic of its own.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QVariantMap>
#include <functional>
#include <memory>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/decode/wire_tap.h"
#include "gizrig/engine/engine_actions.h"
#include "gizrig/plugs/mcu_capture.h"

namespace gizrig::core {
class AppPlug;
class McuPlug;
class SerialLink;
class VirtualWorld;
class CloudControl;
class SimNetTap;
}  // namespace gizrig::core
namespace gizrig::cloud {
class GateWireTap;
}
namespace gagent::proto {
struct Product;
}
namespace gizrig::lab {
class LabModulePlugs;
}

namespace gizrig::gui {

class LabThread;

class EngineerSession : public QObject {
  Q_OBJECT
 public:
  enum class Kind : std::uint8_t { None, Virtual, Serial, Attached, Lab };
  using ActionCallback = std::function<void(const core::ActionResult&)>;

  // `realClock` (the app's) is used for serial ports; null = the session makes its own.
  explicit EngineerSession(core::RigClock* realClock, QObject* parent = nullptr);
  ~EngineerSession() override;

  bool startVirtual(const QString& productFile, QString& error);
  // `baud`: 9600 by the spec (S3.2); another speed for a module or adapter that runs one.
  bool openSerial(const QString& path, const QString& productFile, QString& error, qint32 baud = 9600);
  void attach(core::McuPlug* plug, core::RigClock* clock);
  // Starts a one-module lab and returns at once (false: the product did not load); opened() or
  // failed() follows. close() meanwhile cancels the start.
  bool startLab(const QString& productFile, QString& error);
  [[nodiscard]] bool labStarting() const;
  void close();

  // SoftAP onboarding of the module to the home router by the session's phone (virtual world or lab);
  // `done` gets "" or what went wrong.
  void onboard(std::function<void(const QString& error)> done);

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] QString describe() const { return description_; }
  [[nodiscard]] core::McuPlug* mcu() const { return mcu_; }
  [[nodiscard]] core::RigClock* clock() const { return clock_; }
  [[nodiscard]] core::AppPlug* app() const { return app_.get(); }
  [[nodiscard]] core::VirtualWorld* world() const { return world_.get(); }

  // Virtual time per real time (1 = the wall clock; 60 = a minute a second). The GUI stays responsive at any
  // speed: one tick runs at most kMaxTickMs of virtual time.
  void setVirtualSpeed(double speed) { speed_ = speed > 0 ? speed : 1; }
  [[nodiscard]] double virtualSpeed() const { return speed_; }
  void setPumping(bool on);  // tests drive the world themselves with runVirtualFor
  void runVirtualFor(core::RigMillis ms);

  // Runs one standard action ("mcu.send", "cloud.publishFirmware", ...) against this session's plugs;
  // an ERROR result when the action or a plug it needs is missing.
  void runAction(const QString& name, const QVariantMap& params, ActionCallback done);
  // The DUT's DID: the virtual world's, or in a lab the client id of its last M2M login ("" before
  // registration or on a serial line).
  [[nodiscard]] QString did() const;

 signals:
  void opened(const QString& description);
  void failed(const QString& error);  // a lab that did not start
  void closed();
  void frameLogged(const gizrig::core::FrameLogEntry& entry);
  void mcuEvent(const QString& name, const QVariantMap& fields);
  void appEvent(const QString& name, const QVariantMap& fields);
  void cloudEvent(const QString& name, const QVariantMap& fields);
  void statusSample(gizrig::core::RigMillis time, quint16 word);
  void heartbeat(gizrig::core::RigMillis time);
  void roundTrip(const QString& request, gizrig::core::RigMillis ms);
  // A packet on the module's network: the whole virtual LAN in the virtual world (tapped after every run),
  // the MQTT connections through the lab's M2M gate in a lab.
  void wirePacket(const gizrig::core::WirePacket& packet);

 private:
  static constexpr core::RigMillis kMaxTickMs = 2000;
  void wireMcu();
  void onLabStarted(bool ok, const QString& error);
  void tick();
  void runWorld(core::RigMillis ms);

  core::RigClock* realClock_;
  std::unique_ptr<core::RigClock> ownClock_;
  Kind kind_ = Kind::None;
  QString description_;
  core::ActionRegistry actions_;
  std::unique_ptr<core::VirtualWorld> world_;
  std::unique_ptr<core::SerialLink> serial_;
  std::unique_ptr<core::McuPlug> ownMcu_;
  std::unique_ptr<core::AppPlug> app_;
  std::unique_ptr<core::SimNetTap> tap_;
  // A lab session: the lab (its own thread), the plugs on its ptys and ports, the gate's tap; torn down in
  // reverse, the lab last.
  std::unique_ptr<LabThread> lab_;
  std::unique_ptr<lab::LabModulePlugs> labPlugs_;
  std::unique_ptr<cloud::GateWireTap> gateTap_;
  std::shared_ptr<const gagent::proto::Product> labProduct_;
  QString labProductName_;
  QString labDid_;
  core::McuPlug* mcu_ = nullptr;  // ownMcu_, the world's, or attached (outlives the session)
  core::RigClock* clock_ = nullptr;
  std::unique_ptr<core::RunContext> context_;
  QTimer pump_;
  QElapsedTimer sinceTick_;
  double speed_ = 1;
  double debt_ = 0;  // fractional virtual ms carried to the next tick
};

}  // namespace gizrig::gui
