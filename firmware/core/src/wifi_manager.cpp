#include "gagent/core/wifi_manager.h"

namespace gagent::core {

WifiManager::WifiManager(hal::Radio& radio, LogHub& logs, WifiListener& listener)
    : radio_(radio), log_(logs, "wifi"), listener_(listener) {}

void WifiManager::joinStation(std::string_view ssid, std::string_view password, Millis now) {
  ssid_.assign(ssid);
  password_.assign(password);
  stationWanted_ = true;
  linkUp_ = false;
  joining_ = radio_.joinStation(ssid, password);
  log_.info("joining '%.*s'%s", static_cast<int>(ssid.size()), ssid.data(),
            joining_ ? "" : " refused by radio");
  rejoin_.start(now, kRejoinDelay);  // the retry cadence counts from each attempt
}

void WifiManager::leaveStation() {
  const bool wasUp = linkUp_;
  stationWanted_ = false;
  joining_ = false;
  linkUp_ = false;
  rejoin_.stop();
  signalCheck_.stop();
  radio_.leaveStation();
  if (wasUp) log_.info("left the router");
}

bool WifiManager::startSoftAp(std::string_view ssid, std::string_view password) {
  softAp_ = radio_.startSoftAp(ssid, password);
  log_.info("SoftAP '%.*s' %s", static_cast<int>(ssid.size()), ssid.data(), softAp_ ? "on" : "failed");
  return softAp_;
}

void WifiManager::stopSoftAp() {
  if (!softAp_) return;
  radio_.stopSoftAp();
  softAp_ = false;
  log_.info("SoftAP off");
}

void WifiManager::setPeriodicScan(Millis interval, Millis now) {
  scanInterval_ = interval;
  if (interval == 0) {
    periodicScan_.stop();
    return;
  }
  // The first scan of a new period runs at once, so the cache is filled right away.
  periodicScan_.start(now, 0);
}

void WifiManager::requestScan(Millis /*now*/) {
  scanPending_ = true;
}

void WifiManager::poll(Millis now) {
  lastPoll_ = now;
  pollLink(now);
  if (periodicScan_.fire(now)) {
    scanPending_ = true;
    periodicScan_.start(now, scanInterval_);
  }
  if (signalCheck_.fire(now)) {
    signalScanPending_ = true;
    scanPending_ = true;
    signalCheck_.start(now, kSignalInterval);
  }
  pollScan(now);
  startScanIfDue(now);
}

void WifiManager::pollLink(Millis now) {
  if (!stationWanted_) return;
  const hal::LinkState link = radio_.stationLink();
  if (link == hal::LinkState::Up) {
    joining_ = false;
    rejoin_.stop();
    if (!linkUp_) {
      linkUp_ = true;
      log_.info("router connected");
      signalCheck_.start(now, 0);  // read the signal at once, then every 3 minutes
      listener_.onRouterConnected(now);
    }
    return;
  }
  if (link == hal::LinkState::Joining) return;
  if (linkUp_) {
    linkUp_ = false;
    signalCheck_.stop();
    log_.warning("router lost, rejoining every %u s", static_cast<unsigned>(kRejoinDelay / 1000));
    listener_.onRouterLost(now);
    rejoin_.start(now, kRejoinDelay);
    return;
  }
  if (joining_) {
    joining_ = false;
    log_.warning("join failed (%s)",
                 link == hal::LinkState::WrongPassword ? "wrong password" : "no access point");
    if (!rejoin_.armed()) rejoin_.start(now, kRejoinDelay);
    return;
  }
  if (rejoin_.fire(now)) {
    joining_ = radio_.joinStation(ssid_.view(), password_.view());
    rejoin_.start(now, kRejoinDelay);
  }
}

void WifiManager::pollScan(Millis now) {
  if (!scanning_) return;
  const hal::ScanState state = radio_.scanState();
  if (state == hal::ScanState::Running && !scanTimeout_.fire(now)) return;
  scanning_ = false;
  scanTimeout_.stop();
  if (state != hal::ScanState::Done) {
    log_.warning("scan failed");
    return;
  }
  scanCount_ = radio_.scanResults(scan_);
  if (signalScanPending_) reportSignalFromScan(now);
  listener_.onScanDone(lastScan(), now);
}

void WifiManager::reportSignalFromScan(Millis now) {
  signalScanPending_ = false;
  if (!linkUp_) return;
  std::uint8_t signal = radio_.stationSignal();
  for (const auto& ap : lastScan()) {
    if (ap.ssidView() == ssid_.view()) signal = ap.signal;
  }
  listener_.onSignal(signal, now);
}

void WifiManager::startScanIfDue(Millis now) {
  if (scanning_ || !scanPending_) return;
  scanPending_ = false;
  if (!radio_.startScan()) {
    log_.warning("radio refused to scan");
    if (signalScanPending_) reportSignalFromScan(now);  // fall back to the link's own reading
    return;
  }
  scanning_ = true;
  scanTimeout_.start(now, kScanTimeout);
  pollScan(now);  // a radio that scans synchronously has the results already
}

Millis WifiManager::nextDeadline() const {
  // While the radio works on a join or a scan, its state is polled on every loop pass; a short poll period
  // keeps the loop from spinning on a busy radio.
  Millis next = earliest(rejoin_.deadline(), earliest(signalCheck_.deadline(), periodicScan_.deadline()));
  next = earliest(next, scanTimeout_.deadline());
  if (scanning_ || joining_ || scanPending_) next = earliest(next, lastPoll_ + kRadioPollInterval);
  if (linkUp_) next = earliest(next, lastPoll_ + kLinkPollInterval);  // notice a lost router promptly (S12.2)
  return next;
}

}  // namespace gagent::core
