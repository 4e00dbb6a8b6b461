// The agent's MCU side: the handshake's results, MCU commands (protocol §1.8) and the forwarding outputs.

#include "gagent/core/agent.h"
#include "gagent/core/passcode.h"

namespace gagent::core {

void Agent::onDeviceInfo(const proto::DeviceInfo& info, Millis now) {
  const bool first = !identity_.mcuKnown;
  identity_.mcuKnown = true;
  identity_.mcuProtocolVersion = info.protocolVer;
  identity_.p0Version = info.p0Ver;
  identity_.mcuHardwareVersion = info.hardVer;
  identity_.mcuSoftwareVersion = info.softVer;
  identity_.productKey = info.productKey;
  identity_.bindTimeoutSeconds = info.bindTimeout;
  identity_.deviceAttributes = {};
  for (std::size_t i = 0; i < info.devAttr.size() && i < identity_.deviceAttributes.size(); ++i) {
    identity_.deviceAttributes[i] = info.devAttr[i];
  }

  DeviceConfig& config = store_.edit();
  if (config.productKey.view() != info.productKey) {
    if (!config.productKey.empty()) {
      // S7.8.1 (and protocol §1.8): a new product. The old DID is unregistered once the cloud is reachable.
      log_.warning("product key changed: clearing the cloud identity");
      if (!config.did.empty()) {
        config.oldDid = config.did.view();
        config.oldPasscode = config.passcode.view();
      }
      config.clearForProductKeyChange();
      config.passcode = generatePasscode(board_.random).view();
    }
    config.productKey = info.productKey;
    saveConfig();
  }
  if (first) bindWindow_.open(now, identity_.bindTimeoutSeconds);  // protocol §1.8: open after boot
  startCloudIfReady(now);
}

void Agent::onHandshakeFailed(Millis now) {
  log_.error("the MCU does not answer the handshake");
  refresh(now);
}

void Agent::onP0Answer(RequestTag tag, proto::Bytes p0, Millis) {
  forwarder_.onMcuAnswer(tag, p0);
}

void Agent::onP0Failed(RequestTag tag, Millis) {
  forwarder_.onMcuFailed(tag);
}

void Agent::onMcuReport(proto::Bytes p0, Millis) {
  forwarder_.onMcuReport(p0);
}

void Agent::onConfigModeRequest(const proto::ConfigModeRequest& request, Millis now) {
  if (request.method() == proto::ConfigMethod::Direct) {
    // Newer firmware's "write config directly"; credentials are taken like any other configuration.
    saveCredentialsAndReboot(request.ssid, request.password, ConfigSource::AirLink, now);
    return;
  }
  if (onboarding_.onConfigModeCommand(request.method(), wifi_.routerConnected(), now)) {
    bindWindow_.open(now, identity_.bindTimeoutSeconds);  // S7.2.2
    // S6.2.6: every entry syncs the status word to the MCU, also when the module was already in that mode
    // (the word did not change, but the MCU may be waiting for it), as the reference does.
    status_.publish(deriveStatus(now), now, true);
    leds_.setMode(deriveLedMode(), now);
  }
}

void Agent::onResetRequest(Millis now) {
  // S8.3: unregister the DID; S7.7.1: clear what a reset clears; protocol §1.8: come back up in SoftAP.
  resetting_ = true;
  DeviceConfig& config = store_.edit();
  if (!config.did.empty()) cloud_.unregister(config.did.view(), config.passcode.view(), now);
  config.clearForReset();
  config.startInSoftAp = true;
  config.pendingConfigSuccess = ConfigSource::None;
  cloud_.dnsCache().clear();
  saveConfig();
  scheduleReboot(kResetRebootDelay, "reset by the MCU", now);
}

void Agent::onProductionTestRequest(Millis now) {
  production_.enter(now);  // S5.2
  wifi_.setPeriodicScan(kProductionScanInterval, now);
}

void Agent::onBindWindowRequest(Millis now) {
  bindWindow_.open(now, identity_.bindTimeoutSeconds);  // protocol §1.7: 0x15
}

void Agent::onRestartRequest(Millis now) {
  scheduleReboot(kRestartRebootDelay, "restart asked by the MCU", now);
}

proto::NetworkTime Agent::networkTime(Millis now) {
  // Before the first provision: 1970-01-01 in the local zone, ntp 0 (protocol §1.8).
  const std::uint64_t epoch = timeKnown_ ? timeBaseEpoch_ + (now - timeBaseAt_) / 1000 : 0;
  return proto::networkTimeFromEpoch(static_cast<std::uint32_t>(epoch), options_.timeZoneSeconds);
}

void Agent::buildModuleInfo(proto::ByteWriter& out) {
  std::array<char, 12> mac{};
  const hal::Ipv4Text ip = hal::toText(board_.radio.stationAddress());
  proto::ModuleInfo info;
  info.protocolVer = identity_.mcuProtocolVersion.view();
  info.hardVer = identity_.wifiHardwareVersion.view();
  info.softVer = identity_.wifiSoftwareVersion.view();
  info.mac = identity_.macText(mac);
  info.ip = ip.view();
  info.devAttr = proto::Bytes(identity_.deviceAttributes.data(), identity_.deviceAttributes.size());
  proto::buildModuleInfo(info, out);
}

void Agent::onMcuSilent(Millis now) {
  scheduleReboot(0, "serial link broken (S7.6.2)", now);
}

void Agent::pushStatus(std::uint16_t word, Millis now) {
  mcu_.sendStatus(word, now);
}

bool Agent::sendToMcu(proto::Bytes p0, RequestTag tag, Millis now) {
  return mcu_.sendP0(p0, tag, now);
}

void Agent::answerLanClient(std::size_t slot, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0) {
  lanServer_.sendToClient(static_cast<LanClientId>(slot), cmd, sn, p0);
}

void Agent::answerCloudClient(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn,
                              proto::Bytes p0) {
  mqtt_.publishToClient(clientId, cmd, sn, p0);
}

void Agent::reportToEveryone(proto::Bytes p0) {
  lanServer_.sendToAllLoggedIn(proto::LanCmd::P0FromDevice, p0);  // S7.4.3
  if (mqtt_.connected()) mqtt_.publishToAll(proto::LanCmd::P0FromDevice, p0);
}

}  // namespace gagent::core
