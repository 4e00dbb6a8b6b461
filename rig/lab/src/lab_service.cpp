#include "gizrig/lab/lab_service.h"

#include <signal.h>
#include <sys/prctl.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QLockFile>
#include <QTcpServer>

#include "gizrig/cloud/cloud_api_server.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/firmware_store.h"
#include "gizrig/cloud/m2m_gate.h"
#include "gizrig/cloud/m2m_lab_control.h"
#include "gizrig/cloud/mosquitto_broker.h"

namespace gizrig::lab {

namespace {

constexpr int kStartTimeoutMs = 20000;
constexpr int kStopTimeoutMs = 5000;

// Waits for the child's "<prefix> ..." line on stdout; the rest of the line, or empty on timeout/exit.
QString waitForReadyLine(QProcess& process, const QString& prefix, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    if (!process.canReadLine() && !process.waitForReadyRead(200)) {
      if (process.state() == QProcess::NotRunning) return {};
      continue;
    }
    while (process.canReadLine()) {
      const QString line = QString::fromUtf8(process.readLine()).trimmed();
      if (line.startsWith(prefix)) return line.mid(prefix.size()).trimmed();
    }
  }
  return {};
}

QString field(const QString& readyRest, const QString& key) {
  for (const QString& part : readyRest.split(' ', Qt::SkipEmptyParts)) {
    if (part.startsWith(key + '=')) return part.mid(key.size() + 1);
  }
  return {};
}

// A child ends with the lab even when the lab is killed with SIGKILL: the lab leaves nothing behind.
void endWithParent(QProcess& process) {
  process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

void stopProcess(QProcess& process) {
  if (process.state() == QProcess::NotRunning) return;
  process.terminate();  // SIGTERM: clean shutdown, ptys removed
  if (!process.waitForFinished(kStopTimeoutMs)) {
    process.kill();
    process.waitForFinished(kStopTimeoutMs);
  }
}

// Whether a module could take this address: its LAN TCP port (12416) is free there.
bool addressFree(int lastOctet) {
  QTcpServer probe;
  return probe.listen(QHostAddress(QStringLiteral("127.0.0.%1").arg(lastOctet)), 12416);
}

}  // namespace

LabService::LabService(LabOptions options, QObject* parent) : QObject(parent), options_(std::move(options)) {
  if (options_.binDir.isEmpty()) options_.binDir = QCoreApplication::applicationDirPath();
  state_.runDir = QDir(options_.runDir).absolutePath();
  state_.pid = QCoreApplication::applicationPid();
}

LabService::~LabService() {
  stop();
}

int LabService::leaseAddresses(int count) {
  // Labs started at the same moment (parallel tests, two stations) must not pick the same block: each address
  // is claimed with a lock file held for the lab's lifetime (QLockFile clears locks of dead processes), then
  // probed, since something outside any lab may use it too.
  constexpr int kFirst = 11;
  constexpr int kLast = 254;
  const QString lockDir = QDir(QDir::tempPath()).filePath(QStringLiteral("gizrig-module-addresses"));
  QDir().mkpath(lockDir);
  for (int start = kFirst; start + count - 1 <= kLast; ++start) {
    std::vector<std::unique_ptr<QLockFile>> locks;
    bool ok = true;
    for (int i = 0; i < count && ok; ++i) {
      auto lock = std::make_unique<QLockFile>(
          QDir(lockDir).filePath(QStringLiteral("127.0.0.%1.lock").arg(start + i)));
      lock->setStaleLockTime(0);  // only a dead owner makes a lock stale, never its age
      ok = lock->tryLock(0) && addressFree(start + i);
      locks.push_back(std::move(lock));
    }
    if (ok) {
      addressLocks_ = std::move(locks);
      return start;
    }
  }
  return 0;
}

QString firmwareDirectory(const QString& runDir) {
  return QDir(runDir).filePath(QStringLiteral("firmware"));
}

QString LabService::binary(const QString& name) const {
  return QDir(options_.binDir).filePath(name);
}

bool LabService::start(QString* error) {
  if (!QDir().mkpath(state_.runDir) || !QDir().mkpath(firmwareDirectory(state_.runDir))) {
    *error = QStringLiteral("cannot create %1").arg(state_.runDir);
    return false;
  }
  // The run directory holds lab.json (the control secret, the broker's app password): the owner's alone.
  QFile::setPermissions(state_.runDir,
                        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  state_.pidStart = processStartTicks(state_.pid).value_or(0);
  state_.apiSecret = newLabSecret();
  if (options_.firstAddress == 0) {
    options_.firstAddress = leaseAddresses(std::max(1, options_.modules));
    if (options_.firstAddress == 0) {
      *error = QStringLiteral("no block of %1 free module addresses in 127.0.0.11-254").arg(options_.modules);
      return false;
    }
  }
  const bool ok = startCloud(error) && startAir(error);
  bool modulesOk = ok;
  for (int i = 1; modulesOk && i <= options_.modules; ++i) modulesOk = startModule(i, error);
  if (!modulesOk) {
    stop();
    return false;
  }
  state_.ready = true;
  publishState();
  return true;
}

bool LabService::startCloud(QString* error) {
  registry_ = std::make_unique<cloud::DeviceRegistry>();
  firmware_ = std::make_unique<cloud::FirmwareStore>();
  if (!registry_->open(QDir(state_.runDir).filePath("cloud.db")) ||
      !firmware_->open(QDir(state_.runDir).filePath("firmware.db"))) {
    *error = QStringLiteral("cloud database: %1").arg(registry_->lastError());
    return false;
  }
  cloud::MosquittoOptions brokerOptions;
  brokerOptions.runDirectory = QDir(state_.runDir).filePath("mosquitto");
  broker_ = std::make_unique<cloud::MosquittoBroker>(brokerOptions);
  if (!broker_->start()) {
    *error = QStringLiteral("mosquitto: %1").arg(broker_->lastError());
    return false;
  }
  // The broker's accounts are rebuilt at every start: give every registered device its login back.
  for (const cloud::RegisteredDevice& device : registry_->devices()) {
    broker_->addDevice(device.did, device.passcode, device.productKey);
  }
  connect(
      registry_.get(), &cloud::DeviceRegistry::deviceRegistered, this,
      [this](const QString& did, const QString& passcode, const QString& productKey) {
        if (!broker_->addDevice(did, passcode, productKey)) {
          emit logLine(QStringLiteral("broker refused the account of %1: %2").arg(did, broker_->lastError()));
        }
      });
  connect(registry_.get(), &cloud::DeviceRegistry::deviceUnregistered, this,
          [this](const QString& did) { broker_->removeDevice(did); });

  gate_ = std::make_unique<cloud::M2mGate>(
      [this](const QString& did, const QString& passcode) { return registry_->authenticate(did, passcode); });
  gate_->setBroker(QHostAddress::LocalHost, broker_->port());
  if (!gate_->listen(0)) {
    *error = QStringLiteral("M2M gate cannot listen");
    return false;
  }
  cloud::CloudApiSettings settings;
  settings.m2mHost = QStringLiteral("127.0.0.1");
  settings.m2mPort = gate_->port();
  settings.controlSecret = state_.apiSecret;
  settings.firmwareDirectory = firmwareDirectory(state_.runDir);
  api_ = std::make_unique<cloud::CloudApiServer>(*registry_, *firmware_, settings);
  if (!api_->listen(0)) {
    *error = QStringLiteral("cloud API cannot listen: %1").arg(api_->errorString());
    return false;
  }
  m2mControl_ = std::make_unique<cloud::M2mLabControl>(*gate_);
  api_->setM2mControl(m2mControl_->hook());
  state_.apiPort = api_->port();
  state_.m2mPort = gate_->port();
  state_.mosquittoPort = broker_->port();
  state_.mosquittoPid = broker_->pid();
  state_.mosquittoPidStart = processStartTicks(state_.mosquittoPid).value_or(0);
  state_.appUser = broker_->appUsername();
  state_.appPassword = broker_->appPassword();
  return true;
}

bool LabService::startAir(QString* error) {
  air_ = std::make_unique<QProcess>();
  QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
  if (options_.production) args << QStringLiteral("--production");
  for (const QString& ap : options_.accessPoints) args << QStringLiteral("--ap") << ap;
  air_->setProgram(binary(QStringLiteral("gagent-air")));
  air_->setArguments(args);
  air_->setStandardErrorFile(QDir(state_.runDir).filePath("air.log"));
  endWithParent(*air_);
  air_->start();
  const QString ready = waitForReadyLine(*air_, QStringLiteral("gagent-air ready"), kStartTimeoutMs);
  if (ready.isEmpty()) {
    *error = QStringLiteral("gagent-air did not start (%1; see %2/air.log)")
                 .arg(air_->errorString(), state_.runDir);
    return false;
  }
  state_.airPort = static_cast<quint16>(field(ready, QStringLiteral("port")).toUInt());
  state_.airPid = air_->processId();
  state_.airPidStart = processStartTicks(state_.airPid).value_or(0);
  return true;
}

bool LabService::startModule(int index, QString* error) {
  const QDir dir(state_.runDir);
  ModuleEntry entry;
  entry.index = index;
  entry.ip = QStringLiteral("127.0.0.%1").arg(options_.firstAddress + index - 1);
  entry.pty = dir.filePath(QStringLiteral("module-%1.pty").arg(index));
  entry.flash = dir.filePath(QStringLiteral("module-%1.flash").arg(index));
  if (options_.freshModules && state_.modules.size() < index) QFile::remove(entry.flash);

  auto process = std::make_unique<QProcess>();
  process->setProgram(binary(QStringLiteral("gagent-sim")));
  QStringList args{QStringLiteral("--uart"),      QStringLiteral("pty:") + entry.pty,
                   QStringLiteral("--ip"),        entry.ip,
                   QStringLiteral("--flash"),     entry.flash,
                   QStringLiteral("--api"),       QStringLiteral("127.0.0.1:%1").arg(state_.apiPort),
                   QStringLiteral("--air"),       QStringLiteral("127.0.0.1:%1").arg(state_.airPort),
                   QStringLiteral("--broadcast"), state_.broadcast,
                   QStringLiteral("--log-level"), options_.logLevel,
                   QStringLiteral("--log-file"),  dir.filePath(QStringLiteral("module-%1.log").arg(index))};
  if (options_.bootRom) args << QStringLiteral("--boot") << QStringLiteral("rom");
  if (options_.pacedUart) args << QStringLiteral("--pace") << QStringLiteral("on");
  process->setArguments(args);
  process->setStandardErrorFile(dir.filePath(QStringLiteral("module-%1.err").arg(index)));
  endWithParent(*process);
  process->start();
  const QString ready = waitForReadyLine(*process, QStringLiteral("gagent-sim ready"), kStartTimeoutMs);
  if (ready.isEmpty()) {
    *error = QStringLiteral("module %1 (gagent-sim on %2) did not start; see %3")
                 .arg(index)
                 .arg(entry.ip, dir.filePath(QStringLiteral("module-%1.err").arg(index)));
    return false;
  }
  entry.mac = field(ready, QStringLiteral("mac"));
  entry.pid = process->processId();
  entry.pidStart = processStartTicks(entry.pid).value_or(0);
  connect(process.get(), &QProcess::finished, this, [this, index] { onModuleFinished(index); });

  if (static_cast<int>(modules_.size()) < index) {
    modules_.resize(static_cast<std::size_t>(index));
    state_.modules.append(entry);
  } else {
    entry.restarts = state_.modules[index - 1].restarts;
    state_.modules[index - 1] = entry;
  }
  modules_[static_cast<std::size_t>(index - 1)] = std::move(process);
  return true;
}

void LabService::onModuleFinished(int index) {
  if (stopping_) return;
  // S12.3: a module that crashed restarts at once and resumes from its flash.
  emit logLine(QStringLiteral("module %1 exited; starting it again").arg(index));
  QString error;
  auto old = std::move(modules_[static_cast<std::size_t>(index - 1)]);
  if (old) old->deleteLater();
  old.release();
  if (!startModule(index, &error)) {
    emit logLine(error);
    return;
  }
  ++state_.modules[index - 1].restarts;
  publishState();
  emit moduleRestarted(index);
}

void LabService::publishState() {
  QString error;
  if (!writeLabState(state_, &error)) emit logLine(QStringLiteral("cannot write lab.json: %1").arg(error));
}

void LabService::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& module : modules_) {
    if (module) stopProcess(*module);
  }
  modules_.clear();
  if (air_) stopProcess(*air_);
  air_.reset();
  if (api_) api_->close();
  api_.reset();
  m2mControl_.reset();
  gate_.reset();
  if (broker_) broker_->stop();
  broker_.reset();
  firmware_.reset();
  registry_.reset();
  QFile::remove(labStatePath(state_.runDir));
  addressLocks_.clear();  // the addresses are free for the next lab
}

}  // namespace gizrig::lab
