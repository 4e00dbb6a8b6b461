// The agent's construction, boot sequence, loop and derived state (status word, LEDs, reboot).
#include "gagent/core/agent.h"

#include "gagent/core/firmware_image.h"
#include "gagent/core/passcode.h"

namespace gagent::core {

Agent::Agent(hal::Board& board, LogHub& logs, const AgentOptions& options)
    : board_(board),
      logs_(logs),
      log_(logs, "agent"),
      options_(options),
      store_(board.flash, logs),
      mcu_(board.uart, logs, *this),
      status_(*this, logs),
      leds_(board.leds),
      forwarder_(*this, logs),
      wifi_(board.radio, logs, *this),
      production_(board.random, logs, *this),
      onboarding_(wifi_, board.radio, identity_, logs, *this),
      webConfig_(board.net, logs, *this, options.webConfigPort),
      bindWindow_(logs, *this),
      lanUdp_(board.net, identity_, store_.config(), logs, *this, options.broadcastAddress),
      lanServer_(board.net, identity_, store_.config(), bindWindow_, logs, *this),
      lanLog_(lanServer_, logs),
      cloud_(board.net, board.dns, board.flash, logs, store_.config(), identity_, *this, *this,
             options.cloud),
      mqtt_(board.net, logs, *this) {
  lanLog_.setListener(this);
}

void Agent::start(Millis now) {
  started_ = true;
  lastPoll_ = now;
  logs_.tick(now);  // flood control counts in the loop's time (issue 16)
  board_.watchdog.feed();
  watchdog_.start(now, kWatchdogFeedInterval);
  loadConfig();
  loadIdentity();
  log_.info("GAgent %.*s on %.*s starting", static_cast<int>(identity_.wifiSoftwareVersion.size()),
            identity_.wifiSoftwareVersion.view().data(),
            static_cast<int>(identity_.wifiHardwareVersion.size()),
            identity_.wifiHardwareVersion.view().data());
  mcu_.start(now);
  lanUdp_.start(now);
  lanServer_.start(now);
  startNetwork(now);
  status_.start(deriveStatus(now), now);  // McuLink holds it until the handshake is done
  leds_.setMode(deriveLedMode(), now);
}

void Agent::loadConfig() {
  store_.load();  // logs what it found wrong, and what it fell back to
  // S7.2.1: a passcode exists from the first start on (registration and binding need it).
  if (!isValidStoredPasscode(store_.config().passcode.view())) {
    store_.edit().passcode = generatePasscode(board_.random).view();
    saveConfig();
  }
}

void Agent::loadIdentity() {
  identity_.mac = board_.system.mac();
  identity_.wifiHardwareVersion = options_.wifiHardwareVersion;
  identity_.wifiSoftwareVersion = options_.wifiSoftwareVersion;
  // An image installed by OTA (S9.6) carries the software version this module now runs.
  if (const auto image = readInstalledImage(board_.flash);
      image && image->hardwareVersion.view() == options_.wifiHardwareVersion) {
    identity_.wifiSoftwareVersion = image->softwareVersion;
  }
}

void Agent::startNetwork(Millis now) {
  const DeviceConfig& config = store_.config();
  if (config.ssid.empty() || config.startInSoftAp) {
    // S6.2.2: no router stored (or a reset asked for it): SoftAP onboarding.
    onboarding_.enterSoftAp(now);
  } else {
    wifi_.joinStation(config.ssid.view(), config.password.view(), now);
  }
}

void Agent::poll(Millis now) {
  if (rebooted_) return;
  lastPoll_ = now;
  logs_.tick(now);                              // flood control counts in the loop's time (issue 16)
  board_.watchdog.feed();                       // S12.4: every pass of a live loop feeds it
  watchdog_.start(now, kWatchdogFeedInterval);  // and an idle loop still wakes up to do so

  mcu_.poll(now);
  wifi_.poll(now);
  production_.onTick(now);
  onboarding_.poll(now);
  webConfig_.poll(now);
  bindWindow_.poll(now);
  lanUdp_.poll(now);
  lanServer_.poll(now);
  cloud_.poll(now);
  mqtt_.poll(now);
  status_.poll(now);
  refresh(now);
  leds_.onTick(now);

  if (reboot_.fire(now)) {
    log_.info("rebooting");
    rebooted_ = true;
    board_.system.reboot();
  }
}

Millis Agent::nextDeadline() const {
  if (rebooted_) return hal::kNever;
  Millis next = earliest(watchdog_.deadline(), reboot_.deadline());
  next = earliest(next, mcu_.nextDeadline());
  next = earliest(next, wifi_.nextDeadline());
  next = earliest(next, production_.nextDeadline());
  next = earliest(next, onboarding_.nextDeadline());
  next = earliest(next, webConfig_.nextDeadline());
  next = earliest(next, bindWindow_.nextDeadline());
  next = earliest(next, lanUdp_.nextDeadline());
  next = earliest(next, lanServer_.nextDeadline());
  next = earliest(next, cloud_.nextDeadline());
  next = earliest(next, mqtt_.nextDeadline());
  next = earliest(next, status_.nextDeadline());
  next = earliest(next, leds_.nextDeadline());
  next = earliest(next, logs_.nextDeadline());  // a flood's count is reported when its second is over
  return next;
}

void Agent::refresh(Millis now) {
  status_.publish(deriveStatus(now), now);
  leds_.setMode(deriveLedMode(), now);
}

proto::WifiStatus Agent::deriveStatus(Millis now) const {
  proto::WifiStatus s;
  s.softAp = wifi_.softApOn();
  s.station = wifi_.stationWanted();
  s.onboarding = onboarding_.onboardingOn();
  s.bindable = bindWindow_.isOpen(now);
  s.routerConnected = wifi_.routerConnected();
  s.cloudConnected = mqtt_.connected();
  s.appOnline = lanServer_.loggedInCount() > 0 || cloudAppCount_ > 0;
  s.productionTest = production_.active();
  return s;
}

LedMode Agent::deriveLedMode() const {
  // S4.1, most specific first.
  if (mcu_.state() == McuLink::State::HandshakeFailed) return LedMode::HandshakeFailed;
  if (onboarding_.state() == OnboardingState::OneShot) return LedMode::AirLink;
  if (wifi_.softApOn()) return LedMode::SoftAp;
  if (mqtt_.connected()) return LedMode::CloudConnected;
  if (wifi_.routerConnected()) return LedMode::RouterConnected;
  if (!store_.config().ssid.empty() || wifi_.stationWanted()) return LedMode::NotConnected;
  return LedMode::NoCredentials;
}

void Agent::scheduleReboot(Millis delay, const char* reason, Millis now) {
  log_.warning("reboot in %u ms: %s", static_cast<unsigned>(delay), reason);
  if (!reboot_.armed() || reboot_.deadline() > now + delay) reboot_.start(now, delay);
}

void Agent::saveConfig() {
  if (!store_.save()) log_.error("configuration could not be saved to flash");
}

}  // namespace gagent::core
