#include "gizrig/plugs/mcu_requests.h"

namespace gizrig::core {

namespace proto = gagent::proto;

McuRequests::McuRequests(RigClock* clock, Transmit transmit, QObject* parent)
    : QObject(parent), clock_(clock), transmit_(std::move(transmit)) {}

std::uint8_t McuRequests::submit(proto::McuCmd cmd, const QByteArray& payload) {
  McuRequest request;
  request.cmd = cmd;
  request.sn = nextSn_++;
  request.payload = payload;
  queue_.push_back(request);
  if (!outstanding_) startNext();
  return request.sn;
}

std::optional<McuRequest> McuRequests::takeAck(const proto::McuHeader& header) {
  if (!outstanding_ || header.cmd != proto::ackFor(outstanding_->cmd) || header.sn != outstanding_->sn)
    return std::nullopt;
  McuRequest done = *outstanding_;
  outstanding_.reset();
  awaitingWire_ = false;
  if (timer_ != 0) clock_->cancel(timer_);
  timer_ = 0;
  startNext();
  return done;
}

void McuRequests::clear() {
  if (timer_ != 0) clock_->cancel(timer_);
  timer_ = 0;
  outstanding_.reset();
  awaitingWire_ = false;
  queue_.clear();
}

void McuRequests::startNext() {
  if (queue_.empty()) return;
  outstanding_ = queue_.front();
  queue_.pop_front();
  transmit();
}

void McuRequests::transmit() {
  ++outstanding_->transmissions;
  awaitingWire_ = true;
  const McuRequest copy = *outstanding_;
  transmit_(copy);  // may ACK synchronously (then `outstanding_` is already the next request or none)
}

void McuRequests::transmitted(const proto::McuHeader& header) {
  if (!outstanding_ || !awaitingWire_ || header.cmd != outstanding_->cmd || header.sn != outstanding_->sn)
    return;
  awaitingWire_ = false;
  if (outstanding_->firstSentAt < 0) outstanding_->firstSentAt = clock_->nowMs();
  // Armed before the bytes are written: a synchronous peer may ACK inside the write.
  timer_ = clock_->callAfter(kMcuAckTimeoutMs, this, [this] { onDeadline(); });
}

void McuRequests::onDeadline() {
  timer_ = 0;
  if (!outstanding_) return;
  if (outstanding_->transmissions < kMcuTransmissions) {
    transmit();
    return;
  }
  const McuRequest failed = *outstanding_;
  outstanding_.reset();
  emit timedOut(failed);
  startNext();
}

}  // namespace gizrig::core
