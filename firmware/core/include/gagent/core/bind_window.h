#pragma once
// S7.2.2-3: the bind window. Entering configuration opens it for the "bindable time" the MCU gave in its
// device info (protocol §1.8 bind_timeout, in seconds; 0 = always bindable). While it is open a LAN passcode
// request (0006) gets the passcode; outside it an empty one. The agent mirrors the state in the status word's
// "bindable" bit, so every change is reported through the listener.

#include <cstdint>

#include "gagent/core/log.h"
#include "gagent/core/timer.h"

namespace gagent::core {

class BindWindowListener {
 public:
  virtual ~BindWindowListener() = default;
  // The window opened or closed (explicitly or because its time ran out).
  virtual void onBindableChanged(bool bindable, Millis now) = 0;
};

class BindWindow {
 public:
  // Closed: no binding. Timed: open until the deadline. Always: bind_timeout 0 (protocol §1.8).
  enum class State : std::uint8_t { Closed, Timed, Always };

  static constexpr std::uint16_t kAlwaysBindable = 0;  // protocol §1.8: bind_timeout 0 = forever

  BindWindow(LogHub& logs, BindWindowListener& listener);

  // S7.2.2: (re)opens the window for `seconds` from now; kAlwaysBindable keeps it open until close().
  void open(Millis now, std::uint16_t seconds);
  // Binding off (e.g. S5.6 after the production test).
  void close(Millis now);

  // S7.2.3: exact at any instant, even before poll() has seen the deadline pass.
  [[nodiscard]] bool isOpen(Millis now) const;
  [[nodiscard]] State state() const { return state_; }

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const { return expiry_.deadline(); }

 private:
  void setState(State state, Millis now);

  Logger log_;
  BindWindowListener& listener_;
  State state_ = State::Closed;
  Timer expiry_;
};

}  // namespace gagent::core
