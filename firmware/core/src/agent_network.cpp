// The agent's network side: router link, configuration (S6), production mode (S5) and the LAN (S7).
#include "gagent/core/agent.h"

namespace gagent::core {

void Agent::onInterfaceChanged(Millis now) {
  // SoftAP <-> station: the LAN sockets were bound to the old address.
  lanUdp_.onNetworkChanged(now);
  lanServer_.onNetworkChanged(now);
}

void Agent::onRouterConnected(Millis now) {
  onInterfaceChanged(now);
  if (!announced_) {
    announced_ = true;
    lanUdp_.startAnnounce(now);  // S7.1.1: 30 x 1 s after power-on, once the station is up
  }
  if (store_.config().pendingConfigSuccess != ConfigSource::None) {
    lanUdp_.startConfigSuccess(now);  // S6.1.3: only after a configuration reboot
  }
  startCloudIfReady(now);
  refresh(now);
}

void Agent::onRouterLost(Millis now) {
  status_.clearSignal();
  stopCloud();  // S12.2: the WiFi manager rejoins; the cloud starts again when the router is back
  refresh(now);
}

void Agent::onSignal(std::uint8_t raw, Millis now) {
  if (status_.onSignal(raw)) refresh(now);  // S4.4.1: a level jump is a status change
}

void Agent::onScanDone(std::span<const hal::AccessPoint> results, Millis now) {
  if (production_.searching()) production_.onScanDone(results, now);
}

void Agent::restoreScanCadence(Millis now) {
  wifi_.setPeriodicScan(onboarding_.state() == OnboardingState::SoftAp ? Onboarding::kSoftApScanInterval : 0,
                        now);
}

void Agent::onTestRouterChosen(std::string_view ssid, std::string_view password, Millis now) {
  // S5.3: station on, SoftAP off, AirLink off, onboarding off, binding on; then the normal start-up.
  productionJoined_ = true;
  onboarding_.leave(now);
  wifi_.stopSoftAp();
  restoreScanCadence(now);
  bindWindow_.open(now, BindWindow::kAlwaysBindable);
  wifi_.joinStation(ssid, password, now);
  refresh(now);
}

void Agent::onProductionWindowExpired(Millis now) {
  restoreScanCadence(now);  // S5.4: the working state is left as it was
  refresh(now);
}

void Agent::onExitProductionTest(Millis now) {
  if (!production_.active()) return;
  // S5.6: disconnect; SoftAP on, station off, AirLink off, onboarding off, binding off.
  production_.finish();
  productionJoined_ = false;
  stopCloud();
  wifi_.leaveStation();
  onboarding_.leave(now);
  std::array<char, Onboarding::kSoftApSsidLength> ssid{};
  wifi_.startSoftAp(onboarding_.softApSsid(ssid), Onboarding::kSoftApPassword);
  restoreScanCadence(now);
  bindWindow_.close(now);
  onInterfaceChanged(now);
  refresh(now);
}

void Agent::onModeChanged(OnboardingState previous, OnboardingState current, Millis now) {
  log_.info("configuration mode %.*s -> %.*s", static_cast<int>(onboardingStateName(previous).size()),
            onboardingStateName(previous).data(), static_cast<int>(onboardingStateName(current).size()),
            onboardingStateName(current).data());
  lanUdp_.setOnboardingOpen(onboarding_.acceptsOnboardingPackets());  // S6.2.5
  if (current == OnboardingState::SoftAp) {
    webConfig_.start(now);                                // S6.3.1
    bindWindow_.open(now, identity_.bindTimeoutSeconds);  // S7.2.2
  } else {
    webConfig_.stop();  // S6.2.3: also in no-network mode
  }
  if (current == OnboardingState::OneShot) bindWindow_.open(now, identity_.bindTimeoutSeconds);
  onInterfaceChanged(now);
  refresh(now);
}

void Agent::onConfigured(std::string_view ssid, std::string_view password, ConfigSource source, Millis now) {
  saveCredentialsAndReboot(ssid, password, source, now);
}

void Agent::saveCredentialsAndReboot(std::string_view ssid, std::string_view password, ConfigSource source,
                                     Millis now) {
  // S6.2.5: stored as received (no password check, no unescaping), then a reboot into station mode.
  DeviceConfig& config = store_.edit();
  config.ssid = ssid;
  config.password = password;
  config.startInSoftAp = false;
  config.pendingConfigSuccess = source;
  saveConfig();
  scheduleReboot(kConfiguredRebootDelay, "configured", now);
}

void Agent::onWebCredentials(std::string_view ssid, std::string_view password, Millis now) {
  onboarding_.onCredentials(ssid, password, ConfigSource::WebConfig, now);
}

void Agent::onOnboardingCredentials(std::string_view ssid, std::string_view password, Millis now) {
  onboarding_.onCredentials(ssid, password, ConfigSource::SoftAp, now);
}

void Agent::onConfigSuccessSent(Millis) {
  store_.edit().pendingConfigSuccess = ConfigSource::None;
  saveConfig();
}

void Agent::onAppCommand(LanClientId client, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                         Millis now) {
  forwarder_.fromLanClient(client, cmd, sn, p0, now);
}

void Agent::onAppCountChanged(std::size_t, Millis now) {
  refresh(now);
}

std::span<const hal::AccessPoint> Agent::scanCache() {
  return wifi_.lastScan();  // S6.2.4: answered at once from the cache
}

void Agent::onBindableChanged(bool, Millis now) {
  refresh(now);
}

}  // namespace gagent::core
