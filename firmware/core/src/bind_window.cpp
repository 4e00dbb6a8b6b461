#include "gagent/core/bind_window.h"

namespace gagent::core {

BindWindow::BindWindow(LogHub& logs, BindWindowListener& listener)
    : log_(logs, "bind"), listener_(listener) {}

void BindWindow::open(Millis now, std::uint16_t seconds) {
  if (seconds == kAlwaysBindable) {
    expiry_.stop();
    log_.info("bind window open (no time limit)");
    setState(State::Always, now);
    return;
  }
  expiry_.start(now, hal::seconds(seconds));
  log_.info("bind window open for %u s", static_cast<unsigned>(seconds));
  setState(State::Timed, now);
}

void BindWindow::close(Millis now) {
  expiry_.stop();
  if (state_ != State::Closed) log_.info("bind window closed");
  setState(State::Closed, now);
}

bool BindWindow::isOpen(Millis now) const {
  switch (state_) {
    case State::Closed:
      return false;
    case State::Timed:
      return !expiry_.due(now);
    case State::Always:
      return true;
  }
  return false;
}

void BindWindow::poll(Millis now) {
  if (!expiry_.fire(now)) return;
  log_.info("bind window expired");
  setState(State::Closed, now);
}

void BindWindow::setState(State state, Millis now) {
  const bool wasOpen = state_ != State::Closed;
  state_ = state;
  const bool isOpenNow = state_ != State::Closed;
  if (wasOpen != isOpenNow) listener_.onBindableChanged(isOpenNow, now);
}

}  // namespace gagent::core
