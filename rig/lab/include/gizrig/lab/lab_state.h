#pragma once
// What a running lab publishes about itself in <run dir>/lab.json, so `gizrig lab status|down`, the rig and
// the GUI find its parts: the daemon's PID, every port, every module's address, pty and PID, and the control
// secret of the cloud API. Mode 0600: the secret and the broker password are the lab owner's.
// Every PID comes with its start time (lab_process.h): a stale lab.json never gets another program signalled.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

#include "gizrig/lab/lab_process.h"

namespace gizrig::lab {

struct ModuleEntry {
  int index = 0;  // 1-based
  QString ip;     // 127.0.0.N
  QString mac;    // 12 hex digits
  QString pty;    // the MCU side: open this with a serial link
  QString flash;
  qint64 pid = 0;
  quint64 pidStart = 0;  // start time of `pid` (lab_process.h)
  int restarts = 0;
  [[nodiscard]] ProcessRef process() const { return {pid, pidStart}; }
};

struct LabState {
  qint64 pid = 0;  // the lab daemon (gizrig lab serve)
  quint64 pidStart = 0;
  bool ready = false;
  QString runDir;
  QString broadcast = QStringLiteral("127.255.255.255");
  quint16 airPort = 0;
  qint64 airPid = 0;
  quint64 airPidStart = 0;
  quint16 apiPort = 0;
  QString apiSecret;    // the control endpoint's secret (Authorization: Bearer <secret>)
  quint16 m2mPort = 0;  // the M2M gate, where modules log in
  quint16 mosquittoPort = 0;
  qint64 mosquittoPid = 0;
  quint64 mosquittoPidStart = 0;
  QString appUser;  // the broker account of the cloud-side app client
  QString appPassword;
  QList<ModuleEntry> modules;

  [[nodiscard]] ProcessRef daemon() const { return {pid, pidStart}; }
  // Every process of the lab: daemon, air, mosquitto, modules.
  [[nodiscard]] QList<ProcessRef> processes() const;
  // Whether the daemon that wrote this is still running (not merely its PID in use).
  [[nodiscard]] bool running() const { return isSameProcess(daemon()); }

  [[nodiscard]] QJsonObject toJson() const;
  static std::optional<LabState> fromJson(const QJsonObject& json, QString* error);
};

QString labStatePath(const QString& runDir);
// Atomic (write to a temp file, rename), so a reader never sees half a file; mode 0600.
bool writeLabState(const LabState& state, QString* error);
// A regular file of at most kMaxLabStateBytes.
std::optional<LabState> readLabState(const QString& runDir, QString* error);
inline constexpr qint64 kMaxLabStateBytes = 1024 * 1024;
// A fresh control secret: 32 random bytes from the system's generator, as hex.
QString newLabSecret();
// The default run directory: $XDG_RUNTIME_DIR/gizrig-lab, else /tmp/gizrig-lab-<user>.
QString defaultRunDir();
bool processAlive(qint64 pid);  // any process with that PID; use LabState::running() for the lab's

}  // namespace gizrig::lab
