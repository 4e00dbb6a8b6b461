#include "lab_command.h"

#include <signal.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QTextStream>
#include <QThread>

#include "cli_io.h"
#include "exit_codes.h"
#include "gagent/air/air_client.h"
#include "gizrig/cloud/quit_on_signal.h"
#include "gizrig/lab/lab_service.h"
#include "gizrig/lab/lab_state.h"
#include "gizrig/lab/lab_station.h"

namespace gizrig::cli {

namespace {

constexpr int kUpTimeoutMs = 90000;
constexpr int kDownTimeoutMs = 20000;

void printState(const lab::LabState& s) {
  out() << "lab " << s.runDir << " (pid " << s.pid << ")\n"
        << "  cloud API   http://127.0.0.1:" << s.apiPort << "  (control: /lab/...)\n"
        << "  M2M gate    127.0.0.1:" << s.m2mPort << "  -> mosquitto 127.0.0.1:" << s.mosquittoPort
        << " (pid " << s.mosquittoPid << ")\n"
        << "  virtual air 127.0.0.1:" << s.airPort << " (pid " << s.airPid << ")\n"
        << "  broadcast   " << s.broadcast << ":2415\n";
  for (const lab::ModuleEntry& m : s.modules) {
    out() << "  module " << m.index << "    " << m.ip << "  mac " << m.mac << "  uart " << m.pty << "  (pid "
          << m.pid << (m.restarts > 0 ? QStringLiteral(", %1 restarts").arg(m.restarts) : QString()) << ")\n";
  }
  out().flush();
}

struct LabArguments {
  QString dir;
  lab::LabOptions options;
  bool json = false;
  QString stationOut;
  QString product;
};

// --station-out: the lab as a station file; false (message printed) when it cannot be written.
bool writeStationOut(const LabArguments& args, const lab::LabState& state) {
  if (args.stationOut.isEmpty()) return true;
  QString error;
  if (!lab::writeLabStation(state, args.product, args.stationOut, &error)) {
    err() << "gizrig lab: station file: " << error << "\n";
    return false;
  }
  out() << "  station     " << QFileInfo(args.stationOut).absoluteFilePath() << "\n";
  out().flush();
  return true;
}

// Options shared by the subcommands; false (message printed) on a usage error.
bool parse(const QStringList& arguments, const QString& sub, LabArguments& parsed, bool& helpShown) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "The virtual lab: the stand-in cloud (HTTP API, M2M gate, mosquitto), the virtual air and N virtual "
      "modules on loopback.\n  up      start it in the background and print where everything listens\n"
      "  status  print the running lab\n  down    stop it and everything it started\n"
      "  serve   run it in the foreground (what 'up' starts)\n"
      "  air     send one control request to the virtual air, e.g. 'air AP-POWER HomeNet off' (see "
      "docs/virtual-lab.md)");
  addHelp(parser);
  parser.addPositionalArgument("command", "up | down | status | serve | air");
  parser.addOption(
      {"dir", "Run directory (default " + lab::defaultRunDir() + ").", "path", lab::defaultRunDir()});
  parser.addOption({"modules", "Virtual modules to start (up/serve).", "n", "0"});
  parser.addOption({"production", "Test routers GIZWITS_TEST_1/2 in the air (S5.1)."});
  parser.addOption(
      {"ap", "An access point SSID:PASSWORD[:SIGNAL] (repeatable; default HomeNet:password1:72).", "ap"});
  parser.addOption({"fresh", "Factory-new modules: wipe their flash files first."});
  parser.addOption(
      {"boot",
       "Where the modules start: app (default) or rom, their ROM serial loader (gagent-sim --boot "
       "rom), waiting for gizrig flash or a station's flash step (docs/flashing.md).",
       "app|rom", "app"});
  parser.addOption(
      {"first-address", "Module i gets 127.0.0.(N+i-1) (default: the first free block from .11).", "n", "0"});
  parser.addOption({"json", "Machine-readable output (status)."});
  parser.addOption({"station-out",
                    "up/status: also write a station file for the lab's modules (their ptys and "
                    "addresses, the air as router control, the lab's cloud), for "
                    "gizrig production/run --station.",
                    "file"});
  parser.addOption({"product", "The product of the --station-out file (fixtures path).", "path",
                    "products/gokit-demo.json"});
  if (!parser.parse(arguments)) {
    err() << "gizrig lab: " << parser.errorText() << "\n";
    return false;
  }
  if (parser.isSet("help") || sub.isEmpty()) {  // asked for: stdout, exit 0; no subcommand: stderr, exit 2
    const bool asked = parser.isSet("help");
    (asked ? out() : err()) << helpText(parser, "gizrig lab");
    helpShown = true;
    return asked;
  }
  bool ok = true;
  parsed.dir = QDir(parser.value("dir")).absolutePath();
  parsed.options.runDir = parsed.dir;
  parsed.options.modules = parser.value("modules").toInt(&ok);
  if (!ok || parsed.options.modules < 0 || parsed.options.modules > 64) {
    err() << "gizrig lab: --modules wants a number from 0 to 64\n";
    return false;
  }
  parsed.options.firstAddress = parser.value("first-address").toInt(&ok);
  if (!ok ||
      (parsed.options.firstAddress != 0 &&
       (parsed.options.firstAddress < 2 || parsed.options.firstAddress + parsed.options.modules > 255))) {
    err() << "gizrig lab: --first-address must leave room for the modules in 127.0.0.2-254\n";
    return false;
  }
  parsed.options.production = parser.isSet("production");
  parsed.options.freshModules = parser.isSet("fresh");
  if (parser.value("boot") != QLatin1String("app") && parser.value("boot") != QLatin1String("rom")) {
    err() << "gizrig lab: --boot is app or rom, not '" << parser.value("boot") << "'\n";
    return false;
  }
  parsed.options.bootRom = parser.value("boot") == QLatin1String("rom");
  if (parser.isSet("ap")) parsed.options.accessPoints = parser.values("ap");
  parsed.json = parser.isSet("json");
  parsed.stationOut = parser.value("station-out");
  parsed.product = parser.value("product");
  return true;
}

int serve(const LabArguments& args) {
  if (!cloud::quitOnTerminationSignals()) {
    err() << "gizrig lab serve: cannot install signal handlers\n";
    return kRigOrUsageError;
  }
  lab::LabService service(args.options);
  QObject::connect(&service, &lab::LabService::logLine, [](const QString& line) { err() << line << "\n"; });
  QString error;
  if (!service.start(&error)) {
    err() << "gizrig lab: " << error << "\n";
    return kRigOrUsageError;
  }
  printState(service.state());
  QCoreApplication::exec();  // until SIGTERM / SIGINT
  service.stop();
  return kAllPassed;
}

int up(const LabArguments& args, const QStringList& forwarded) {
  QString error;
  if (const auto running = lab::readLabState(args.dir, &error); running && running->running()) {
    err() << "gizrig lab: a lab is already running in " << args.dir << " (pid " << running->pid
          << "); 'gizrig lab down' first\n";
    return kRigOrUsageError;
  }
  QFile::remove(lab::labStatePath(args.dir));
  if (!QDir().mkpath(args.dir)) {
    err() << "gizrig lab: cannot create " << args.dir << "\n";
    return kRigOrUsageError;
  }
  QProcess daemon;
  QStringList serveArgs = forwarded;
  serveArgs[serveArgs.indexOf(QStringLiteral("up"))] = QStringLiteral("serve");
  daemon.setProgram(QCoreApplication::applicationFilePath());
  daemon.setArguments(QStringList{QStringLiteral("lab")} + serveArgs);
  daemon.setStandardOutputFile(QDir(args.dir).filePath("lab.log"));
  daemon.setStandardErrorFile(QDir(args.dir).filePath("lab.log"), QIODevice::Append);
  qint64 pid = 0;
  if (!daemon.startDetached(&pid)) {
    err() << "gizrig lab: cannot start the lab process: " << daemon.errorString() << "\n";
    return kRigOrUsageError;
  }
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < kUpTimeoutMs) {
    if (const auto state = lab::readLabState(args.dir, nullptr); state && state->ready) {
      printState(*state);
      return writeStationOut(args, *state) ? kAllPassed : kRigOrUsageError;
    }
    if (!lab::processAlive(pid)) break;
    QThread::msleep(100);  // a CLI waiting for another process: real time is the point here
  }
  err() << "gizrig lab: the lab did not come up; see " << QDir(args.dir).filePath("lab.log") << "\n";
  if (lab::processAlive(pid)) ::kill(static_cast<pid_t>(pid), SIGTERM);
  return kRigOrUsageError;
}

int status(const LabArguments& args) {
  QString error;
  const auto state = lab::readLabState(args.dir, &error);
  if (!state || !state->running()) {
    err() << "gizrig lab: no lab running in " << args.dir << "\n";
    return kRigOrUsageError;
  }
  if (args.json) {
    out() << QJsonDocument(state->toJson()).toJson();
  } else {
    printState(*state);
  }
  return writeStationOut(args, *state) ? kAllPassed : kRigOrUsageError;
}

int down(const LabArguments& args) {
  QString error;
  const auto state = lab::readLabState(args.dir, &error);
  if (!state) {
    out() << "gizrig lab: nothing running in " << args.dir << "\n";
    return kAllPassed;
  }
  // Only processes that are still the ones the lab started are signalled: after a crash their PIDs may
  // belong to other programs by now (lab_process.h).
  lab::signalIfSame(state->daemon(), SIGTERM);
  QElapsedTimer timer;
  timer.start();
  while (lab::isSameProcess(state->daemon()) && timer.elapsed() < kDownTimeoutMs) QThread::msleep(100);
  // Whatever is still there after the grace period goes the hard way: the lab leaves nothing behind.
  int killed = 0;
  int notOurs = 0;
  for (const lab::ProcessRef& process : state->processes()) {
    const lab::SignalResult result = lab::signalIfSame(process, SIGKILL);
    killed += result == lab::SignalResult::Sent ? 1 : 0;
    notOurs += result == lab::SignalResult::NotOurs ? 1 : 0;
  }
  QFile::remove(lab::labStatePath(args.dir));
  out() << "lab in " << args.dir << " stopped"
        << (killed > 0 ? QStringLiteral(" (%1 killed)").arg(killed) : "")
        << (notOurs > 0 ? QStringLiteral(" (%1 stale PIDs of other processes left alone)").arg(notOurs) : "")
        << "\n";
  return kAllPassed;
}

// gizrig lab air <request...>: one line of the air's control protocol (docs/virtual-lab.md) to the running
// lab's virtual air, e.g. `gizrig lab air AP-POWER GIZWITS_TEST_1 off`; prints the reply. Exit 0 on OK, 2
// otherwise. The words after "air" that are not options of ours.
QStringList parsedWords(const QStringList& arguments) {
  QStringList words;
  bool skipValue = false;
  for (int i = 2; i < arguments.size(); ++i) {
    if (skipValue) {
      skipValue = false;
      continue;
    }
    if (arguments[i] == "--dir") {
      skipValue = true;
      continue;
    }
    if (arguments[i].startsWith("--dir=")) continue;
    words << arguments[i];
  }
  return words;
}

int air(const LabArguments& args, const QStringList& words) {
  QString error;
  const auto state = lab::readLabState(args.dir, &error);
  if (!state || !state->running()) {
    err() << "gizrig lab: no lab running in " << args.dir << "\n";
    return kRigOrUsageError;
  }
  if (words.isEmpty()) {
    err() << "gizrig lab air: give a request, e.g. APS or AP-POWER <ssid> on|off\n";
    return kRigOrUsageError;
  }
  gagent::air::AirClient client;
  using namespace std::chrono_literals;
  if (!client.connect("127.0.0.1", state->airPort, 2000ms)) {
    err() << "gizrig lab air: " << QString::fromStdString(client.lastError()) << "\n";
    return kRigOrUsageError;
  }
  const auto reply = client.request(words.join(' ').toStdString(), 5000ms);
  if (!reply) {
    err() << "gizrig lab air: " << QString::fromStdString(client.lastError()) << "\n";
    return kRigOrUsageError;
  }
  out() << QString::fromStdString(*reply) << "\n";
  return reply->rfind("OK", 0) == 0 ? kAllPassed : kRigOrUsageError;
}

}  // namespace

int runLab(const QStringList& arguments) {
  const QString sub = arguments.size() > 1 ? arguments[1] : QString();
  LabArguments args;
  bool helpShown = false;
  if (!parse(arguments, sub.startsWith('-') ? QString() : sub, args, helpShown)) return kRigOrUsageError;
  if (helpShown) return kAllPassed;
  if (sub == "serve") return serve(args);
  if (sub == "up") return up(args, arguments.mid(1));
  if (sub == "status") return status(args);
  if (sub == "down") return down(args);
  if (sub == "air") return air(args, parsedWords(arguments));
  err() << "gizrig lab: unknown subcommand '" << sub << "' (up, down, status, serve)\n";
  return kRigOrUsageError;
}

}  // namespace gizrig::cli
