#pragma once
// The device's MCU, played by the rig on the module's serial line (docs/rig.md "Plugs"). It behaves as a
// product's MCU does: answers 0x01 with device info, ACKs heartbeats and status pushes, keeps the data-point
// state of a product definition through the P0 codec (control -> empty 0x04 then a 0x05 report; read -> 0x04
// with 03 + state), and sends its own requests with the protocol's retries (§1.5). Every frame both ways is
// logged with its RigClock time, raw bytes and decoded fields. Scenarios drive it by name and inject faults.
//
// Events (signal `event`, for the scenario engine; all carry "time" = RigClock ms):
//   mcu.handshake  {sn}                                  a 0x01 was answered (or would have been, when
//   silent) mcu.status     {sn, word, changed, softap, station, onboarding, bindable, router, cloud, rssi,
//   app, test} mcu.heartbeat  {sn} mcu.control    {sn, <point>: new value...}           a valid control was
//   applied mcu.read       {sn} mcu.passthrough {sn, data (hex)} mcu.p0.invalid {sn, error} a 0x03 the
//   product's P0 codec refused mcu.illegal    {sn, code}                            the module's 0x11 notice
//   mcu.reboot     {sn}                                  the module asked the MCU to reboot (0x0F)
//   mcu.request    {sn, cmd, name}                       another module request (plain ACK)
//   mcu.unknown    {sn, cmd}                             an unknown command (answered 0x12 code 02)
//   mcu.badframe   {error, cmd?, sn?}                    a frame the decoder dropped
//   mcu.ack        {sn, cmd, name, transmissions, + 0x18: local_time, ntp; 0x22: protocol_ver, hard_ver,
//                  soft_ver, mac, ip, dev_attr}
//   mcu.timeout    {sn, cmd, name, transmissions}
//   mcu.unmatched  {sn, cmd, name}                       an ACK that answers nothing outstanding
//   mcu.error      {sn, error}                           the rig cannot answer (device info fields too long)

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QVariant>
#include <QVariantMap>
#include <memory>
#include <optional>

#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"
#include "gagent/proto/p0.h"
#include "gagent/proto/product.h"
#include "gizrig/clock/rig_clock.h"
#include "gizrig/decode/mcu_describe.h"
#include "gizrig/links/links.h"
#include "gizrig/plugs/mcu_capture.h"
#include "gizrig/plugs/mcu_requests.h"
#include "gizrig/plugs/mcu_wire.h"

namespace gizrig::core {

// The 0x02 answer (§1.8). Text fields go out as their fixed widths (shorter ones zero-padded; longer ones
// make the handshake fail with an error event instead of sending a wrong frame).
struct McuDeviceInfo {
  QByteArray protocolVer = "00000004";
  QByteArray p0Ver;  // default: the product's packetVersion as 8 hex digits ("00000004")
  QByteArray hardVer = "00000001";
  QByteArray softVer = "00000001";
  QByteArray productKey;    // default: the product's key
  quint16 bindTimeout = 0;  // 0 = always bindable
  // Optional tails, each only with the ones before it. Generated MCU code always sets dev_attr byte 7 bit 1.
  QByteArray devAttr = QByteArray::fromHex("0000000000000002");  // empty = the basic 66-byte form
  QByteArray productSecret;                                      // empty = absent
  std::optional<QByteArray> data;                                // "key=value&..."; nullopt = absent
};

class McuPlug : public QObject {
  Q_OBJECT
 public:
  McuPlug(SerialLink* link, RigClock* clock, gagent::proto::Product product, QObject* parent = nullptr);
  ~McuPlug() override;

  // A product fixture (fixtures/products/*.json); nullopt + error naming the file on failure.
  static std::optional<gagent::proto::Product> loadProductFile(const QString& path, QString& error);
  // Why `value` cannot be data point `name` of `product` (unknown point, out of range, wrong type), or "":
  // the rule setDataPoints applies, for loaders that check a scenario before it runs.
  static QString checkDataPointValue(const gagent::proto::Product& product, const QString& name,
                                     const QVariant& value);

  bool open();  // opens the link unless it is open already
  void close();
  [[nodiscard]] SerialLink* link() const { return link_; }

  // ---- what the MCU tells the module --------------------------------------------------------------
  McuDeviceInfo& deviceInfo() { return info_; }
  void setDeviceInfo(const McuDeviceInfo& info) { info_ = info; }

  // ---- data points (by name, through the product's P0 codec) ------------------------------------------
  [[nodiscard]] const gagent::proto::Product& product() const { return *product_; }
  [[nodiscard]] const gagent::proto::P0State& state() const { return state_; }
  // bool -> bool, enum -> its name (QString), numbers -> display value (double), binary -> QByteArray;
  // an invalid QVariant for an unknown name.
  [[nodiscard]] QVariant dataPoint(const QString& name) const;
  [[nodiscard]] QVariantMap dataPoints() const;
  // "The user" changes points on the device: all or nothing, then (report = true) one 0x05 report. Accepts
  // bool/0/1 for bool, a name or an index for enum, a display number for numbers, bytes or hex for binary.
  // Returns "" or the reason nothing changed.
  QString setDataPoints(const QVariantMap& values, bool report = true);
  QString setDataPoint(const QString& name, const QVariant& value, bool report = true);

  // ---- the MCU's own requests (each returns its sn; results as mcu.ack / mcu.timeout) -------------------
  std::uint8_t sendReport();                                        // 0x05, 04 + state
  std::uint8_t sendConfigMode(gagent::proto::ConfigMethod method);  // 0x09: SoftAP 1, AirLink 2
  // 0x09 type 4, "write config directly" (protocol 1.8): the router's credentials from the MCU. Texts over
  // 255 bytes cannot be framed: returns nullopt and sends nothing.
  std::optional<std::uint8_t> sendDirectConfig(const QByteArray& ssid, const QByteArray& password,
                                               const QByteArray& bssid = {});
  std::uint8_t sendResetModule();                                                       // 0x0B
  std::uint8_t sendProductionTest();                                                    // 0x13
  std::uint8_t sendBindWindow();                                                        // 0x15
  std::uint8_t requestNetworkTime();                                                    // 0x17 -> 0x18
  std::uint8_t requestModuleInfo();                                                     // 0x21 -> 0x22
  std::uint8_t sendRestartModule();                                                     // 0x29
  std::uint8_t sendCommand(gagent::proto::McuCmd cmd, const QByteArray& payload = {});  // any request
  void sendRawBytes(const QByteArray& bytes);  // unframed, as given (garbage, hand-made frames)

  // ---- faults ------------------------------------------------------------------------------------------
  void delayAcks(RigMillis ms);  // 0 = off
  void dropAcks(int count);
  void corruptChecksums(int count);
  void sendUnstuffedFf(int count);
  void splitFrames(int chunkBytes, RigMillis gapMs);  // chunkBytes 0 = off
  // Silent: answers nothing (no ACKs, no responses, no report after a control, no 0x12); frames are still
  // received and logged, and requests the scenario asks for still go out.
  void setSilent(bool silent);
  // A data point the MCU cannot change: after every control it is back at `value` before the report goes out
  // (a broken actuator; the production test's "wrong report" case). An invalid QVariant clears the fault.
  void setStuckDataPoint(const QString& name, const QVariant& value);
  [[nodiscard]] bool isSilent() const { return silent_; }
  void clearFaults();
  [[nodiscard]] const McuFaults& faults() const { return wire_->faults(); }

  // ---- what the MCU saw ---------------------------------------------------------------------------------
  [[nodiscard]] std::optional<quint16> statusWord() const { return statusWord_; }
  // The last status word decoded (§1.9); all false before the first 0x0D.
  [[nodiscard]] gagent::proto::WifiStatus wifiStatus() const {
    return gagent::proto::WifiStatus::fromWord(statusWord_.value_or(0));
  }
  [[nodiscard]] RigMillis statusTime() const { return statusTime_; }
  [[nodiscard]] const QList<RigMillis>& heartbeatTimes() const { return heartbeatTimes_; }
  [[nodiscard]] int handshakeCount() const { return handshakes_; }
  // True once this plug sent a command that changes the module's mode (0x09, 0x0B, 0x13, 0x15, 0x29) after
  // the last handshake: the module is no longer in the state it came up in (a retest must restart it).
  [[nodiscard]] bool commandedSinceHandshake() const { return commandedSinceHandshake_; }
  [[nodiscard]] const std::optional<gagent::proto::NetworkTime>& networkTime() const { return networkTime_; }
  [[nodiscard]] const std::optional<McuModuleInfo>& moduleInfo() const { return moduleInfo_; }
  [[nodiscard]] const McuRequests& requests() const { return *requests_; }

  [[nodiscard]] const McuCapture& capture() const { return capture_; }
  McuCapture& capture() { return capture_; }

 signals:
  void frameLogged(const gizrig::core::FrameLogEntry& entry);
  void event(const QString& name, const QVariantMap& fields);
  void handshake(quint8 sn);
  void statusChanged(quint16 word, gizrig::core::RigMillis time);  // on a push with a new word
  void heartbeatReceived(gizrig::core::RigMillis time);
  void controlReceived(const QVariantMap& changes);
  void illegalReceived(int code, quint8 sn);
  void commandAcked(quint8 cmd, quint8 sn, const QVariantMap& fields);
  void commandTimedOut(quint8 cmd, quint8 sn);

 private:
  void onBytes(const QByteArray& bytes);
  void handleFrame(const gagent::proto::McuHeader& header, const QByteArray& payload, const QByteArray& raw);
  void handleBadFrame(const gagent::proto::McuDecodeError& error, const QByteArray& raw);
  void handleP0(const gagent::proto::McuHeader& header, const QByteArray& payload);
  void handleStatus(const gagent::proto::McuHeader& header, const QByteArray& payload);
  void handleAck(const gagent::proto::McuHeader& header, const QByteArray& payload);
  void answer(gagent::proto::McuCmd cmd, std::uint8_t sn, const QByteArray& payload = {});
  void answerIllegal(std::uint8_t sn, gagent::proto::IllegalCode code);
  QByteArray deviceInfoPayload(QString& error) const;
  QByteArray statusPayload(gagent::proto::P0Action action) const;
  void logSent(const McuWire::Sent& sent);
  void log(FrameLogEntry entry);
  void emitEvent(const QString& name, QVariantMap fields);
  static QString applyValue(gagent::proto::P0State& state, const QString& name, const QVariant& value);

  SerialLink* link_;
  RigClock* clock_;
  std::unique_ptr<const gagent::proto::Product> product_;  // P0State keeps a pointer to it
  gagent::proto::P0State state_;
  McuDeviceInfo info_;
  McuWire* wire_;
  McuRequests* requests_;
  McuCapture capture_;

  gagent::proto::McuFrameDecoder decoder_;
  QByteArray inbox_;       // bytes received while a frame was being handled
  QByteArray rawPending_;  // wire bytes of the frame being decoded
  bool receiving_ = false;
  bool silent_ = false;
  QString stuckPoint_;
  QVariant stuckValue_;

  std::optional<quint16> statusWord_;
  RigMillis statusTime_ = 0;
  QList<RigMillis> heartbeatTimes_;
  int handshakes_ = 0;
  bool commandedSinceHandshake_ = false;
  std::optional<gagent::proto::NetworkTime> networkTime_;
  std::optional<McuModuleInfo> moduleInfo_;
};

}  // namespace gizrig::core
