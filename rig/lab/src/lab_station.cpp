#include "gizrig/lab/lab_station.h"

#include <QFile>
#include <QSaveFile>

#include "gizrig/lab/lab_module_plugs.h"

namespace gizrig::lab {

core::StationConfig labStation(const LabState& state, const QString& product) {
  core::StationConfig station;
  station.station = QStringLiteral("lab");
  station.line = QStringLiteral("virtual lab ") + state.runDir;
  station.product = product;
  station.broadcast = state.broadcast;
  for (const ModuleEntry& m : state.modules) {
    core::SlotConfig slot;
    slot.name = QString::number(m.index);
    slot.serialPort = m.pty;
    slot.module = QHostAddress(m.ip);
    station.slotConfigs << slot;
  }
  core::RouterControllerConfig air;
  air.backend = core::RouterControllerConfig::Backend::Air;
  air.ssids = {QStringLiteral("*")};  // every access point of the air, test routers and home routers alike
  air.address = QHostAddress::LocalHost;
  air.port = state.airPort;
  station.routers << air;
  core::CloudConfig cloud;
  cloud.apiAddress = QHostAddress::LocalHost;
  cloud.apiPort = state.apiPort;
  cloud.mqttAddress = QHostAddress::LocalHost;
  cloud.mqttPort = state.mosquittoPort;
  cloud.appUser = state.appUser;
  cloud.appPassword = state.appPassword;
  cloud.secret = state.apiSecret;
  station.cloud = cloud;
  station.homeRouter =
      core::HomeRouterConfig{QString::fromLatin1(kLabHomeSsid), QString::fromLatin1(kLabHomePassword),
                             core::HomeRouterConfig::Onboarding::SoftAp};  // the rig steers the air
  return station;
}

bool writeLabStation(const LabState& state, const QString& product, const QString& path, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) ||
      !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
    if (error != nullptr) *error = QStringLiteral("%1: %2").arg(path, file.errorString());
    return false;
  }
  file.write(labStation(state, product).toJson());
  if (!file.commit()) {
    if (error != nullptr) *error = QStringLiteral("%1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

}  // namespace gizrig::lab
