#include "production_command.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <memory>

#include "cli_io.h"
#include "exit_codes.h"
#include "gizrig/lab/lab_cpu.h"
#include "gizrig/lab/lab_service.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/production/slot_trace.h"
#include "gizrig/production/station_slots.h"
#include "gizrig/records/record_outputs.h"
#include "gizrig/records/records_location.h"
#include "gizrig/records/sql_record_store.h"
#include "gizrig/virtual/virtual_world.h"
#include "interrupt_watch.h"
#include "run_outputs.h"

namespace gizrig::cli {

namespace {

using namespace gizrig::core;

constexpr RigMillis kVirtualRunLimit = 30LL * 60 * 1000;  // virtual minutes a slot may take
constexpr int kRealRunGuardMs = 10 * 60 * 1000;           // a wall-clock safety net for a broken rig

struct ProductionArguments {
  QString stationFile;
  QString fixturesDir;
  int slotCount = 0;
  enum class Mode { Real, Sim, Virtual } mode = Mode::Real;
  QString db;
  QString junit;
  QString json;
  QString operatorName;
  QStringList serials;
  QString labDir;
  QString traceDir;  // "" = no wire traces
  bool quiet = false;
  bool paced = false;  // --sim: the modules' serial lines paced at 9600 baud
};

QString fixturePath(const ProductionArguments& args, const QString& relative) {
  return QDir::isAbsolutePath(relative) ? relative : QDir(args.fixturesDir).filePath(relative);
}

// Progress lines: one per finished step, then the verdict table.
void connectProgress(ProductionStation& station, const QStringList& slotNames, bool quiet) {
  if (quiet) return;
  QObject::connect(&station, &ProductionStation::stepFinished, [slotNames](int slot, const StepRecord& step) {
    out() << QStringLiteral("[slot %1] %2 %3 (%4 ms)%5\n")
                 .arg(slotNames.value(slot), step.name.leftJustified(20), outcomeName(step.outcome))
                 .arg(step.durationMs)
                 .arg(step.message.isEmpty() ? QString() : " - " + step.message);
    out().flush();
  });
}

// The measured values an operator reads (signal level, join time, control round trip), "-" when the run
// did not get that far.
QString measuredValues(const RunRecord& run) {
  QStringList parts;
  for (const char* name : {"signal_level", "join_time", "control_round_trip"}) {
    QString value = QStringLiteral("-");
    for (const StepRecord& step : run.steps) {
      for (const Measurement& m : step.measurements) {
        if (m.name == QLatin1String(name)) value = measurementValueText(m);
      }
    }
    parts << QStringLiteral("%1 %2").arg(QLatin1String(name), value);
  }
  return parts.join(", ");
}

void printVerdicts(const std::vector<RunRecord>& runs) {
  out() << "\n"
        << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
               .arg("slot", -6)
               .arg("serial", -12)
               .arg("MAC", -14)
               .arg("verdict", -8)
               .arg("time", -8)
               .arg("measured / failing step, reason");
  for (const RunRecord& run : runs) {
    const qint64 duration = run.finishedMs ? *run.finishedMs - run.startedMs : 0;
    QString detail =
        run.failingStep.isEmpty() ? measuredValues(run) : run.failingStep + ": " + run.failingMessage;
    if (!run.duplicate.isEmpty()) detail += " [duplicate: " + run.duplicate + "]";
    out() << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                 .arg(run.slot, -6)
                 .arg(run.dut.serial.isEmpty() ? "-" : run.dut.serial, -12)
                 .arg(run.dut.mac.isEmpty() ? "-" : run.dut.mac, -14)
                 .arg(run.outcome ? outcomeName(*run.outcome) : "ERROR", -8)
                 .arg(QStringLiteral("%1 s").arg(static_cast<double>(duration) / 1000.0, 0, 'f', 1), -8)
                 .arg(detail);
  }
  out().flush();
}

// One line to end on: "4/4 PASS in 3.1 s, records: PATH" (FAIL, ERROR and ABORTED counted apart when
// there are any). The time is the command's own, on the wall clock.
void printSummaryLine(const std::vector<RunRecord>& runs, qint64 elapsedMs, const QString& records) {
  int passed = 0, failed = 0, errors = 0, aborted = 0;
  for (const RunRecord& run : runs) {
    switch (run.outcome.value_or(Outcome::Error)) {
      case Outcome::Pass:
        ++passed;
        break;
      case Outcome::Fail:
        ++failed;
        break;
      case Outcome::Error:
      case Outcome::Skipped:  // production never skips; counted with the errors should it ever
        ++errors;
        break;
      case Outcome::Aborted:
        ++aborted;
        break;
    }
  }
  QString line = QStringLiteral("%1/%2 PASS").arg(passed).arg(runs.size());
  if (failed > 0) line += QStringLiteral(", %1 FAIL").arg(failed);
  if (errors > 0) line += QStringLiteral(", %1 ERROR").arg(errors);
  if (aborted > 0) line += QStringLiteral(", %1 ABORTED").arg(aborted);
  out() << line
        << QStringLiteral(" in %1 s, records: %2\n")
               .arg(static_cast<double>(elapsedMs) / 1000.0, 0, 'f', 1)
               .arg(records);
  out().flush();
}

int exitCodeFor(const std::vector<RunRecord>& runs) {
  bool failed = false;
  for (const RunRecord& run : runs) {
    if (!run.outcome || *run.outcome == Outcome::Error || *run.outcome == Outcome::Aborted)
      return kRigOrUsageError;
    failed = failed || *run.outcome == Outcome::Fail;
  }
  return failed ? kDutFailed : kAllPassed;
}

// Runs the event loop until the station is done (real time: the lab or real hardware) or a signal came.
void waitForStation(ProductionStation& station, InterruptWatch& interrupt) {
  if (station.finished() || interrupt.interrupted()) return;
  QEventLoop loop;
  QObject::connect(&station, &ProductionStation::allFinished, &loop, &QEventLoop::quit);
  QObject::connect(&interrupt, &InterruptWatch::fired, &loop, &QEventLoop::quit);
  QTimer::singleShot(kRealRunGuardMs, &loop, &QEventLoop::quit);
  loop.exec();
}

// After Ctrl-C / SIGTERM: every open run of the station ends as ABORTED (recorded), and the line says so.
void abortOpenRuns(ProductionStation& station, const InterruptWatch& interrupt) {
  if (!interrupt.interrupted()) return;
  const int aborted = station.abortAll(QStringLiteral("interrupted (%1)").arg(interrupt.signalName()));
  err() << "gizrig production: interrupted (" << interrupt.signalName() << "): " << aborted
        << " open run(s) recorded as ABORTED\n";
  err().flush();
}

std::shared_ptr<const gagent::proto::Product> loadProduct(const QString& path) {
  QString error;
  auto product = McuPlug::loadProductFile(path, error);
  if (!product) {
    err() << "gizrig production: " << error << "\n";
    return nullptr;
  }
  return std::make_shared<const gagent::proto::Product>(std::move(*product));
}

bool recordsFailed = false;

int runRealTime(const ProductionArguments& args, const StationConfig& config, RecordStore* store,
                std::vector<RunRecord>& runs, InterruptWatch& interrupt) {
  RealClock clock;
  const auto product = loadProduct(fixturePath(args, config.product));
  if (!product) return kRigOrUsageError;

  QList<SlotConfig> slotConfigs = config.slotConfigs;
  std::unique_ptr<lab::LabService> lab;
  std::unique_ptr<QTemporaryDir> tempDir;
  StationSlots plugs(clock, product);
  QElapsedTimer labStartUp;  // wall time, for the timing line (benchmark P3 reads it): not a rig wait
  labStartUp.start();
  if (args.mode == ProductionArguments::Mode::Sim) {
    // A production lab of our own: test routers in the air, factory-new virtual modules (S5).
    lab::LabOptions options;
    if (args.labDir.isEmpty()) {
      tempDir = std::make_unique<QTemporaryDir>(QDir::temp().filePath("gizrig-XXXXXX"));
      options.runDir = tempDir->path();
    } else {
      options.runDir = args.labDir;
    }
    options.modules = args.slotCount;
    options.production = true;
    options.accessPoints.clear();
    options.freshModules = true;
    // A station with a flash step gets modules waiting in their ROM loader, as a line's come from the reel.
    options.bootRom = config.flash.has_value();
    options.pacedUart = args.paced;
    lab = std::make_unique<lab::LabService>(options);
    QString error;
    if (!args.quiet) out() << "starting a virtual production lab with " << args.slotCount << " modules...\n";
    out().flush();
    if (!lab->start(&error)) {
      err() << "gizrig production: the lab did not start: " << error << "\n";
      return kRigOrUsageError;
    }
    if (interrupt.interrupted()) {  // a signal while the lab came up: nothing was started yet
      lab->stop();
      err() << "gizrig production: interrupted (" << interrupt.signalName() << ") before any run\n";
      return kRigOrUsageError;
    }
    slotConfigs.clear();
    for (const lab::ModuleEntry& m : lab->state().modules) {
      slotConfigs << SlotConfig{QString::number(m.index), m.pty, QHostAddress(m.ip), 9600, {}};
    }
    plugs.useAirRouters(lab->state().airPort);
  } else {
    if (args.slotCount > 0 && args.slotCount < slotConfigs.size())
      slotConfigs = slotConfigs.mid(0, args.slotCount);
    plugs.useStationRouters(config.routers);  // none: the line keeps its test routers on by itself
  }
  if (slotConfigs.isEmpty()) {
    err() << "gizrig production: no slots (the station file lists none; use --sim for virtual modules)\n";
    return kRigOrUsageError;
  }
  if (!args.serials.isEmpty() && args.serials.size() != slotConfigs.size()) {
    err() << "gizrig production: --serial names " << args.serials.size() << " serial number(s) for "
          << slotConfigs.size() << " slot(s): give one per slot\n";
    if (lab) lab->stop();
    return kRigOrUsageError;
  }

  StationConfig station = config;
  ProductionStation runner(clock, station, store, RunMode::Real);
  runner.setTraceDirectory(args.traceDir);
  QStringList names;
  for (const SlotConfig& s : slotConfigs) names << s.name;
  connectProgress(runner, names, args.quiet);
  QString openError;
  if (!plugs.open(slotConfigs, &openError)) {
    // Those slots end in ERROR with the reason; the others are tested.
    err() << "gizrig production: " << openError << "\n";
  }
  const qint64 startUpMs = labStartUp.elapsed();
  // P3's accounting: the CPU the rig and the lab's processes used in the test phase, against what the
  // machine's cores could give in that wall time (a lab of our own only; a real line's modules are not ours).
  const std::optional<lab::LabCpu> cpuAtStart =
      lab ? std::optional(lab::sampleLabCpu(lab->state())) : std::nullopt;
  QElapsedTimer testPhase;
  testPhase.start();
  for (int i = 0; i < plugs.size(); ++i)
    runner.startSlot(plugs.productionSlot(i, args.serials.value(i)), plugs.lanTap(i));
  if (!args.quiet) {
    out() << "testing " << plugs.size() << " slot(s): " << names.join(", ") << " (Ctrl-C aborts)\n";
    out().flush();
  }
  waitForStation(runner, interrupt);
  const double testSeconds = static_cast<double>(testPhase.elapsed()) / 1000.0;
  const std::optional<lab::LabCpu> cpuUsed =
      cpuAtStart ? std::optional(lab::sampleLabCpu(lab->state()) - *cpuAtStart) : std::nullopt;
  abortOpenRuns(runner, interrupt);
  // On stderr, so the verdict table stays the only thing --quiet prints.
  err() << QStringLiteral("timing: start-up %1 s, test phase %2 s (%3 slots)\n")
               .arg(static_cast<double>(startUpMs) / 1000.0, 0, 'f', 2)
               .arg(testSeconds, 0, 'f', 3)
               .arg(plugs.size());
  if (cpuUsed) {
    err() << "timing: cpu in the test phase: "
          << lab::describeCpu(*cpuUsed, QThread::idealThreadCount(), testSeconds) << "\n";
  }
  runs = runner.runs();
  if (!runner.storeError().isEmpty()) {
    // A result that could not be recorded is a rig failure: the line must not ship on an unrecorded PASS.
    err() << "gizrig production: records: " << runner.storeError() << "\n";
    recordsFailed = true;
  }
  plugs.close();
  if (lab) lab->stop();
  return kAllPassed;
}

int runVirtualTime(const ProductionArguments& args, const StationConfig& config, RecordStore* store,
                   std::vector<RunRecord>& runs, InterruptWatch& interrupt) {
  // One virtual world per slot, each on its own virtual clock: run one after the other (milliseconds each).
  StationConfig station = config;
  for (int i = 0; i < args.slotCount && !interrupt.interrupted(); ++i) {
    VirtualWorldOptions options;
    options.productFile = fixturePath(args, config.product);
    options.testRouters = true;
    options.homeRouter = false;
    options.seed = static_cast<std::uint64_t>(1000 + i);
    options.mac = virtualModuleMac(i);  // each slot is another unit
    QString error;
    auto world = VirtualWorld::create(options, error);
    if (!world) {
      err() << "gizrig production: " << error << "\n";
      return kRigOrUsageError;
    }
    station.broadcast = VirtualWorld::homeLanBroadcast().toString();
    AppPlug app(world->clock(), world->lanLinks());
    app.setProduct(world->sharedProduct());
    ProductionStation runner(world->clock(), station, store, RunMode::Virtual);
    connectProgress(runner, {QString::number(i + 1)}, args.quiet);
    runner.startSlot(ProductionSlot{QString::number(i + 1),
                                    world->mcu(),
                                    &app,
                                    &world->router(),
                                    QHostAddress(),
                                    args.serials.value(i),
                                    {},
                                    {},
                                    nullptr});
    world->clock().runUntil([&] { return runner.finished() || interrupt.interrupted(); },
                            world->nowMs() + kVirtualRunLimit);
    abortOpenRuns(runner, interrupt);
    for (RunRecord& run : runner.runs()) runs.push_back(std::move(run));
    if (!runner.storeError().isEmpty()) {
      err() << "gizrig production: records: " << runner.storeError() << "\n";
      recordsFailed = true;
    }
  }
  return kAllPassed;
}

}  // namespace

int runProduction(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "The end-of-line production test (S5 and the usual checks) on every slot of a station at once: "
      "handshake, "
      "versions and MAC, production mode, test router, discovery, login, a control round trip, signal level, "
      "exit test. Exit 0 all passed, 1 a DUT failed, 2 rig or usage error.");
  addHelp(parser);
  parser.addOption({"station", "Station file (fixtures/stations/...).", "file",
                    QDir(GIZRIG_FIXTURES_DIR).filePath("stations/line-1.json")});
  parser.addOption(
      {"fixtures", "Fixtures directory (products are relative to it).", "dir", GIZRIG_FIXTURES_DIR});
  parser.addOption({"slots",
                    "How many slots to test (with --sim/--virtual: how many virtual modules, default 4; "
                    "else the station file's first n, default all).",
                    "n"});
  parser.addOption({"sim", "Test virtual modules in a real-time lab started for this run (gagent-sim)."});
  parser.addOption({"virtual", "Test the firmware core in-process in virtual time."});
  parser.addOption({"db",
                    "Records: sqlite path or postgresql://user@host:port/db (default: the station file's "
                    "\"database\", else " +
                        defaultRecordsPath() + ").",
                    "spec"});
  parser.addOption({"junit", "Also write JUnit XML here.", "file"});
  parser.addOption({"json", "Also write the run records as JSON here.", "file"});
  parser.addOption({"operator", "Operator id for the records.", "id"});
  parser.addOption({"serial", "Scanned serial numbers, one per slot (comma separated).", "list"});
  parser.addOption({"lab-dir", "Run directory of the --sim lab (default: a temporary one).", "dir"});
  parser.addOption({"quiet", "Only the verdict table."});
  parser.addOption({"paced",
                    "With --sim: each module's serial line takes its wire time at 9600 baud (gagent-sim "
                    "--pace on), as a real line does; without it a pty carries bytes at once."});
  parser.addOption(
      {"trace",
       "Write each run's wire trace (every serial frame and LAN packet, timestamped and named) to "
       "a file in this directory, created if missing; the run record names the file. Real time "
       "only.",
       "dir"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig production")) return *exit;
  ProductionArguments args;
  args.stationFile = parser.value("station");
  args.fixturesDir = parser.value("fixtures");
  if (parser.isSet("slots")) {
    bool ok = false;
    args.slotCount = parser.value("slots").toInt(&ok);
    if (!ok || args.slotCount < 1 || args.slotCount > 64) {
      err() << "gizrig production: --slots wants a number from 1 to 64\n";
      return kRigOrUsageError;
    }
  }
  if (parser.isSet("sim") && parser.isSet("virtual")) {
    err() << "gizrig production: --sim and --virtual exclude each other\n";
    return kRigOrUsageError;
  }
  args.mode = parser.isSet("sim")       ? ProductionArguments::Mode::Sim
              : parser.isSet("virtual") ? ProductionArguments::Mode::Virtual
                                        : ProductionArguments::Mode::Real;
  if (args.mode != ProductionArguments::Mode::Real && args.slotCount == 0) args.slotCount = 4;
  args.junit = parser.value("junit");
  args.json = parser.value("json");
  args.labDir = parser.value("lab-dir");
  args.quiet = parser.isSet("quiet");
  args.paced = parser.isSet("paced");
  if (args.paced && args.mode != ProductionArguments::Mode::Sim) {
    err() << "gizrig production: --paced is for --sim (it paces the lab modules' serial lines)\n";
    return kRigOrUsageError;
  }
  if (parser.isSet("trace")) {
    if (args.mode == ProductionArguments::Mode::Virtual) {
      err() << "gizrig production: --trace is for real-time runs (a station or --sim), not --virtual\n";
      return kRigOrUsageError;
    }
    args.traceDir = parser.value("trace");
    QString why;
    if (!SlotTrace::prepareDirectory(args.traceDir, &why)) {
      err() << "gizrig production: --trace: " << why << "\n";
      return kRigOrUsageError;
    }
  }
  if (parser.isSet("serial")) {
    args.serials = parser.value("serial").split(',');
    if (args.serials.contains(QString())) {
      err() << "gizrig production: --serial has an empty serial number (\"" << parser.value("serial")
            << "\")\n";
      return kRigOrUsageError;
    }
    // Virtual modules: the count is known now; a station's slots are counted once its file is read.
    if (args.mode != ProductionArguments::Mode::Real && args.serials.size() != args.slotCount) {
      err() << "gizrig production: --serial names " << args.serials.size() << " serial number(s) for "
            << args.slotCount << " slot(s): give one per slot\n";
      return kRigOrUsageError;
    }
  }
  if (parser.isSet("db") && parser.value("db").isEmpty()) {
    err() << "gizrig production: --db is empty (a sqlite path or postgresql://...)\n";
    return kRigOrUsageError;
  }

  QString error;
  auto config = StationConfig::load(args.stationFile, &error);
  if (!config) {
    err() << "gizrig production: " << error << "\n";
    return kRigOrUsageError;
  }
  if (config->flash && args.mode == ProductionArguments::Mode::Virtual) {
    err() << "gizrig production: " << args.stationFile
          << " has a flash step, and virtual time has no ROM serial loader: use --sim (virtual modules in "
             "their loader) or the station's own slots\n";
    return kRigOrUsageError;
  }
  if (parser.isSet("operator")) config->operatorName = parser.value("operator");
  args.db = parser.value("db");
  if (args.db.isEmpty()) args.db = config->database;
  if (args.db.isEmpty()) args.db = defaultRecordsPath();
  if (!prepareRecordsLocation(args.db, &error)) {
    err() << "gizrig production: records database: " << error << "\n";
    return kRigOrUsageError;
  }
  auto store = SqlRecordStore::open(args.db, &error);
  if (!store) {
    err() << "gizrig production: records database: " << error << "\n";
    return kRigOrUsageError;
  }

  InterruptWatch interrupt;  // from here on a signal finishes the open runs as ABORTED
  QElapsedTimer elapsed;
  elapsed.start();
  std::vector<RunRecord> runs;
  const int setup = args.mode == ProductionArguments::Mode::Virtual
                        ? runVirtualTime(args, *config, store.get(), runs, interrupt)
                        : runRealTime(args, *config, store.get(), runs, interrupt);
  if (setup != kAllPassed) return setup;
  printVerdicts(runs);
  printSummaryLine(runs, elapsed.elapsed(), args.db);
  if (!writeRunOutputs("production", args.junit, args.json, runs) || recordsFailed) return kRigOrUsageError;
  return exitCodeFor(runs);
}

}  // namespace gizrig::cli
