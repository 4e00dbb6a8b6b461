#include "gagent/core/forwarder.h"

namespace gagent::core {

using proto::LanCmd;

namespace {

// The answer command for an app command: 0090 -> 0091, 0093 -> 0094 (protocol §2.3).
LanCmd answerFor(LanCmd cmd) {
  return cmd == LanCmd::P0ToDeviceSn ? LanCmd::P0FromDeviceSn : LanCmd::P0FromDevice;
}

bool isAppCommand(LanCmd cmd) {
  return cmd == LanCmd::P0ToDevice || cmd == LanCmd::P0ToDeviceSn;
}

}  // namespace

Forwarder::Forwarder(ForwarderOutputs& outputs, LogHub& logs) : outputs_(outputs), log_(logs, "fwd") {}

void Forwarder::fromLanClient(std::size_t slot, LanCmd cmd, std::uint32_t sn, proto::Bytes p0, Millis now) {
  Pending request;
  request.source = Source::Lan;
  request.slot = slot;
  request.cmd = cmd;
  request.sn = sn;
  forward(request, p0, now);
}

void Forwarder::fromCloudClient(std::string_view clientId, LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                                Millis now) {
  Pending request;
  request.source = Source::Cloud;
  request.clientId.append(clientId);
  if (!request.clientId.ok()) {
    log_.warning("cloud client id longer than %zu characters: command dropped", kMaxCloudClientId);
    return;
  }
  request.cmd = cmd;
  request.sn = sn;
  forward(request, p0, now);
}

void Forwarder::forward(Pending request, proto::Bytes p0, Millis now) {
  if (!isAppCommand(request.cmd)) {
    log_.warning("command 0x%04X is not forwarded to the MCU", proto::toU16(request.cmd));
    return;
  }
  Pending* slot = find(0);
  if (slot == nullptr) {
    log_.warning("too many app commands waiting for the MCU: dropped");
    return;
  }
  request.tag = nextTag_++;
  if (nextTag_ == 0) nextTag_ = 1;  // 0 marks a free entry
  if (!outputs_.sendToMcu(p0, request.tag, now)) {
    log_.warning("MCU queue full: app command dropped");
    return;
  }
  *slot = request;
}

void Forwarder::onMcuAnswer(RequestTag tag, proto::Bytes p0) {
  Pending* request = find(tag);
  if (request == nullptr) return;  // its requester left meanwhile
  const LanCmd answer = answerFor(request->cmd);
  if (request->source == Source::Lan) {
    outputs_.answerLanClient(request->slot, answer, request->sn, p0);
  } else {
    outputs_.answerCloudClient(request->clientId.view(), answer, request->sn, p0);
  }
  *request = Pending{};
}

void Forwarder::onMcuFailed(RequestTag tag) {
  if (Pending* request = find(tag)) {
    log_.warning("the MCU did not take an app command");
    *request = Pending{};
  }
}

void Forwarder::onMcuReport(proto::Bytes p0) {
  outputs_.reportToEveryone(p0);
}

void Forwarder::onLanClientGone(std::size_t slot) {
  for (Pending& request : pending_) {
    if (request.source == Source::Lan && request.slot == slot) request = Pending{};
  }
}

std::size_t Forwarder::pendingCount() const {
  std::size_t count = 0;
  for (const Pending& request : pending_) count += request.source != Source::None ? 1 : 0;
  return count;
}

Forwarder::Pending* Forwarder::find(RequestTag tag) {
  for (Pending& request : pending_) {
    if (tag == 0 ? request.source == Source::None : request.source != Source::None && request.tag == tag) {
      return &request;
    }
  }
  return nullptr;
}

}  // namespace gagent::core
