#pragma once
// What a running lab publishes about itself in <run dir>/lab.json, so `gizrig lab status|down`, the rig and
// the GUI find its parts: the daemon's PID, every port, every module's address, pty and PID.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace gizrig::lab {

struct ModuleEntry {
  int index = 0;  // 1-based
  QString ip;     // 127.0.0.N
  QString mac;    // 12 hex digits
  QString pty;    // the MCU side: open this with a serial link
  QString flash;
  qint64 pid = 0;
  int restarts = 0;
};

struct LabState {
  qint64 pid = 0;  // the lab daemon (gizrig lab serve)
  bool ready = false;
  QString runDir;
  QString broadcast = QStringLiteral("127.255.255.255");
  quint16 airPort = 0;
  qint64 airPid = 0;
  quint16 apiPort = 0;
  quint16 m2mPort = 0;  // the M2M gate, where modules log in
  quint16 mosquittoPort = 0;
  qint64 mosquittoPid = 0;
  QString appUser;  // the broker account of the cloud-side app client
  QString appPassword;
  QList<ModuleEntry> modules;

  [[nodiscard]] QJsonObject toJson() const;
  static std::optional<LabState> fromJson(const QJsonObject& json, QString* error);
};

QString labStatePath(const QString& runDir);
// Atomic (write to a temp file, rename), so a reader never sees half a file.
bool writeLabState(const LabState& state, QString* error);
std::optional<LabState> readLabState(const QString& runDir, QString* error);
// The default run directory: $XDG_RUNTIME_DIR/gizrig-lab, else /tmp/gizrig-lab-<user>.
QString defaultRunDir();
bool processAlive(qint64 pid);

}  // namespace gizrig::lab
