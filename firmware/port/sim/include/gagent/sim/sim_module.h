#pragma once
// A whole virtual module in virtual time: the firmware core (core::Agent) on a SimBoard, restarted on the
// same flash whenever it reboots (System::reboot, or the hardware watchdog after 5 minutes without a feed,
// S12.4). The world loop jumps the clock from deadline to deadline; test peers (a scripted MCU, apps,
// SimCloud) get a turn after every pass and may ask for another pass at the same instant.

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "gagent/core/agent.h"
#include "gagent/core/log.h"
#include "gagent/sim/sim_board.h"

namespace gagent::sim {

class SimModule {
 public:
  static constexpr Millis kWatchdogLimit = hal::minutes(5);  // S12.4
  static constexpr std::size_t kMaxPassesPerInstant = 64;    // peers that keep talking cannot hang the loop

  // A peer's turn: handle what arrived, send what is due; true when it sent anything. `nextDeadline`
  // (optional) tells the loop when the peer wants its next turn.
  struct Peer {
    std::function<bool(Millis now)> service;
    std::function<Millis()> nextDeadline;
  };

  SimModule(SimBoard& board, core::LogHub& logs, const core::AgentOptions& options = {});

  void powerOn();
  void addPeer(Peer peer) { peers_.push_back(std::move(peer)); }

  void runUntil(Millis until);
  void runFor(Millis duration) { runUntil(board_.clock().now() + duration); }

  [[nodiscard]] core::Agent& agent() { return *agent_; }
  [[nodiscard]] std::size_t boots() const { return boots_; }
  [[nodiscard]] std::size_t watchdogResets() const { return watchdogResets_; }

 private:
  void boot();
  bool servicePeers(Millis now);
  [[nodiscard]] Millis nextWake() const;

  SimBoard& board_;
  core::LogHub& logs_;
  core::AgentOptions options_;
  std::unique_ptr<core::Agent> agent_;
  std::vector<Peer> peers_;
  std::size_t boots_ = 0;
  std::size_t watchdogResets_ = 0;
};

}  // namespace gagent::sim
