#include "run_command.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include "cli_io.h"
#include "exit_codes.h"
#include "gizrig/engine/scenario_loader.h"
#include "gizrig/files/capped_file.h"
#include "gizrig/lab/lab_scenario_host.h"
#include "gizrig/lab/station_scenario_host.h"
#include "gizrig/production/slot_trace.h"
#include "gizrig/production/station_config.h"
#include "gizrig/records/record_outputs.h"
#include "gizrig/records/records_location.h"
#include "gizrig/records/sql_record_store.h"
#include "gizrig/virtual/virtual_scenario_host.h"
#include "interrupt_watch.h"
#include "run_outputs.h"

namespace gizrig::cli {

namespace {

using namespace gizrig::core;

// "summary: P passed, S skipped, F failed, E errors" (", A aborted" after a Ctrl-C), and the exit code it
// means.
int printSummary(const std::vector<RunRecord>& runs) {
  int passed = 0, skipped = 0, failed = 0, errors = 0, aborted = 0;
  for (const RunRecord& run : runs) {
    switch (run.outcome.value_or(Outcome::Error)) {
      case Outcome::Pass:
        ++passed;
        break;
      case Outcome::Skipped:
        ++skipped;
        break;
      case Outcome::Fail:
        ++failed;
        break;
      case Outcome::Error:
        ++errors;
        break;
      case Outcome::Aborted:
        ++aborted;
        break;
    }
  }
  out() << QStringLiteral("summary: %1 passed, %2 skipped, %3 failed, %4 errors")
               .arg(passed)
               .arg(skipped)
               .arg(failed)
               .arg(errors)
        << (aborted > 0 ? QStringLiteral(", %1 aborted").arg(aborted) : QString()) << "\n";
  out().flush();
  return errors > 0 || aborted > 0 ? kRigOrUsageError : failed > 0 ? kDutFailed : kAllPassed;
}

bool isSuite(const QString& path) {
  // Unreadable, not a regular file or too large: the scenario loader says which.
  const auto bytes = readCappedFile(path, kMaxDescriptionFileBytes, nullptr);
  if (!bytes) return false;
  const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
  return (o.contains("scenarios") || o.contains("tags")) && !o.contains("steps");  // a suite lists or selects
}

}  // namespace

int runScenarios(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Runs a scenario or a suite (fixtures/scenarios, fixtures/suites) and prints PASS / FAIL / ERROR per "
      "scenario with its spec clauses. --sim runs them in real time against gagent-sim; --station runs them "
      "in "
      "real time on a station's modules (a real line, or the lab's station file); --virtual runs the "
      "firmware "
      "core in-process in virtual time (hours of spec timers in seconds). What a station cannot provide is "
      "SKIPPED with the reason. Ends with 'summary: P passed, S skipped, F failed, E errors'; exit 0 when "
      "nothing failed or errored, 1 on a FAIL, 2 on an ERROR or a usage error.");
  addHelp(parser);
  parser.addPositionalArgument("file", "A scenario or suite JSON file.");
  parser.addOption({"virtual", "Run against the firmware core in-process in virtual time (the default)."});
  parser.addOption({"sim",
                    "Run in real time against a virtual module (gagent-sim) in a lab of its own per "
                    "scenario: the same files on the real clock (long spec timers take their real time)."});
  parser.addOption(
      {"station", "Run in real time on the modules of this station file (docs/real-station.md).", "file"});
  parser.addOption(
      {"slot", "With --station: only this slot (default: every slot, one after the other).", "name"});
  parser.addOption({"fixtures", "Fixtures directory.", "dir", GIZRIG_FIXTURES_DIR});
  parser.addOption(
      {"db", "Record the runs here (sqlite path or postgresql://...; default " + defaultRecordsPath() + ").",
       "spec", defaultRecordsPath()});
  parser.addOption(
      {"trace",
       "With --station: write each run's wire trace (every serial frame and LAN packet, timestamped "
       "and named) to a file in this directory, created if missing; the run record names the file.",
       "dir"});
  parser.addOption({"junit", "Write JUnit XML here.", "file"});
  parser.addOption({"json", "Write the run records as JSON here.", "file"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig run")) return *exit;
  if (parser.positionalArguments().size() != 1) {
    err() << "gizrig run: give one scenario or suite file\n";
    return kRigOrUsageError;
  }
  const QString path = parser.positionalArguments().front();
  const ActionRegistry actions = standardActions();
  const ScenarioLoader loader(actions, parser.value("fixtures"));  // products resolve as the hosts do
  QString error;
  QStringList files;
  if (isSuite(path)) {
    const auto suite = loader.loadSuiteFile(path, error);
    if (!suite) {
      err() << "gizrig run: " << error << "\n";
      return kRigOrUsageError;
    }
    files = suite->scenarioFiles;
  } else {
    files << path;
  }
  if (parser.value("db").isEmpty()) {
    err() << "gizrig run: --db is empty (a sqlite path or postgresql://...)\n";
    return kRigOrUsageError;
  }
  if (!prepareRecordsLocation(parser.value("db"), &error)) {
    err() << "gizrig run: records: " << error << "\n";
    return kRigOrUsageError;
  }
  auto store = SqlRecordStore::open(parser.value("db"), &error);
  if (!store) {
    err() << "gizrig run: records: " << error << "\n";
    return kRigOrUsageError;
  }
  if (int(parser.isSet("sim")) + int(parser.isSet("virtual")) + int(parser.isSet("station")) > 1) {
    err() << "gizrig run: --sim, --virtual and --station exclude each other\n";
    return kRigOrUsageError;
  }
  if (parser.isSet("trace") && !parser.isSet("station")) {
    err() << "gizrig run: --trace needs --station (the wire of a real-time station run)\n";
    return kRigOrUsageError;
  }
  if (parser.isSet("trace") && !core::SlotTrace::prepareDirectory(parser.value("trace"), &error)) {
    err() << "gizrig run: --trace: " << error << "\n";
    return kRigOrUsageError;
  }
  if (parser.isSet("slot") && !parser.isSet("station")) {
    err() << "gizrig run: --slot needs --station\n";
    return kRigOrUsageError;
  }
  std::optional<StationConfig> station;
  QList<SlotConfig> stationSlots;
  if (parser.isSet("station")) {
    station = StationConfig::load(parser.value("station"), &error);
    if (!station) {
      err() << "gizrig run: " << error << "\n";
      return kRigOrUsageError;
    }
    stationSlots = station->slotConfigs;
    if (parser.isSet("slot")) {
      const SlotConfig* slot = station->slot(parser.value("slot"));
      if (slot == nullptr) {
        err() << "gizrig run: " << parser.value("station") << " has no slot \"" << parser.value("slot")
              << "\"\n";
        return kRigOrUsageError;
      }
      stationSlots = {*slot};
    }
    if (stationSlots.isEmpty()) {
      err() << "gizrig run: " << parser.value("station") << " lists no slots\n";
      return kRigOrUsageError;
    }
  }
  const bool realTime = parser.isSet("sim");
  InterruptWatch interrupt;  // Ctrl-C / SIGTERM: the scenario in progress ends as ABORTED, no more start
  const auto interrupted = [&interrupt] { return interrupt.interrupted(); };
  VirtualRunOptions options;
  options.cancelled = interrupted;
  options.fixturesDir = parser.value("fixtures");
  options.store = store.get();
  lab::LabRunOptions labOptions;
  labOptions.fixturesDir = options.fixturesDir;
  labOptions.store = store.get();
  labOptions.cancelled = interrupted;
  lab::StationRunOptions stationOptions;
  stationOptions.fixturesDir = options.fixturesDir;
  stationOptions.store = store.get();
  stationOptions.cancelled = interrupted;
  stationOptions.traceDirectory = parser.value("trace");
  // Every file loads before anything runs: a broken scenario is a usage error, not a verdict on a DUT.
  std::vector<Scenario> scenarios;
  for (const QString& file : files) {
    auto scenario = loader.loadFile(file, error);
    if (!scenario) {
      err() << "gizrig run: " << error << "\n";
      return kRigOrUsageError;
    }
    scenarios.push_back(std::move(*scenario));
  }
  std::vector<RunRecord> runs;
  const auto report = [&](const Scenario& scenario, RunRecord run, const QString& where) {
    if (interrupt.interrupted() && (run.failingMessage == QLatin1String("cancelled") ||
                                    run.failingMessage == QLatin1String("aborted: cancelled"))) {
      // The host ended it as "cancelled": it is ABORTED, in the records too.
      abortRun(run, QDateTime::currentMSecsSinceEpoch(),
               QStringLiteral("interrupted (%1)").arg(interrupt.signalName()));
      if (!store->finishRun(run) && !store->saveRun(run))
        err() << "gizrig run: records: " << store->lastError() << "\n";
    }
    const Outcome outcome = run.outcome.value_or(Outcome::Error);
    out() << QStringLiteral("%1 %2%3 [%4]%5\n")
                 .arg(outcomeName(outcome), -7)
                 .arg(scenario.name, where.isEmpty() ? QString() : " @" + where, scenario.clauses.join(' '))
                 .arg(outcome == Outcome::Pass ? QString()
                                               : "\n      " + run.failingStep + ": " + run.failingMessage);
    out().flush();
    runs.push_back(std::move(run));
  };
  for (const Scenario& scenario : scenarios) {
    if (interrupt.interrupted()) break;
    if (station) {
      for (const SlotConfig& slot : stationSlots) {
        if (interrupt.interrupted()) break;
        report(scenario, lab::runScenarioOnStation(scenario, actions, *station, slot, stationOptions),
               stationSlots.size() > 1 ? slot.name : QString());
      }
    } else {
      report(scenario,
             realTime ? lab::runScenarioInLab(scenario, actions, labOptions)
                      : runScenarioVirtual(scenario, actions, options),
             {});
    }
  }
  if (interrupt.interrupted()) {
    err() << "gizrig run: interrupted (" << interrupt.signalName()
          << "): the scenario in progress is recorded as ABORTED, the rest not run\n";
  }
  if (!writeRunOutputs("run", parser.value("junit"), parser.value("json"), runs)) return kRigOrUsageError;
  out() << "records: " << parser.value("db") << "\n";
  return printSummary(runs);
}

int runReport(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "The human report of the records: yield per station, the last runs and their "
      "failing steps, as one self-contained HTML page.");
  addHelp(parser);
  parser.addOption({"db", "Records (sqlite path or postgresql://...; default " + defaultRecordsPath() + ").",
                    "spec", defaultRecordsPath()});
  parser.addOption({"out", "HTML file to write (default: stdout).", "file"});
  parser.addOption({"station", "Only this station.", "id"});
  parser.addOption({"last", "How many recent runs to list.", "n", "200"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig report")) return *exit;
  QString error;
  // A report reads: a database that is not there is an error, never an empty one made on the spot.
  if (!recordsExist(parser.value("db"), &error)) {
    err() << "gizrig report: " << error << "\n";
    return kRigOrUsageError;
  }
  auto store = SqlRecordStore::open(parser.value("db"), &error);
  if (!store) {
    err() << "gizrig report: " << error << "\n";
    return kRigOrUsageError;
  }
  RunQuery query;
  query.station = parser.value("station");
  query.limit = parser.value("last").toInt();
  std::vector<RunRecord> runs;
  for (const RunRecord& header : store->runs(query)) {
    auto full = store->run(header.id);
    runs.push_back(full ? *full : header);
  }
  const QString html = renderHtmlReport(runs, computeYield(runs));
  if (!parser.isSet("out")) {
    out() << html;
    return kAllPassed;
  }
  QFile file(parser.value("out"));
  if (!file.open(QIODevice::WriteOnly) || file.write(html.toUtf8()) < 0) {
    err() << "gizrig report: cannot write " << parser.value("out") << "\n";
    return kRigOrUsageError;
  }
  out() << "report: " << parser.value("out") << " (" << runs.size() << " runs)\n";
  return kAllPassed;
}

}  // namespace gizrig::cli
