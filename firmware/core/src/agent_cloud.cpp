// The agent's cloud side: HTTP (register, provision, OTA) and the M2M session (S8, S9, S11).
#include "gagent/core/agent.h"

namespace gagent::core {

void Agent::startCloudIfReady(Millis now) {
  // The product key comes from the MCU and the cloud needs the router: both first.
  if (cloudStarted_ || resetting_ || !identity_.mcuKnown || !wifi_.routerConnected()) return;
  cloudStarted_ = true;
  cloud_.start(now);
  const DeviceConfig& config = store_.config();
  // Protocol §1.8 / §3.1 step 5: the DID of the previous product is unregistered.
  if (!config.oldDid.empty()) cloud_.unregister(config.oldDid.view(), config.oldPasscode.view(), now);
}

void Agent::stopCloud() {
  if (!cloudStarted_) return;
  cloudStarted_ = false;
  mqtt_.stop();
  cloud_.stop();
  cloudAppCount_ = 0;
}

void Agent::onRegistered(std::string_view did, Millis) {
  store_.edit().did = did;  // S8.2: kept until a reset
  saveConfig();
}

void Agent::onServerTime(std::uint64_t epochSeconds, Millis now) {
  timeKnown_ = true;
  timeBaseEpoch_ = epochSeconds;
  timeBaseAt_ = now;
}

void Agent::onThirdPartyCloud(std::string_view name, std::string_view product, Millis) {
  DeviceConfig& config = store_.edit();
  if (config.thirdPartyCloud.view() == name && config.thirdPartyProduct.view() == product) return;
  config.thirdPartyCloud = name;  // S8.4.5
  config.thirdPartyProduct = product;
  saveConfig();
}

void Agent::onM2mServerReady(hal::Endpoint m2m, Millis now) {
  const DeviceConfig& config = store_.config();
  mqtt_.start(m2m, config.did.view(), config.passcode.view(), identity_.productKey.view(), now);
}

void Agent::onM2mAddressChanged(hal::Endpoint m2m, Millis now) {
  mqtt_.changeServer(m2m, now);  // S11.4
}

void Agent::onUnregistered(bool ok, Millis) {
  if (resetting_) return;  // the reboot follows regardless (protocol §1.8)
  DeviceConfig& config = store_.edit();
  if (ok && !config.oldDid.empty()) {
    config.oldDid.clear();
    config.oldPasscode.clear();
    saveConfig();
  }
}

void Agent::onFirmwareInstalled(std::uint32_t fid, std::string_view, std::string_view firmwareVersion,
                                Millis now) {
  // S9.6: the FID changes only now that the image is written and checked.
  DeviceConfig& config = store_.edit();
  config.fid = fid;
  config.firmwareVersion = firmwareVersion;
  saveConfig();
  scheduleReboot(0, "new firmware installed", now);
}

void Agent::onOtaFailed(OtaFailure failure, Millis) {
  log_.warning("OTA failed (%.*s); FID unchanged", static_cast<int>(otaFailureName(failure).size()),
               otaFailureName(failure).data());
}

void Agent::onCloudConnected(Millis now) {
  cloud_.onM2mLoggedIn(now);  // S11.4: hourly re-resolution from here on
  refresh(now);
}

void Agent::onCloudDisconnected(Millis now) {
  cloudAppCount_ = 0;
  refresh(now);
}

void Agent::onCredentialsRejected(Millis now) {
  cloud_.reregister(now);  // S8.9 0x04: re-register, provision, login, subscribe
}

void Agent::onReprovisionNeeded(Millis now) {
  cloud_.reprovision(now);  // S8.8.4
}

void Agent::onRebootNeeded(Millis now) {
  scheduleReboot(0, "two hours without the cloud (S8.8.5)", now);
}

void Agent::onCloudAppCommand(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                              Millis now) {
  forwarder_.fromCloudClient(clientId, cmd, sn, p0, now);  // S7.4.2
}

void Agent::onCloudAppCount(std::uint16_t count, Millis now) {
  cloudAppCount_ = count;  // protocol §3.7 0x0210: status bit 11
  refresh(now);
}

void Agent::onOtaPush(proto::OtaFirmwareType type, Millis now) {
  if (type != proto::OtaFirmwareType::Wifi) {
    log_.info("OTA push for firmware type %u ignored (S9.8: MCU upgrade not implemented)",
              static_cast<unsigned>(type));
    return;
  }
  cloud_.checkOtaNow(now);  // S9.1
}

}  // namespace gagent::core
