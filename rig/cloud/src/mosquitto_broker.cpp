#include "gizrig/cloud/mosquitto_broker.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUuid>
#include <csignal>

#include "gagent/proto/mqtt_topics.h"

namespace gizrig::cloud {
namespace {

using std::chrono::milliseconds;

constexpr int kPortAttempts = 3;
constexpr const char* kAppRole = "app";

QString randomSecret() {
  return QUuid::createUuid().toString(QUuid::Id128);
}

QString deviceRole(const QString& did) {
  return QStringLiteral("device-") + did;
}

quint16 pickFreePort() {
  QTcpServer probe;
  if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
  return probe.serverPort();
}

QJsonObject command(const char* name, QJsonObject fields = {}) {
  fields.insert(QStringLiteral("command"), QString::fromLatin1(name));
  return fields;
}

QJsonObject acl(const QString& role, const char* type, const QString& topic) {
  return command("addRoleACL", {{QStringLiteral("rolename"), role},
                                {QStringLiteral("acltype"), QString::fromLatin1(type)},
                                {QStringLiteral("topic"), topic},
                                {QStringLiteral("allow"), true}});
}

QString topic(const gagent::proto::MqttTopic& built) {
  return QString::fromUtf8(built.view().data(), static_cast<qsizetype>(built.view().size()));
}

QString logTail(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  const qint64 size = file.size();
  file.seek(std::max<qint64>(0, size - 400));
  return QString::fromUtf8(file.read(400)).trimmed();
}

}  // namespace

MosquittoBroker::MosquittoBroker(MosquittoOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {}

MosquittoBroker::~MosquittoBroker() {
  // No signals from here: receivers may already be half destroyed.
  stopping_ = true;
  admin_.reset();
  killProcess();
}

bool MosquittoBroker::fail(const QString& reason) {
  lastError_ = reason;
  qWarning("mosquitto: %s", qPrintable(reason));
  return false;
}

bool MosquittoBroker::start() {
  if (isRunning()) return true;
  stopping_ = false;
  restarts_ = 0;
  lastError_.clear();
  if (!prepareRunDirectory()) return false;

  // A fresh account database per start: the lab's registry re-adds the devices it knows.
  adminPassword_ = randomSecret();
  appPassword_ = randomSecret();
  const QString dynsecFile = runDir_ + QStringLiteral("/dynamic-security.json");
  QFile::remove(dynsecFile);
  QProcess init;
  init.setProcessChannelMode(QProcess::MergedChannels);
  init.start(options_.ctrlExecutable, {QStringLiteral("dynsec"), QStringLiteral("init"), dynsecFile,
                                       QStringLiteral("admin"), adminPassword_});
  if (!init.waitForFinished(options_.startTimeoutMs) || init.exitCode() != 0 || !QFile::exists(dynsecFile)) {
    init.kill();
    init.waitForFinished(1000);
    return fail(QStringLiteral("mosquitto_ctrl dynsec init failed: %1")
                    .arg(QString::fromUtf8(init.readAll()).trimmed()));
  }

  bool launched = false;
  for (int attempt = 0; attempt < kPortAttempts && !launched; ++attempt) {
    port_ = options_.port != 0 ? options_.port : pickFreePort();
    if (port_ == 0) return fail(QStringLiteral("no free port on 127.0.0.1"));
    launched = launch();
    if (options_.port != 0) break;  // a fixed port that failed will not get better
  }
  if (!launched) return false;
  if (!connectAdmin() || !createAppAccount()) {
    stop();
    return false;
  }
  emit started();
  return true;
}

bool MosquittoBroker::prepareRunDirectory() {
  if (!options_.runDirectory.isEmpty()) {
    runDir_ = options_.runDirectory;
    if (!QDir().mkpath(runDir_)) return fail(QStringLiteral("cannot create %1").arg(runDir_));
    return true;
  }
  if (!tempDir_) tempDir_ = std::make_unique<QTemporaryDir>(QDir::tempPath() + "/gizrig-mosquitto-XXXXXX");
  if (!tempDir_->isValid()) return fail(QStringLiteral("cannot create a temporary run directory"));
  runDir_ = tempDir_->path();
  return true;
}

bool MosquittoBroker::writeConfig() {
  QFile file(runDir_ + QStringLiteral("/mosquitto.conf"));
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
    return fail(QStringLiteral("cannot write %1").arg(file.fileName()));
  QString text;
  text += QStringLiteral("# Written by gizrig (MosquittoBroker); rewritten at every start.\n");
  text += QStringLiteral("per_listener_settings false\n");
  text += QStringLiteral("allow_anonymous false\n");
  text += QStringLiteral("listener %1 %2\n").arg(port_).arg(QString::fromLatin1(kHost));
  text += QStringLiteral("plugin %1\n").arg(options_.dynsecPlugin);
  text += QStringLiteral("plugin_opt_config_file %1/dynamic-security.json\n").arg(runDir_);
  text += QStringLiteral("set_tcp_nodelay true\n");
  text += QStringLiteral("persistence false\n");
  text += QStringLiteral("log_dest stdout\n");
  text += QStringLiteral("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
  text += QStringLiteral("connection_messages true\n");
  // As root mosquitto would switch to the `mosquitto` user, which cannot write our run directory (the
  // plugin saves its JSON there after every change).
  if (::geteuid() == 0) text += QStringLiteral("user root\n");
  return file.write(text.toUtf8()) == text.toUtf8().size();
}

bool MosquittoBroker::launch() {
  if (!writeConfig()) return false;
  killProcess();
  process_ = new QProcess(this);
  process_->setProgram(options_.executable);
  process_->setArguments({QStringLiteral("-c"), runDir_ + QStringLiteral("/mosquitto.conf")});
  process_->setProcessChannelMode(QProcess::MergedChannels);
  process_->setStandardOutputFile(runDir_ + QStringLiteral("/mosquitto.log"), QIODevice::Append);
  // If the rig dies without running destructors, the kernel still ends mosquitto.
  process_->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
  process_->start();
  if (!process_->waitForStarted(options_.startTimeoutMs)) {
    const QString why = process_->errorString();
    killProcess();
    return fail(QStringLiteral("cannot start %1: %2").arg(options_.executable, why));
  }
  if (!waitUntilListening()) {
    killProcess();
    return false;
  }
  connect(process_, &QProcess::finished, this, &MosquittoBroker::onFinished);
  return true;
}

bool MosquittoBroker::waitUntilListening() {
  QElapsedTimer clock;
  clock.start();
  while (!clock.hasExpired(options_.startTimeoutMs)) {
    // Doubles as the pause between probes and as the check that mosquitto did not exit (bad config, port
    // taken).
    if (process_->waitForFinished(50)) {
      return fail(QStringLiteral("mosquitto exited at start (code %1): %2")
                      .arg(process_->exitCode())
                      .arg(logTail(runDir_ + QStringLiteral("/mosquitto.log"))));
    }
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port_);
    if (probe.waitForConnected(200)) {
      probe.abort();
      return true;
    }
  }
  return fail(QStringLiteral("mosquitto did not listen on port %1 in time").arg(port_));
}

bool MosquittoBroker::connectAdmin() {
  admin_ = std::make_unique<DynsecAdmin>(host(), port_, QStringLiteral("admin"), adminPassword_);
  if (!admin_->connect(milliseconds(options_.commandTimeoutMs))) {
    const QString why = admin_->error();
    admin_.reset();
    return fail(why);
  }
  return true;
}

bool MosquittoBroker::createAppAccount() {
  const QString role = QString::fromLatin1(kAppRole);
  const QJsonArray commands{
      command("createRole", {{QStringLiteral("rolename"), role}}),
      acl(role, "publishClientSend", QStringLiteral("app2dev/#")),
      acl(role, "subscribePattern", QStringLiteral("dev2app/#")),
      acl(role, "publishClientSend", QStringLiteral("ser2cli_res/#")),
      acl(role, "publishClientSend", QStringLiteral("ser2cli_noti/#")),
      command("createClient",
              {{QStringLiteral("username"), appUsername()}, {QStringLiteral("password"), appPassword_}}),
      command("addClientRole",
              {{QStringLiteral("username"), appUsername()}, {QStringLiteral("rolename"), role}}),
  };
  if (!admin_->execute(commands, milliseconds(options_.commandTimeoutMs)))
    return fail(QStringLiteral("cannot create the app account: %1").arg(admin_->error()));
  return true;
}

bool MosquittoBroker::addDevice(const QString& did, const QString& passcode, const QString& productKey) {
  namespace proto = gagent::proto;
  const std::string didText = did.toStdString();
  const proto::MqttTopic noti = proto::serToCliNotiTopic(productKey.toStdString());
  const proto::MqttTopic res = proto::serToCliResTopic(didText);
  const proto::MqttTopic app2dev = proto::appToDevFilter(didText);
  const proto::MqttTopic dev2app = proto::devToAppTopic(didText);
  if (!noti.ok() || !res.ok() || !app2dev.ok() || !dev2app.ok() || passcode.isEmpty())
    return fail(
        QStringLiteral("addDevice: DID '%1', passcode or product key '%2' unusable").arg(did, productKey));
  if (!admin_) return fail(QStringLiteral("addDevice: broker not running"));

  const QString role = deviceRole(did);
  const milliseconds timeout(options_.commandTimeoutMs);
  // Re-registration replaces the account; the first time these fail with "not found", which is fine.
  admin_->executeIgnoringErrors({command("deleteClient", {{QStringLiteral("username"), did}}),
                                 command("deleteRole", {{QStringLiteral("rolename"), role}})},
                                timeout);
  // The role with its ACLs and the client with its role in two commands, not nine: the plugin saves its
  // JSON after every command, and this runs on the rig's event loop once per registering module (P3).
  const auto entry = [](const char* type, const QString& topicText) {
    return QJsonObject{{QStringLiteral("acltype"), QString::fromLatin1(type)},
                       {QStringLiteral("topic"), topicText},
                       {QStringLiteral("allow"), true}};
  };
  const QJsonArray acls{
      entry("subscribeLiteral", topic(noti)),
      entry("subscribeLiteral", topic(res)),
      entry("subscribeLiteral", topic(app2dev)),
      entry("publishClientSend", topic(dev2app)),
      entry("publishClientSend", topic(dev2app) + QStringLiteral("/#")),
      entry("publishClientSend",
            QString::fromLatin1(proto::kCliToSerReqTopic.data(),
                                static_cast<qsizetype>(proto::kCliToSerReqTopic.size()))),
  };
  const QJsonArray commands{
      command("createRole", {{QStringLiteral("rolename"), role}, {QStringLiteral("acls"), acls}}),
      command("createClient",
              {{QStringLiteral("username"), did},
               {QStringLiteral("password"), passcode},
               {QStringLiteral("clientid"), did},
               {QStringLiteral("roles"), QJsonArray{QJsonObject{{QStringLiteral("rolename"), role}}}}}),
  };
  if (!admin_->execute(commands, timeout))
    return fail(QStringLiteral("addDevice %1: %2").arg(did, admin_->error()));
  return true;
}

bool MosquittoBroker::removeDevice(const QString& did) {
  if (!admin_) return fail(QStringLiteral("removeDevice: broker not running"));
  const milliseconds timeout(options_.commandTimeoutMs);
  // deleteClient also disconnects a connected session of that user.
  if (!admin_->execute({command("deleteClient", {{QStringLiteral("username"), did}})}, timeout))
    return fail(QStringLiteral("removeDevice %1: %2").arg(did, admin_->error()));
  admin_->executeIgnoringErrors({command("deleteRole", {{QStringLiteral("rolename"), deviceRole(did)}})},
                                timeout);
  return true;
}

bool MosquittoBroker::isRunning() const {
  return process_ != nullptr && process_->state() == QProcess::Running;
}

qint64 MosquittoBroker::pid() const {
  return process_ != nullptr ? process_->processId() : 0;
}

void MosquittoBroker::onFinished(int exitCode, QProcess::ExitStatus status) {
  if (stopping_) return;
  qWarning("mosquitto (port %u) died: exit code %d, %s", port_, exitCode,
           status == QProcess::CrashExit ? "crashed" : "exited");
  admin_.reset();
  emit crashed(exitCode, status);
  if (!options_.restartOnCrash) return;
  if (restarts_ >= options_.maxRestarts) {
    fail(QStringLiteral("mosquitto died %1 times; giving up").arg(restarts_ + 1));
    emit failed(lastError_);
    return;
  }
  ++restarts_;
  // Same port (the gate and clients point there) and same dynamic-security.json (the plugin saved every
  // account), so devices log in again as before.
  if (launch() && connectAdmin()) {
    emit restarted();
  } else {
    killProcess();
    emit failed(lastError_);
  }
}

void MosquittoBroker::stop() {
  const bool wasRunning = process_ != nullptr;
  stopping_ = true;
  admin_.reset();
  killProcess();
  if (wasRunning) emit stopped();
}

void MosquittoBroker::killProcess() {
  if (process_ == nullptr) return;
  QProcess* process = process_;
  process_ = nullptr;
  disconnect(process, nullptr, this, nullptr);
  if (process->state() != QProcess::NotRunning) {
    process->terminate();  // SIGTERM: mosquitto closes its clients and exits
    if (!process->waitForFinished(options_.stopTimeoutMs)) {
      process->kill();
      process->waitForFinished(-1);
    }
  }
  // Deleted later: we may be inside one of its own signals (finished -> onFinished -> launch).
  process->deleteLater();
}

}  // namespace gizrig::cloud
