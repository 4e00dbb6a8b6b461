#pragma once
// One run's wire trace (`--trace DIR`, docs/real-station.md): every MCU serial frame both ways (the MCU
// plug's frame log, faults included) and every LAN packet the slot's app sent or received (its
// LanTrafficTap, reassembled and named by WireTap), one line each, in the order the rig saw them:
//
//   +   0.412 s  serial  mcu->module  0x01 device info sn=1                      ffff000501010000...
//   +   3.208 s  lan     rig->10.77.0.2:12416  0x0006 passcode request          0000000303000006
//
// The file is opened when the run starts and flushed line by line, so a rig killed mid-run leaves the
// trace up to that moment; the run record names the file (RunRecord::trace).

#include <QFile>
#include <QObject>
#include <memory>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/decode/wire_tap.h"

namespace gizrig::core {

class LanTrafficTap;
class McuPlug;
struct FrameLogEntry;

class SlotTrace : public QObject {
 public:
  // `directory` exists (created if missing) and is a writable directory; false + `error` otherwise.
  static bool prepareDirectory(const QString& directory, QString* error);

  // A new trace file at `path` starting with `header` (one line per entry); null + `error` when it cannot be
  // created. An existing file is never overwritten.
  static std::unique_ptr<SlotTrace> create(const QString& path, const QString& header, RigClock& clock,
                                           QString* error);

  // Traces what `mcu` and `lan` (either may be null) see from now on, until this trace is destroyed.
  void attach(McuPlug* mcu, LanTrafficTap* lan);
  [[nodiscard]] QString path() const { return file_.fileName(); }

 private:
  SlotTrace(const QString& path, RigClock& clock);
  void onFrame(const FrameLogEntry& entry);
  void onPackets(const std::vector<WirePacket>& packets);
  void writeLine(RigMillis time, const QString& channel, const QString& direction, const QString& what,
                 const QByteArray& bytes);

  QFile file_;
  RigClock& clock_;
  RigMillis start_ = 0;
  WireTap tap_;
};

}  // namespace gizrig::core
