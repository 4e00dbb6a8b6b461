#include "gizrig/lab/lab_state.h"

#include <signal.h>

#include <array>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>

#include "gizrig/files/capped_file.h"

namespace gizrig::lab {

QJsonObject LabState::toJson() const {
  QJsonArray list;
  for (const ModuleEntry& m : modules) {
    list.append(QJsonObject{{"index", m.index},
                            {"ip", m.ip},
                            {"mac", m.mac},
                            {"pty", m.pty},
                            {"flash", m.flash},
                            {"pid", m.pid},
                            {"pid_start", QString::number(m.pidStart)},
                            {"restarts", m.restarts}});
  }
  return QJsonObject{
      {"pid", pid},
      {"pid_start", QString::number(pidStart)},
      {"ready", ready},
      {"dir", runDir},
      {"broadcast", broadcast},
      {"air", QJsonObject{{"port", airPort}, {"pid", airPid}, {"pid_start", QString::number(airPidStart)}}},
      {"api", QJsonObject{{"port", apiPort}, {"secret", apiSecret}}},
      {"m2m", QJsonObject{{"port", m2mPort}}},
      {"mosquitto", QJsonObject{{"port", mosquittoPort},
                                {"pid", mosquittoPid},
                                {"pid_start", QString::number(mosquittoPidStart)},
                                {"app_user", appUser},
                                {"app_password", appPassword}}},
      {"modules", list}};
}

std::optional<LabState> LabState::fromJson(const QJsonObject& json, QString* error) {
  if (!json.contains("pid") || !json.contains("modules")) {
    if (error != nullptr) *error = QStringLiteral("lab state lacks 'pid' or 'modules'");
    return std::nullopt;
  }
  LabState s;
  // Start times are kernel ticks, written as text: a double would round them.
  const auto ticks = [](const QJsonValue& v) { return v.toString().toULongLong(); };
  s.pid = json["pid"].toInteger();
  s.pidStart = ticks(json["pid_start"]);
  s.ready = json["ready"].toBool();
  s.runDir = json["dir"].toString();
  s.broadcast = json["broadcast"].toString(s.broadcast);
  s.airPort = static_cast<quint16>(json["air"]["port"].toInt());
  s.airPid = json["air"]["pid"].toInteger();
  s.airPidStart = ticks(json["air"]["pid_start"]);
  s.apiPort = static_cast<quint16>(json["api"]["port"].toInt());
  s.apiSecret = json["api"]["secret"].toString();
  s.m2mPort = static_cast<quint16>(json["m2m"]["port"].toInt());
  s.mosquittoPort = static_cast<quint16>(json["mosquitto"]["port"].toInt());
  s.mosquittoPid = json["mosquitto"]["pid"].toInteger();
  s.mosquittoPidStart = ticks(json["mosquitto"]["pid_start"]);
  s.appUser = json["mosquitto"]["app_user"].toString();
  s.appPassword = json["mosquitto"]["app_password"].toString();
  for (const QJsonValue& v : json["modules"].toArray()) {
    const QJsonObject m = v.toObject();
    s.modules.append(ModuleEntry{m["index"].toInt(), m["ip"].toString(), m["mac"].toString(),
                                 m["pty"].toString(), m["flash"].toString(), m["pid"].toInteger(),
                                 ticks(m["pid_start"]), m["restarts"].toInt()});
  }
  return s;
}

QList<ProcessRef> LabState::processes() const {
  QList<ProcessRef> list{daemon(), {airPid, airPidStart}, {mosquittoPid, mosquittoPidStart}};
  for (const ModuleEntry& m : modules) list << m.process();
  return list;
}

QString labStatePath(const QString& runDir) {
  return QDir(runDir).filePath(QStringLiteral("lab.json"));
}

bool writeLabState(const LabState& state, QString* error) {
  QSaveFile file(labStatePath(state.runDir));
  if (!file.open(QIODevice::WriteOnly) ||
      !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
    if (error != nullptr) *error = file.errorString();
    return false;
  }
  file.write(QJsonDocument(state.toJson()).toJson());
  if (!file.commit()) {
    if (error != nullptr) *error = file.errorString();
    return false;
  }
  return true;
}

std::optional<LabState> readLabState(const QString& runDir, QString* error) {
  const QString path = labStatePath(runDir);
  if (!QFileInfo::exists(path)) {
    if (error != nullptr) *error = QStringLiteral("no lab in %1").arg(runDir);
    return std::nullopt;
  }
  const auto bytes = core::readCappedFile(path, kMaxLabStateBytes, error);
  if (!bytes) return std::nullopt;
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
  if (!doc.isObject()) {
    if (error != nullptr) *error = QStringLiteral("%1: %2").arg(path, parseError.errorString());
    return std::nullopt;
  }
  return LabState::fromJson(doc.object(), error);
}

QString defaultRunDir() {
  const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
  if (!runtime.isEmpty() && QDir(runtime).exists())
    return QDir(runtime).filePath(QStringLiteral("gizrig-lab"));
  const QString user = qEnvironmentVariable("USER", QStringLiteral("user"));
  return QStringLiteral("/tmp/gizrig-lab-%1").arg(user);
}

QString newLabSecret() {
  std::array<quint32, 8> words{};
  QRandomGenerator::system()->fillRange(words.data(), static_cast<qsizetype>(words.size()));
  return QString::fromLatin1(
      QByteArray(reinterpret_cast<const char*>(words.data()), static_cast<qsizetype>(sizeof words)).toHex());
}

bool processAlive(qint64 pid) {
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

}  // namespace gizrig::lab
