#pragma once
// The MCU's own requests to the module (0x05, 0x09, 0x0B, 0x13, 0x15, 0x17, 0x21, 0x29) with the protocol's
// retry rule (§1.5, §9 "serial ACK"): one outstanding request at a time, the ACK (cmd + 1, same sn) awaited
// 200 ms, 3 transmissions in total with the same sn, then a timeout. Requests made meanwhile wait in order.

#include <QByteArray>
#include <QObject>
#include <deque>
#include <functional>
#include <optional>

#include "gagent/proto/mcu_frame.h"
#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

inline constexpr RigMillis kMcuAckTimeoutMs = 200;  // protocol §1.5
inline constexpr int kMcuTransmissions = 3;         // first + 2 resends

struct McuRequest {
  gagent::proto::McuCmd cmd = gagent::proto::McuCmd::P0FromMcu;
  std::uint8_t sn = 0;
  QByteArray payload;
  int transmissions = 0;       // so far
  RigMillis firstSentAt = -1;  // when its first transmission reached the wire; -1 before
};

class McuRequests : public QObject {
  Q_OBJECT
 public:
  using Transmit = std::function<void(const McuRequest&)>;

  McuRequests(RigClock* clock, Transmit transmit, QObject* parent = nullptr);

  // Queues a request and returns its sn (this side's 8-bit counter, wrapping, 0 not skipped: §1.4).
  std::uint8_t submit(gagent::proto::McuCmd cmd, const QByteArray& payload);
  // An ACK-type frame from the module: the request it answers (and the next one starts), or nullopt when it
  // matches nothing outstanding (late, duplicate, or never asked).
  std::optional<McuRequest> takeAck(const gagent::proto::McuHeader& header);
  // The transmit function's frame reached the wire (its first byte): the ACK deadline starts now. Frames
  // queued behind a delayed answer or split into chunks start later than they were handed over.
  void transmitted(const gagent::proto::McuHeader& header);

  [[nodiscard]] const std::optional<McuRequest>& outstanding() const { return outstanding_; }
  [[nodiscard]] std::size_t queued() const { return queue_.size(); }
  // Forgets every request (no timeouts are reported for them).
  void clear();

 signals:
  void timedOut(const McuRequest& request);

 private:
  void startNext();
  void transmit();
  void onDeadline();

  RigClock* clock_;
  Transmit transmit_;
  std::uint8_t nextSn_ = 0;
  std::optional<McuRequest> outstanding_;
  std::deque<McuRequest> queue_;
  TimerId timer_ = 0;
  bool awaitingWire_ = false;  // handed to transmit, not on the wire yet: no deadline running
};

}  // namespace gizrig::core

Q_DECLARE_METATYPE(gizrig::core::McuRequest)
