#pragma once
// The virtual lab in one process (docs/virtual-lab.md): the stand-in cloud (HTTP API + SQLite registry, the
// M2M gate, mosquitto with dynamic security) in-process, and as supervised children the virtual air
// (gagent-air) and N virtual modules (gagent-sim). A module that dies is started again at once, as a real
// module restarts (S12.3). Everything it starts it stops; it publishes where everything listens in <run
// dir>/lab.json.

#include <QLockFile>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <memory>
#include <vector>

#include "gizrig/lab/lab_state.h"

namespace gizrig::cloud {
class CloudApiServer;
class DeviceRegistry;
class FirmwareStore;
class M2mGate;
class M2mLabControl;
class MosquittoBroker;
}  // namespace gizrig::cloud

namespace gizrig::lab {

struct LabOptions {
  QString runDir;  // created if missing; holds lab.json, flash files, ptys, logs, the cloud database
  QString binDir;  // where gagent-sim and gagent-air are (the directory of the running gizrig by default)
  int modules = 0;
  // Module i gets 127.0.0.(firstAddress + i - 1); 0 = the first block from .11 that is free (claimed with
  // lock files, probed), so labs run side by side: parallel tests, two stations on one machine.
  int firstAddress = 0;
  bool production = false;                                           // GIZWITS_TEST_1/2 in the air (S5.1)
  QStringList accessPoints{QStringLiteral("HomeNet:password1:72")};  // gagent-air --ap syntax
  bool freshModules = false;  // wipe the modules' flash files: factory-new modules
  // The modules start in their ROM serial loader (gagent-sim --boot rom), as modules strapped with GPIO0 low
  // for a station's flash step or gizrig flash; each boots what is written when the loader is told to run.
  bool bootRom = false;
  // Each module's serial line takes its wire time at 9600 baud (gagent-sim --pace on), as a real line does;
  // a pty alone carries bytes at once.
  bool pacedUart = false;
  QString logLevel = QStringLiteral("info");
};

// Where POST /lab/firmware {"path":NAME} reads images from: <run dir>/firmware (docs/virtual-lab.md).
QString firmwareDirectory(const QString& runDir);

class LabService : public QObject {
  Q_OBJECT
 public:
  explicit LabService(LabOptions options, QObject* parent = nullptr);
  ~LabService() override;

  // Starts every part and waits until each is ready; false with the reason (what did start is stopped again).
  bool start(QString* error);
  void stop();

  [[nodiscard]] const LabState& state() const { return state_; }
  cloud::DeviceRegistry& registry() { return *registry_; }
  cloud::FirmwareStore& firmware() { return *firmware_; }
  cloud::CloudApiServer& api() { return *api_; }
  cloud::M2mGate& gate() { return *gate_; }
  cloud::MosquittoBroker& broker() { return *broker_; }

 signals:
  void moduleRestarted(int index);
  void logLine(const QString& line);

 private:
  bool startCloud(QString* error);
  bool startAir(QString* error);
  bool startModule(int index, QString* error);
  void onModuleFinished(int index);
  void publishState();
  int leaseAddresses(int count);  // the first of `count` free, locked addresses, or 0
  [[nodiscard]] QString binary(const QString& name) const;

  LabOptions options_;
  LabState state_;
  bool stopping_ = false;
  std::unique_ptr<cloud::DeviceRegistry> registry_;
  std::unique_ptr<cloud::FirmwareStore> firmware_;
  std::unique_ptr<cloud::MosquittoBroker> broker_;
  std::unique_ptr<cloud::M2mGate> gate_;
  std::unique_ptr<cloud::M2mLabControl> m2mControl_;  // /lab/m2m on the API's control endpoint
  std::unique_ptr<cloud::CloudApiServer> api_;
  std::unique_ptr<QProcess> air_;
  std::vector<std::unique_ptr<QProcess>> modules_;
  std::vector<std::unique_ptr<QLockFile>> addressLocks_;
};

}  // namespace gizrig::lab
