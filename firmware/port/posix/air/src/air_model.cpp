#include "gagent/air/air_model.h"

#include <algorithm>
#include <utility>

namespace gagent::air {

bool AirModel::addModule(ModuleId id, std::string mac, std::string ip) {
  if (modules_.contains(id)) return false;
  ModuleRadio module;
  module.mac = std::move(mac);
  module.ip = std::move(ip);
  modules_.emplace(id, std::move(module));
  return true;
}

void AirModel::removeModule(ModuleId id) {
  for (auto& ap : aps_) ap.clients.erase(id);
  modules_.erase(id);
}

std::vector<ScanEntry> AirModel::scan(ModuleId id) const {
  std::vector<ScanEntry> entries;
  const auto module = modules_.find(id);
  if (module == modules_.end()) return entries;
  for (const auto& ap : aps_) {
    if (ap.powered) entries.push_back({ap.ssid, signalFor(ap, module->second.mac)});
  }
  return entries;
}

JoinResult AirModel::join(ModuleId id, std::string_view ssid, std::string_view password) {
  ModuleRadio* module = findModule(id);
  if (module == nullptr) return JoinResult::NoAp;
  leave(id);
  AccessPoint* ap = find(ssid);
  if (ap == nullptr || !ap->powered) return JoinResult::NoAp;
  // An open AP has the empty password, so the same comparison covers both (docs: open AP, password `-`).
  if (ap->password != password) return JoinResult::WrongPassword;
  ap->clients.insert(id);
  module->stationSsid = ap->ssid;
  return JoinResult::Ok;
}

void AirModel::leave(ModuleId id) {
  ModuleRadio* module = findModule(id);
  if (module == nullptr) return;
  if (AccessPoint* ap = find(module->stationSsid)) ap->clients.erase(id);
  module->stationSsid.clear();
}

std::uint8_t AirModel::stationSignal(ModuleId id) const {
  const auto module = modules_.find(id);
  if (module == modules_.end() || module->second.stationSsid.empty()) return 0;
  const AccessPoint* ap = findAccessPoint(module->second.stationSsid);
  return ap == nullptr ? 0 : signalFor(*ap, module->second.mac);
}

void AirModel::startSoftAp(ModuleId id, std::string ssid, std::string password) {
  if (ModuleRadio* module = findModule(id)) {
    module->softApSsid = std::move(ssid);
    module->softApPassword = std::move(password);
  }
}

void AirModel::stopSoftAp(ModuleId id) {
  if (ModuleRadio* module = findModule(id)) {
    module->softApSsid.reset();
    module->softApPassword.clear();
  }
}

void AirModel::startOneShot(ModuleId id, OneShotKind kind) {
  if (ModuleRadio* module = findModule(id)) module->oneShot = kind;
}

void AirModel::stopOneShot(ModuleId id) {
  if (ModuleRadio* module = findModule(id)) module->oneShot.reset();
}

void AirModel::addAccessPoint(std::string ssid, std::string password, std::uint8_t signal,
                              AirEvents& events) {
  eraseAccessPoint(ssid, events);
  AccessPoint ap;
  ap.ssid = std::move(ssid);
  ap.password = std::move(password);
  ap.defaultSignal = std::min(signal, kMaxSignal);
  aps_.push_back(std::move(ap));
}

bool AirModel::removeAccessPoint(std::string_view ssid, AirEvents& events) {
  if (find(ssid) == nullptr) return false;
  eraseAccessPoint(ssid, events);
  return true;
}

bool AirModel::setPower(std::string_view ssid, bool on, AirEvents& events) {
  AccessPoint* ap = find(ssid);
  if (ap == nullptr) return false;
  ap->powered = on;
  if (!on) dropClients(*ap, events);
  return true;
}

bool AirModel::reboot(std::string_view ssid, AirEvents& events) {
  AccessPoint* ap = find(ssid);
  if (ap == nullptr) return false;
  dropClients(*ap, events);
  return true;
}

bool AirModel::rename(std::string_view ssid, std::string newSsid, std::string newPassword,
                      AirEvents& events) {
  AccessPoint* ap = find(ssid);
  if (ap == nullptr) return false;
  dropClients(*ap, events);
  if (newSsid != ssid) {
    eraseAccessPoint(newSsid, events);
    ap = find(ssid);  // the erase may have moved it
  }
  ap->ssid = std::move(newSsid);
  ap->password = std::move(newPassword);
  return true;
}

bool AirModel::setSignal(std::string_view ssid, const std::optional<std::string>& mac, std::uint8_t signal) {
  AccessPoint* ap = find(ssid);
  if (ap == nullptr) return false;
  signal = std::min(signal, kMaxSignal);
  if (mac) {
    ap->signalByMac[*mac] = signal;
  } else {
    ap->defaultSignal = signal;
  }
  return true;
}

const AccessPoint* AirModel::findAccessPoint(std::string_view ssid) const {
  const auto it =
      std::find_if(aps_.begin(), aps_.end(), [&](const AccessPoint& ap) { return ap.ssid == ssid; });
  return it == aps_.end() ? nullptr : &*it;
}

std::optional<std::vector<std::string>> AirModel::clientMacs(std::string_view ssid) const {
  const AccessPoint* ap = findAccessPoint(ssid);
  if (ap == nullptr) return std::nullopt;
  std::vector<std::string> macs;
  for (const ModuleId id : ap->clients) macs.push_back(modules_.at(id).mac);
  return macs;
}

SoftApJoinResult AirModel::softApJoin(std::string_view ssid, std::string_view password) const {
  for (const auto& [id, module] : modules_) {
    if (!module.softApSsid || *module.softApSsid != ssid) continue;
    if (module.softApPassword != password) return {JoinResult::WrongPassword, {}};
    return {JoinResult::Ok, module.ip};
  }
  return {JoinResult::NoAp, {}};
}

std::size_t AirModel::sendOneShot(std::string_view ssid, std::string_view password, AirEvents& events) {
  std::size_t reached = 0;
  for (auto& [id, module] : modules_) {
    if (!module.oneShot) continue;
    module.oneShot.reset();
    events.push_back({id, AirEvent::Kind::OneShot, std::string(ssid), std::string(password)});
    ++reached;
  }
  return reached;
}

AccessPoint* AirModel::find(std::string_view ssid) {
  const auto it =
      std::find_if(aps_.begin(), aps_.end(), [&](const AccessPoint& ap) { return ap.ssid == ssid; });
  return it == aps_.end() ? nullptr : &*it;
}

ModuleRadio* AirModel::findModule(ModuleId id) {
  const auto it = modules_.find(id);
  return it == modules_.end() ? nullptr : &it->second;
}

std::uint8_t AirModel::signalFor(const AccessPoint& ap, const std::string& mac) const {
  const auto it = ap.signalByMac.find(mac);
  return it == ap.signalByMac.end() ? ap.defaultSignal : it->second;
}

void AirModel::dropClients(AccessPoint& ap, AirEvents& events) {
  for (const ModuleId id : ap.clients) {
    if (ModuleRadio* module = findModule(id)) module->stationSsid.clear();
    events.push_back({id, AirEvent::Kind::LinkDown, ap.ssid, {}});
  }
  ap.clients.clear();
}

void AirModel::eraseAccessPoint(std::string_view ssid, AirEvents& events) {
  AccessPoint* ap = find(ssid);
  if (ap == nullptr) return;
  dropClients(*ap, events);
  aps_.erase(aps_.begin() + (ap - aps_.data()));
}

}  // namespace gagent::air
