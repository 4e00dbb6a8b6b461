#include "gagent/sim/sim_radio.h"

#include <algorithm>

namespace gagent::sim {
namespace {

template <std::size_t N>
std::uint8_t copyText(std::string_view text, std::array<char, N>& out) {
  const std::size_t n = std::min(text.size(), N);
  std::copy_n(text.begin(), n, out.begin());
  return static_cast<std::uint8_t>(n);
}

bool validSsid(std::string_view ssid) {
  return !ssid.empty() && ssid.size() <= hal::kMaxSsidLength;
}

}  // namespace

SimRadio::Ap* SimRadio::findAp(std::string_view ssid) {
  auto it = std::find_if(aps_.begin(), aps_.end(), [&](const Ap& ap) { return ap.ssid == ssid; });
  return it == aps_.end() ? nullptr : &*it;
}

void SimRadio::addAccessPoint(std::string_view ssid, std::string_view password, std::uint8_t signal,
                              bool powered) {
  removeAccessPoint(ssid);
  aps_.push_back({std::string(ssid), std::string(password), std::min<std::uint8_t>(signal, 100), powered});
}

void SimRadio::removeAccessPoint(std::string_view ssid) {
  dropLinkIfJoinedTo(ssid);
  std::erase_if(aps_, [&](const Ap& ap) { return ap.ssid == ssid; });
}

void SimRadio::setPowered(std::string_view ssid, bool powered) {
  Ap* ap = findAp(ssid);
  if (ap == nullptr) return;
  ap->powered = powered;
  if (!powered) dropLinkIfJoinedTo(ssid);
}

void SimRadio::setSignal(std::string_view ssid, std::uint8_t signal) {
  if (Ap* ap = findAp(ssid)) ap->signal = std::min<std::uint8_t>(signal, 100);
}

void SimRadio::dropLinkIfJoinedTo(std::string_view ssid) {
  if (link_ != hal::LinkState::Up || stationSsid_ != ssid) return;
  link_ = hal::LinkState::Down;
  log("link down " + stationSsid_);
  updateAddress();
}

void SimRadio::updateAddress() {
  if (softAp_) {
    net_.setModuleAddress(SimNet::kSoftApAddress);
  } else {
    net_.setModuleAddress(link_ == hal::LinkState::Up ? stationAddress_ : hal::Ipv4{});
  }
}

bool SimRadio::startScan() {
  if (scanState_ == hal::ScanState::Running) return false;
  scanState_ = hal::ScanState::Running;
  log("scan");
  clock_.runAfter(
      scanTime_, [this] { finishScan(); }, this);
  return true;
}

void SimRadio::finishScan() {
  if (scanState_ != hal::ScanState::Running) return;  // reset meanwhile
  if (scanFailing_) {
    scanState_ = hal::ScanState::Failed;
    log("scan failed");
    return;
  }
  scanResults_.clear();
  for (const Ap& ap : aps_) {
    if (!ap.powered) continue;
    hal::AccessPoint result;
    result.ssidLength = copyText(ap.ssid, result.ssid);
    result.signal = ap.signal;
    scanResults_.push_back(result);
  }
  scanState_ = hal::ScanState::Done;
  log("scan done " + std::to_string(scanResults_.size()));
}

std::size_t SimRadio::scanResults(std::span<hal::AccessPoint> out) {
  if (scanState_ != hal::ScanState::Done) return 0;
  const std::size_t n = std::min(out.size(), scanResults_.size());
  std::copy_n(scanResults_.begin(), n, out.begin());
  return n;
}

bool SimRadio::joinStation(std::string_view ssid, std::string_view password) {
  if (!validSsid(ssid) || password.size() > hal::kMaxPasswordLength) return false;
  if (link_ == hal::LinkState::Up || link_ == hal::LinkState::Joining) leaveStation();
  stationSsid_ = ssid;
  stationPassword_ = password;
  link_ = hal::LinkState::Joining;
  log("join " + stationSsid_);
  const std::uint64_t attempt = ++joinAttempt_;
  clock_.runAfter(
      joinLatency_, [this, attempt] { finishJoin(attempt); }, this);
  return true;
}

void SimRadio::finishJoin(std::uint64_t attempt) {
  if (attempt != joinAttempt_ || link_ != hal::LinkState::Joining) return;
  const Ap* ap = findAp(stationSsid_);
  if (ap == nullptr || !ap->powered) {
    link_ = hal::LinkState::NoAccessPoint;
    log("no access point " + stationSsid_);
  } else if (ap->password != stationPassword_) {
    link_ = hal::LinkState::WrongPassword;
    log("wrong password " + stationSsid_);
  } else {
    link_ = hal::LinkState::Up;
    log("link up " + stationSsid_);
    updateAddress();
  }
}

void SimRadio::leaveStation() {
  ++joinAttempt_;
  const bool wasUp = link_ == hal::LinkState::Up;
  if (link_ == hal::LinkState::Up || link_ == hal::LinkState::Joining) log("leave");
  link_ = hal::LinkState::Down;
  if (wasUp) updateAddress();
}

std::uint8_t SimRadio::stationSignal() {
  if (link_ != hal::LinkState::Up) return 0;
  const Ap* ap = findAp(stationSsid_);
  return ap == nullptr ? 0 : ap->signal;
}

hal::Ipv4 SimRadio::stationAddress() {
  return link_ == hal::LinkState::Up ? stationAddress_ : hal::Ipv4{};
}

bool SimRadio::startSoftAp(std::string_view ssid, std::string_view password) {
  if (!validSsid(ssid) || password.size() > hal::kMaxPasswordLength) return false;
  if (!password.empty() && password.size() < kMinWpaPassword) return false;
  softAp_ = true;
  softApSsid_ = ssid;
  softApPassword_ = password;
  log("softap on " + softApSsid_);
  updateAddress();
  return true;
}

void SimRadio::stopSoftAp() {
  if (!softAp_) return;
  softAp_ = false;
  log("softap off");
  updateAddress();
}

bool SimRadio::startOneShot(hal::OneShotKind kind) {
  if (!oneShotSupported_) {
    log("oneshot unsupported");
    return false;
  }
  oneShot_ = hal::OneShotState::Listening;
  oneShotKind_ = kind;
  log(kind == hal::OneShotKind::AirLink ? "oneshot airlink" : "oneshot airkiss");
  return true;
}

hal::OneShotState SimRadio::oneShotState() {
  return oneShotSupported_ ? oneShot_ : hal::OneShotState::Unsupported;
}

bool SimRadio::deliverOneShot(std::string_view ssid, std::string_view password) {
  if (oneShotState() != hal::OneShotState::Listening) return false;
  oneShotCredentials_ = {};
  oneShotCredentials_.ssidLength = copyText(ssid, oneShotCredentials_.ssid);
  oneShotCredentials_.passwordLength = copyText(password, oneShotCredentials_.password);
  oneShot_ = hal::OneShotState::Received;
  log("oneshot received " + std::string(ssid));
  return true;
}

bool SimRadio::oneShotResult(hal::WifiCredentials& out) {
  if (oneShotState() != hal::OneShotState::Received) return false;
  out = oneShotCredentials_;
  return true;
}

void SimRadio::stopOneShot() {
  if (oneShot_ == hal::OneShotState::Idle) return;
  oneShot_ = hal::OneShotState::Idle;
  log("oneshot stop");
}

void SimRadio::resetModuleState() {
  ++joinAttempt_;
  link_ = hal::LinkState::Down;
  softAp_ = false;
  oneShot_ = hal::OneShotState::Idle;
  scanState_ = hal::ScanState::Idle;
  scanResults_.clear();
  log("reset");
  updateAddress();
}

}  // namespace gagent::sim
