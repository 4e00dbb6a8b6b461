#pragma once
// mosquitto supervised for the virtual lab: a config in a run directory (127.0.0.1 on a free port, no
// anonymous clients, the dynamic-security plugin), the process started, watched (restarted when it dies) and
// stopped cleanly, plus the device and app accounts of the Gizwits M2M topics (protocol §3.7, S8.5-S8.6)
// managed through the plugin's MQTT control API. The M2mGate sits in front of it for the modules.

#include <QObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

#include "gizrig/cloud/dynsec_admin.h"

namespace gizrig::cloud {

struct MosquittoOptions {
  QString executable = QStringLiteral("/usr/sbin/mosquitto");
  QString ctrlExecutable = QStringLiteral("mosquitto_ctrl");
  QString dynsecPlugin = QStringLiteral("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");
  // Where mosquitto.conf, dynamic-security.json and mosquitto.log go. Empty: a temporary directory removed
  // with the broker.
  QString runDirectory;
  quint16 port = 0;  // 0: pick a free port (and pick again if mosquitto loses the race for it)
  int startTimeoutMs = 10000;
  int stopTimeoutMs = 3000;
  int commandTimeoutMs = 5000;
  bool restartOnCrash = true;
  int maxRestarts = 20;  // a broker that keeps dying is a bug to report, not to hide
};

class MosquittoBroker : public QObject {
  Q_OBJECT

 public:
  static constexpr const char* kHost = "127.0.0.1";
  static constexpr const char* kAppUsername = "app";

  explicit MosquittoBroker(MosquittoOptions options = {}, QObject* parent = nullptr);
  ~MosquittoBroker() override;  // stops mosquitto: no process outlives the broker object

  // Writes the config, starts mosquitto, waits until it accepts connections and connects the admin client,
  // then creates the app account. Blocks (at most startTimeoutMs). False with lastError() on failure.
  bool start();
  // SIGTERM, then SIGKILL after stopTimeoutMs; always reaps the process. No restart follows.
  void stop();

  [[nodiscard]] bool isRunning() const;
  [[nodiscard]] QString host() const { return QString::fromLatin1(kHost); }
  [[nodiscard]] quint16 port() const { return port_; }
  [[nodiscard]] qint64 pid() const;
  [[nodiscard]] QString runDirectory() const { return runDir_; }
  [[nodiscard]] QString lastError() const { return lastError_; }
  [[nodiscard]] int restartCount() const { return restarts_; }

  // The account of the Paho app side (AppClient): publish app2dev/#, subscribe dev2app/#, publish
  // ser2cli_res/# and ser2cli_noti/#. The password is random per broker.
  [[nodiscard]] QString appUsername() const { return QString::fromLatin1(kAppUsername); }
  [[nodiscard]] QString appPassword() const { return appPassword_; }

  // S8.5-S8.6: client `did` (client id and user name `did`, password `passcode`) with a role allowing
  // exactly: subscribe ser2cli_noti/<pk>, ser2cli_res/<did>, app2dev/<did>/#; publish dev2app/<did>,
  // dev2app/<did>/# and cli2ser_req. Replaces an existing account of that DID (which kicks its session).
  // False (lastError()) on a DID/key that cannot form topics, or when the plugin refuses.
  bool addDevice(const QString& did, const QString& passcode, const QString& productKey);
  // Deletes the client (the plugin disconnects it) and its role. False when there was no such device.
  bool removeDevice(const QString& did);

 signals:
  void started();
  // mosquitto died without being asked to; a restart follows when restartOnCrash is set.
  void crashed(int exitCode, QProcess::ExitStatus status);
  void restarted();
  // A restart failed or the restart budget is spent: the broker stays down.
  void failed(const QString& reason);
  void stopped();

 private:
  bool prepareRunDirectory();
  bool writeConfig();
  bool launch();  // one start of the process on port_, waiting until it listens
  bool connectAdmin();
  bool createAppAccount();
  bool waitUntilListening();
  void killProcess();
  void onFinished(int exitCode, QProcess::ExitStatus status);
  bool fail(const QString& reason);

  MosquittoOptions options_;
  std::unique_ptr<QTemporaryDir> tempDir_;
  QString runDir_;
  QString adminPassword_;
  QString appPassword_;
  QString lastError_;
  quint16 port_ = 0;
  QProcess* process_ = nullptr;
  std::unique_ptr<DynsecAdmin> admin_;
  bool stopping_ = false;
  bool dynsecInitialised_ = false;
  int restarts_ = 0;
};

}  // namespace gizrig::cloud
