#include "gagent/sim/sim_module.h"

#include <algorithm>

namespace gagent::sim {

SimModule::SimModule(SimBoard& board, core::LogHub& logs, const core::AgentOptions& options)
    : board_(board), logs_(logs), options_(options) {}

void SimModule::powerOn() {
  boot();
}

void SimModule::boot() {
  agent_.reset();  // the old core's sockets and buffers go with the hardware reset below
  if (boots_ > 0) board_.restartModule();
  ++boots_;
  agent_ = std::make_unique<core::Agent>(board_.hal(), logs_, options_);
  agent_->start(board_.clock().now());
}

bool SimModule::servicePeers(Millis now) {
  bool progress = false;
  for (Peer& peer : peers_) progress = peer.service(now) || progress;
  return progress;
}

Millis SimModule::nextWake() const {
  Millis next = agent_ ? agent_->nextDeadline() : hal::kNever;
  next = std::min(next, board_.clock().nextEventTime());
  for (const Peer& peer : peers_) {
    if (peer.nextDeadline) next = std::min(next, peer.nextDeadline());
  }
  return next;
}

void SimModule::runUntil(Millis until) {
  VirtualClock& clock = board_.clock();
  for (;;) {
    const Millis now = clock.now();
    for (std::size_t pass = 0; pass < kMaxPassesPerInstant; ++pass) {
      if (agent_) agent_->poll(now);
      if (board_.system().rebootRequested()) boot();
      if (!servicePeers(now)) break;
    }
    if (board_.watchdog().starvedFor(now) >= kWatchdogLimit) {
      ++watchdogResets_;  // S12.4: a hung core is reset by the hardware
      boot();
    }
    if (now >= until) return;
    // Deadlines already passed (a module asked for "as soon as possible") still move time by 1 ms, so a
    // module that keeps asking cannot stop the clock.
    const Millis next = std::clamp(nextWake(), now + 1, until);
    clock.advanceTo(next);
  }
}

}  // namespace gagent::sim
