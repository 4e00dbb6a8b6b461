#pragma once
// The air between a phone sending AirLink/AirKiss (S6.4, S6.5) and the module's sniffer, in virtual time,
// under the same seeded loss, duplication, delay and reordering as the LAN (UdpImpairment). SimRadio only
// knows "credentials received"; this decides when the sniffer would have decoded them.
//
// The model (one-shot encodings carry the data in the lengths of broadcast packets the phone repeats):
// - One round = a guide (preamble, kGuide long, one packet per kSymbolInterval) and then the data: 8 header
//   symbols (lengths, CRC) + 2 symbols per byte of SSID and password, one packet every kSymbolInterval.
//   The phone repeats rounds back to back until it stops (success heard or the app's deadline).
// - The sniffer starts listening when the module enters one-shot mode, hops the 13 channels and reaches the
//   phone's after a uniform 0..kChannelSearch; it locks on the next guide of which at least one packet
//   arrives, and from then on keeps every symbol that arrives, by its index (the encodings number their
//   symbols), across rounds: duplicates change nothing, a reordered symbol still lands in its slot.
// - The decode completes when every index has been heard; then SimRadio::deliverOneShot. A listener that
//   stops or restarts forgets what it had. Arrivals are looked at every kTick (the core polls its one-shot
//   state every 250 ms too, so a finer step would not show).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/sim/sim_radio.h"
#include "gagent/sim/udp_impairment.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class OneShotAir {
 public:
  static constexpr Millis kSymbolInterval = 20;
  static constexpr Millis kGuide = 500;
  static constexpr std::size_t kHeaderSymbols = 8;
  static constexpr std::size_t kSymbolsPerByte = 2;
  static constexpr Millis kChannelSearch = 1300;  // 13 channels x 100 ms dwell
  static constexpr Millis kTick = 250;

  OneShotAir(VirtualClock& clock, SimRadio& radio, const UdpImpairment& impairment, std::uint64_t seed)
      : clock_(clock), radio_(radio), impairment_(impairment), random_(seed) {}
  ~OneShotAir() { clock_.cancelOwnedBy(this); }
  OneShotAir(const OneShotAir&) = delete;
  OneShotAir& operator=(const OneShotAir&) = delete;

  [[nodiscard]] static std::size_t symbolCount(std::string_view ssid, std::string_view password) {
    return kHeaderSymbols + kSymbolsPerByte * (ssid.size() + password.size());
  }
  [[nodiscard]] Millis roundDuration() const {
    return kGuide + static_cast<Millis>(symbols_) * kSymbolInterval;
  }

  // The phone starts repeating its encoding now.
  void startPhone(std::string_view ssid, std::string_view password) {
    ssid_ = ssid;
    password_ = password;
    symbols_ = symbolCount(ssid, password);
    sending_ = true;
    startRound();
    tick();
  }
  void stopPhone() { sending_ = false; }

  [[nodiscard]] bool delivered() const { return delivered_; }
  [[nodiscard]] std::size_t rounds() const { return rounds_; }
  [[nodiscard]] std::size_t symbolsHeard() const {
    return static_cast<std::size_t>(std::count(heard_.begin(), heard_.end(), true));
  }

 private:
  struct Arrival {
    Millis time;
    std::size_t index;  // kGuideIndex: a guide packet
  };
  static constexpr std::size_t kGuideIndex = SIZE_MAX;

  void startRound() {
    if (!sending_ || delivered_) return;
    ++rounds_;
    const Millis start = clock_.now();
    const auto send = [&](Millis at, std::size_t index) {
      const DatagramFate fate = random_.decide(impairment_);
      for (std::size_t c = 0; c < fate.copies; ++c) inFlight_.push_back({at + fate.delays[c], index});
    };
    for (Millis t = 0; t < kGuide; t += kSymbolInterval) send(start + t, kGuideIndex);
    for (std::size_t i = 0; i < symbols_; ++i)
      send(start + kGuide + static_cast<Millis>(i) * kSymbolInterval, i);
    clock_.after(
        roundDuration(), [this] { startRound(); }, this);
  }

  // Which listener is on now: the time of the radio's last "oneshot ..." start, or kNever when not listening.
  [[nodiscard]] Millis listenerStart() {
    if (radio_.oneShotState() != hal::OneShotState::Listening) return hal::kNever;
    const auto& events = radio_.events();
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->what == "oneshot airlink" || it->what == "oneshot airkiss") return it->time;
    }
    return hal::kNever;
  }

  void tick() {
    const Millis now = clock_.now();
    const Millis listening = listenerStart();
    if (listening != listenerStart_) {  // a new listener (or none): it knows nothing yet
      listenerStart_ = listening;
      locked_ = false;
      heard_.assign(symbols_, false);
      onChannelAt_ = listening == hal::kNever
                         ? hal::kNever
                         : listening + static_cast<Millis>(random_.delay({.jitter = kChannelSearch}));
    }
    std::sort(inFlight_.begin(), inFlight_.end(),
              [](const Arrival& a, const Arrival& b) { return a.time < b.time; });
    std::size_t done = 0;
    for (; done < inFlight_.size() && inFlight_[done].time <= now; ++done) {
      const Arrival& a = inFlight_[done];
      if (listenerStart_ == hal::kNever || a.time < onChannelAt_) continue;  // not listening there yet
      if (a.index == kGuideIndex) {
        locked_ = true;
      } else if (locked_) {
        heard_[a.index] = true;
      }
    }
    inFlight_.erase(inFlight_.begin(), inFlight_.begin() + static_cast<std::ptrdiff_t>(done));
    if (listenerStart_ != hal::kNever && locked_ && symbolsHeard() == symbols_) {
      delivered_ = radio_.deliverOneShot(ssid_, password_);
      if (delivered_) return;
    }
    if (sending_ || !inFlight_.empty())
      clock_.after(
          kTick, [this] { tick(); }, this);
  }

  VirtualClock& clock_;
  SimRadio& radio_;
  UdpImpairment impairment_;
  UdpImpairer random_;
  std::string ssid_;
  std::string password_;
  std::size_t symbols_ = 0;
  bool sending_ = false;
  bool delivered_ = false;
  std::size_t rounds_ = 0;
  std::vector<Arrival> inFlight_;
  Millis listenerStart_ = hal::kNever;
  Millis onChannelAt_ = hal::kNever;
  bool locked_ = false;
  std::vector<bool> heard_;
};

}  // namespace gagent::sim
