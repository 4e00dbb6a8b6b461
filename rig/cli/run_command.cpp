#include "run_command.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include "cli_io.h"
#include "exit_codes.h"
#include "gizrig/records/record_outputs.h"
#include "gizrig/engine/scenario_loader.h"
#include "gizrig/records/sql_record_store.h"
#include "gizrig/virtual/virtual_scenario_host.h"
#include "gizrig/lab/lab_scenario_host.h"
#include "run_outputs.h"

namespace gizrig::cli {

namespace {

using namespace gizrig::core;

bool isSuite(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return false;
  const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
  return o.contains("scenarios") && !o.contains("steps");
}

}  // namespace

int runScenarios(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Runs a scenario or a suite (fixtures/scenarios, fixtures/suites) and prints PASS / FAIL / ERROR per "
      "scenario with its spec clauses. --sim runs them in real time against gagent-sim; --virtual runs the "
      "firmware core in-process in virtual time (hours of "
      "spec timers in seconds). Exit 0 all passed, 1 a DUT failed, 2 rig or usage error.");
  parser.addHelpOption();
  parser.addPositionalArgument("file", "A scenario or suite JSON file.");
  parser.addOption({"virtual", "Run against the firmware core in-process in virtual time (the default)."});
  parser.addOption({"sim",
                    "Run in real time against a virtual module (gagent-sim) in a lab of its own per "
                    "scenario: the same files on the real clock (long spec timers take their real time)."});
  parser.addOption({"fixtures", "Fixtures directory.", "dir", GIZRIG_FIXTURES_DIR});
  parser.addOption({"db", "Also record the runs (sqlite path or postgresql://...).", "spec"});
  parser.addOption({"junit", "Write JUnit XML here.", "file"});
  parser.addOption({"json", "Write the run records as JSON here.", "file"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig run")) return *exit;
  if (parser.positionalArguments().size() != 1) {
    err() << "gizrig run: give one scenario or suite file\n";
    return kRigOrUsageError;
  }
  const QString path = parser.positionalArguments().front();
  const ActionRegistry actions = standardActions();
  const ScenarioLoader loader(actions);
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
  std::unique_ptr<SqlRecordStore> store;
  if (parser.isSet("db")) {
    store = SqlRecordStore::open(parser.value("db"), &error);
    if (!store) {
      err() << "gizrig run: records: " << error << "\n";
      return kRigOrUsageError;
    }
  }
  if (parser.isSet("sim") && parser.isSet("virtual")) {
    err() << "gizrig run: --sim and --virtual exclude each other\n";
    return kRigOrUsageError;
  }
  const bool realTime = parser.isSet("sim");
  VirtualRunOptions options;
  options.fixturesDir = parser.value("fixtures");
  options.store = store.get();
  lab::LabRunOptions labOptions;
  labOptions.fixturesDir = options.fixturesDir;
  labOptions.store = store.get();
  std::vector<RunRecord> runs;
  int code = kAllPassed;
  for (const QString& file : files) {
    const auto scenario = loader.loadFile(file, error);
    if (!scenario) {
      err() << "gizrig run: " << error << "\n";
      return kRigOrUsageError;
    }
    RunRecord run = realTime ? lab::runScenarioInLab(*scenario, actions, labOptions)
                             : runScenarioVirtual(*scenario, actions, options);
    const Outcome outcome = run.outcome.value_or(Outcome::Error);
    out() << QStringLiteral("%1 %2 [%3]%4\n")
                 .arg(outcomeName(outcome), -5)
                 .arg(scenario->name, scenario->clauses.join(' '))
                 .arg(outcome == Outcome::Pass ? QString()
                                               : "\n      " + run.failingStep + ": " + run.failingMessage);
    out().flush();
    if (outcome == Outcome::Error) code = kRigOrUsageError;
    if (outcome == Outcome::Fail && code == kAllPassed) code = kDutFailed;
    runs.push_back(std::move(run));
  }
  if (!writeRunOutputs("run", parser.value("junit"), parser.value("json"), runs)) return kRigOrUsageError;
  int passed = 0;
  for (const RunRecord& run : runs) passed += run.outcome == Outcome::Pass ? 1 : 0;
  out() << passed << " of " << runs.size() << " scenarios passed\n";
  return code;
}

int runReport(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "The human report of the records: yield per station, the last runs and their "
      "failing steps, as one self-contained HTML page.");
  parser.addHelpOption();
  parser.addOption(
      {"db", "Records (sqlite path or postgresql://...).", "spec", "build/records/production.db"});
  parser.addOption({"out", "HTML file to write (default: stdout).", "file"});
  parser.addOption({"station", "Only this station.", "id"});
  parser.addOption({"last", "How many recent runs to list.", "n", "200"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig report")) return *exit;
  QString error;
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
