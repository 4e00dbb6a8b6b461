#pragma once
// The MCU's transmit side: encodes frames with the proto codec, applies the injected faults, and writes
// them to the serial link in order. A delayed or split frame holds back the frames queued after it, as one
// UART would, so "empty 0x04, then 0x05" keeps its order under any fault. Every wait is a RigClock deadline.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <deque>

#include "gagent/proto/bytes.h"
#include "gagent/proto/mcu_frame.h"
#include "gizrig/links/links.h"
#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

// What scenarios can do to the MCU's bytes (docs/rig.md: late/missing ACK, bad checksum, unstuffed FF, split
// frames). Counters are "the next N frames"; each use counts one down.
struct McuFaults {
  RigMillis ackDelayMs = 0;  // answers/ACKs to the module's requests go out this late
  int dropAcks = 0;          // the next N answers/ACKs are not sent at all
  int corruptChecksums = 0;  // the next N frames (any kind) carry checksum + 1
  int unstuffedFf = 0;       // the next N frames carry a bare FF (see McuWire::send)
  int splitChunkBytes = 0;   // > 0: every frame goes out in chunks of this many bytes...
  RigMillis splitGapMs = 0;  // ...this far apart
};

class McuWire : public QObject {
  Q_OBJECT
 public:
  // What became of one frame: the bytes written (or that would have been, when dropped) and the faults.
  struct Sent {
    gagent::proto::McuHeader header;
    QByteArray payload;  // unescaped
    QByteArray raw;
    QString fault;           // "" or e.g. "bad checksum, delayed 300 ms"
    bool dropped = false;    // not written at all
    bool malformed = false;  // bad checksum or bare FF: the receiver must refuse it
    bool unframed = false;   // sendRaw bytes
  };

  McuWire(SerialLink* link, RigClock* clock, QObject* parent = nullptr);

  McuFaults& faults() { return faults_; }
  [[nodiscard]] const McuFaults& faults() const { return faults_; }

  // Encodes and queues one frame. `isAnswer`: an ACK/response to a module request (ACK faults apply).
  // Emits `sending` when its first byte is written (at once for a dropped frame). Fault shapes:
  //  - bad checksum: the unescaped checksum + 1, stuffed again;
  //  - unstuffed FF: every FF after the header goes out without its 55; a frame without one gets a bare FF
  //    inserted before its checksum, so the fault is always on the wire.
  // Returns false (nothing queued) when the payload cannot be framed (over kMcuMaxPayload).
  bool send(const gagent::proto::McuHeader& header, gagent::proto::Bytes payload, bool isAnswer);
  // Queues bytes as they are, unframed (scenarios sending garbage); split/delay do not apply.
  void sendRaw(const QByteArray& bytes);

  // Frames queued but not fully written yet.
  [[nodiscard]] std::size_t pendingFrames() const { return queue_.size(); }

 signals:
  void sending(const gizrig::core::McuWire::Sent& sent);

 private:
  struct Pending {
    RigMillis notBefore = 0;
    std::deque<QByteArray> chunks;
    RigMillis gapMs = 0;
    Sent sent;
    bool announced = false;
  };

  void pump();
  void schedule(RigMillis at);

  SerialLink* link_;
  RigClock* clock_;
  McuFaults faults_;
  std::deque<Pending> queue_;
  TimerId timer_ = 0;
  RigMillis timerAt_ = 0;
  bool pumping_ = false;
};

}  // namespace gizrig::core
