#include "gizrig/core/mcu_requests.h"

namespace gizrig::core {

namespace proto = gagent::proto;

McuRequests::McuRequests(RigClock* clock, Transmit transmit, QObject* parent)
    : QObject(parent), clock_(clock), transmit_(std::move(transmit)) {}

std::uint8_t McuRequests::submit(proto::McuCmd cmd, const QByteArray& payload) {
  McuRequest request;
  request.cmd = cmd;
  request.sn = nextSn_++;
  request.payload = payload;
  request.firstSentAt = -1;
  queue_.push_back(request);
  if (!outstanding_) startNext();
  return request.sn;
}

std::optional<McuRequest> McuRequests::takeAck(const proto::McuHeader& header) {
  if (!outstanding_ || header.cmd != proto::ackFor(outstanding_->cmd) || header.sn != outstanding_->sn)
    return std::nullopt;
  McuRequest done = *outstanding_;
  outstanding_.reset();
  if (timer_ != 0) clock_->cancel(timer_);
  timer_ = 0;
  startNext();
  return done;
}

void McuRequests::clear() {
  if (timer_ != 0) clock_->cancel(timer_);
  timer_ = 0;
  outstanding_.reset();
  queue_.clear();
}

void McuRequests::startNext() {
  if (queue_.empty()) return;
  outstanding_ = queue_.front();
  queue_.pop_front();
  outstanding_->firstSentAt = clock_->nowMs();
  transmit();
}

void McuRequests::transmit() {
  ++outstanding_->transmissions;
  // Arm the deadline before writing: a synchronous peer may ACK inside the write.
  timer_ = clock_->callAfter(kMcuAckTimeoutMs, this, [this] { onDeadline(); });
  const McuRequest copy = *outstanding_;
  transmit_(copy);
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
