#include "gagent/core/onboarding.h"

#include <algorithm>

namespace gagent::core {
namespace {

const char* kindName(hal::OneShotKind kind) {
  return kind == hal::OneShotKind::AirKiss ? "AirKiss" : "AirLink";
}

const char* sourceName(ConfigSource source) {
  switch (source) {
    case ConfigSource::SoftAp:
      return "SoftAP";
    case ConfigSource::WebConfig:
      return "WebConfig";
    case ConfigSource::AirLink:
      return "AirLink";
    case ConfigSource::AirKiss:
      return "AirKiss";
    case ConfigSource::Production:
      return "production";
    case ConfigSource::None:
      break;
  }
  return "unknown";
}

std::string_view textOf(const std::array<char, hal::kMaxSsidLength>& chars, std::uint8_t length) {
  return {chars.data(), std::min<std::size_t>(length, chars.size())};
}

std::string_view textOf(const std::array<char, hal::kMaxPasswordLength>& chars, std::uint8_t length) {
  return {chars.data(), std::min<std::size_t>(length, chars.size())};
}

}  // namespace

std::string_view onboardingStateName(OnboardingState state) {
  switch (state) {
    case OnboardingState::Off:
      return "off";
    case OnboardingState::SoftAp:
      return "SoftAP";
    case OnboardingState::SoftApExpired:
      return "no-network";
    case OnboardingState::OneShot:
      return "one-shot";
  }
  return "?";
}

Onboarding::Onboarding(WifiManager& wifi, hal::Radio& radio, const ModuleIdentity& identity, LogHub& logs,
                       OnboardingListener& listener)
    : wifi_(wifi), radio_(radio), identity_(identity), log_(logs, "onboarding"), listener_(listener) {}

std::string_view Onboarding::softApSsid(std::array<char, kSoftApSsidLength>& out) const {
  std::array<char, 12> mac{};
  const std::string_view macText = identity_.macText(mac);
  const std::string_view tail = macText.substr(macText.size() - kSoftApSsidMacDigits);
  std::copy(kSoftApSsidPrefix.begin(), kSoftApSsidPrefix.end(), out.begin());
  std::copy(tail.begin(), tail.end(), out.begin() + static_cast<std::ptrdiff_t>(kSoftApSsidPrefix.size()));
  return {out.data(), out.size()};
}

bool Onboarding::enterSoftAp(Millis now) {
  if (state_ == State::SoftAp) {
    window_.start(now, kSoftApWindow);
    log_.info("SoftAP onboarding asked again: window restarted (10 min)");
    return true;
  }
  if (state_ == State::OneShot) {
    radio_.stopOneShot();
    oneShotPoll_.stop();
  }
  // In no-network mode the AP is still up; only the listening comes back.
  if (state_ != State::SoftApExpired && !startAccessPoint()) {
    window_.stop();
    if (state_ == State::OneShot) setState(State::Off, now);
    return false;
  }
  window_.start(now, kSoftApWindow);
  wifi_.setPeriodicScan(kSoftApScanInterval, now);
  setState(State::SoftAp, now);
  return true;
}

bool Onboarding::enterOneShot(hal::OneShotKind kind, bool stationConnected, Millis now) {
  if (stationConnected && state_ == State::Off) {
    log_.info("%s not entered: in station mode and connected to the router", kindName(kind));
    return false;
  }
  if (radio_.oneShotState() == hal::OneShotState::Unsupported) {
    log_.warning("%s not entered: the radio has no one-shot listener", kindName(kind));
    return false;
  }
  if (state_ == State::OneShot) {
    radio_.stopOneShot();  // a new request restarts the listener; what to restore stays the same
  } else {
    beforeOneShot_ = state_;
  }
  // The sniffer needs the radio to itself.
  if (softApOn()) stopAccessPoint(now);
  kind_ = kind;
  if (!radio_.startOneShot(kind)) {
    log_.warning("%s not entered: the radio refused to listen", kindName(kind));
    restoreAfterOneShot(now);
    return false;
  }
  window_.start(now, kOneShotWindow);
  oneShotPoll_.start(now, kOneShotPollInterval);
  log_.info("%s listening for 60 s", kindName(kind));
  setState(State::OneShot, now);
  return true;
}

bool Onboarding::onConfigModeCommand(proto::ConfigMethod method, bool stationConnected, Millis now) {
  switch (method) {
    case proto::ConfigMethod::SoftAp:
      return enterSoftAp(now);
    case proto::ConfigMethod::AirLink:
      return enterOneShot(hal::OneShotKind::AirLink, stationConnected, now);
    case proto::ConfigMethod::Direct:
      break;
  }
  return false;
}

bool Onboarding::onCredentials(std::string_view ssid, std::string_view password, ConfigSource source,
                               Millis now) {
  if (!acceptsOnboardingPackets()) {
    log_.warning("%s credentials ignored: not in SoftAP onboarding (%.*s)", sourceName(source),
                 static_cast<int>(onboardingStateName(state_).size()), onboardingStateName(state_).data());
    return false;
  }
  // S6.2.5: no password check and no unescaping; only what cannot be stored or joined is refused.
  if (ssid.empty() || ssid.size() > kMaxSsid || password.size() > kMaxPassword) {
    log_.warning("%s credentials refused: SSID %zu bytes, password %zu bytes", sourceName(source),
                 ssid.size(), password.size());
    return false;
  }
  log_.info("%s credentials for '%.*s' received", sourceName(source), static_cast<int>(ssid.size()),
            ssid.data());
  // Configuration mode is left now (nothing more accepted, status and LEDs follow), but the AP itself goes
  // with the reboot the listener schedules: a radio that stops its AP drops what it has not sent yet, and
  // the 0002 / success page just queued is the app's only confirmation (found measuring S6.1.2: with the
  // AP stopped here no 0002 ever reached a phone).
  wifi_.setPeriodicScan(0, now);
  window_.stop();
  setState(State::Off, now);
  listener_.onConfigured(ssid, password, source, now);
  return true;
}

void Onboarding::leave(Millis now) {
  if (state_ == State::OneShot) radio_.stopOneShot();
  oneShotPoll_.stop();
  if (softApOn()) stopAccessPoint(now);
  window_.stop();
  setState(State::Off, now);
}

void Onboarding::poll(Millis now) {
  if (state_ == State::OneShot) {
    pollOneShot(now);
    return;
  }
  if (state_ == State::SoftAp && window_.fire(now)) {
    log_.info("no configuration within 10 min: onboarding and WebConfig stopped (no-network mode)");
    wifi_.setPeriodicScan(0, now);  // the AP list is only for the SDK, which is no longer served
    setState(State::SoftApExpired, now);
  }
}

void Onboarding::pollOneShot(Millis now) {
  const hal::OneShotState radioState = radio_.oneShotState();
  if (radioState == hal::OneShotState::Received) {
    oneShotReceived(now);
    return;
  }
  if (radioState != hal::OneShotState::Listening) {
    log_.warning(
        "%s listener %s: leaving", kindName(kind_),
        radioState == hal::OneShotState::Unsupported ? "unsupported by the radio" : "stopped by the radio");
    restoreAfterOneShot(now);
    return;
  }
  if (window_.fire(now)) {
    log_.info("no %s configuration within 60 s", kindName(kind_));
    restoreAfterOneShot(now);
    return;
  }
  oneShotPoll_.start(now, kOneShotPollInterval);
}

void Onboarding::oneShotReceived(Millis now) {
  hal::WifiCredentials credentials{};
  const bool got = radio_.oneShotResult(credentials);
  const std::string_view ssid = textOf(credentials.ssid, credentials.ssidLength);
  const std::string_view password = textOf(credentials.password, credentials.passwordLength);
  radio_.stopOneShot();
  if (!got || ssid.empty()) {
    // A garbled capture: keep listening for the rest of the window.
    log_.warning("%s result without an SSID: listening again", kindName(kind_));
    if (!radio_.startOneShot(kind_)) {
      restoreAfterOneShot(now);
      return;
    }
    oneShotPoll_.start(now, kOneShotPollInterval);
    return;
  }
  oneShotPoll_.stop();
  window_.stop();
  log_.info("%s credentials for '%.*s' received", kindName(kind_), static_cast<int>(ssid.size()),
            ssid.data());
  setState(State::Off, now);
  listener_.onConfigured(ssid, password,
                         kind_ == hal::OneShotKind::AirKiss ? ConfigSource::AirKiss : ConfigSource::AirLink,
                         now);
}

void Onboarding::restoreAfterOneShot(Millis now) {
  radio_.stopOneShot();
  oneShotPoll_.stop();
  window_.stop();
  // S6.4.2: what ran before comes back; a SoftAP gets a fresh window (the phone app starts over).
  if ((beforeOneShot_ == State::SoftAp || beforeOneShot_ == State::SoftApExpired) && startAccessPoint()) {
    if (beforeOneShot_ == State::SoftAp) {
      window_.start(now, kSoftApWindow);
      wifi_.setPeriodicScan(kSoftApScanInterval, now);
    }
    setState(beforeOneShot_, now);
    return;
  }
  setState(State::Off, now);
}

bool Onboarding::startAccessPoint() {
  std::array<char, kSoftApSsidLength> buffer{};
  const std::string_view ssid = softApSsid(buffer);
  if (wifi_.startSoftAp(ssid, kSoftApPassword)) return true;
  log_.error("the radio refused the SoftAP '%.*s'", static_cast<int>(ssid.size()), ssid.data());
  return false;
}

void Onboarding::stopAccessPoint(Millis now) {
  wifi_.setPeriodicScan(0, now);
  wifi_.stopSoftAp();
  window_.stop();
}

void Onboarding::setState(State next, Millis now) {
  if (next == state_) return;
  const State previous = state_;
  state_ = next;
  log_.info("%.*s -> %.*s", static_cast<int>(onboardingStateName(previous).size()),
            onboardingStateName(previous).data(), static_cast<int>(onboardingStateName(next).size()),
            onboardingStateName(next).data());
  listener_.onModeChanged(previous, next, now);
}

Millis Onboarding::nextDeadline() const {
  return earliest(window_.deadline(), oneShotPoll_.deadline());
}

}  // namespace gagent::core
