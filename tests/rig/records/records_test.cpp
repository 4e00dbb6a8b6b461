// Run records: the outcome rules, the SQLite store (schema, round trip, queries, concurrent stations), yield,
// and the JUnit XML / JSON / HTML outputs.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <cmath>
#include <limits>
#include <map>
#include <thread>

#include "gizrig/records/record_outputs.h"
#include "gizrig/records/sql_record_store.h"
#include "records_samples.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "records_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

class SqliteStore : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    ASSERT_TRUE(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("runs.db"));
    QString error;
    store_ = SqlRecordStore::open(path_, &error);
    ASSERT_NE(store_, nullptr) << error.toStdString();
  }
  QTemporaryDir dir_;
  QString path_;
  std::unique_ptr<SqlRecordStore> store_;
};

Measurement numeric(double value, std::optional<double> low, std::optional<double> high) {
  return {QStringLiteral("m"), value, QStringLiteral("V"), low, high, Outcome::Pass};
}

// --- Outcome rules ---

TEST(OutcomeRules, AMeasurementPassesInsideItsInclusiveLimitsAndFailsOutside) {
  EXPECT_EQ(judgeMeasurement(numeric(3.0, 3.0, 3.6)), Outcome::Pass);
  EXPECT_EQ(judgeMeasurement(numeric(3.6, 3.0, 3.6)), Outcome::Pass);
  EXPECT_EQ(judgeMeasurement(numeric(2.999, 3.0, 3.6)), Outcome::Fail);
  EXPECT_EQ(judgeMeasurement(numeric(3.601, 3.0, 3.6)), Outcome::Fail);
  EXPECT_EQ(judgeMeasurement(numeric(-1e9, std::nullopt, 3.6)), Outcome::Pass);
  EXPECT_EQ(judgeMeasurement(numeric(1e9, 3.0, std::nullopt)), Outcome::Pass);
  EXPECT_EQ(judgeMeasurement(numeric(std::nan(""), std::nullopt, std::nullopt)), Outcome::Fail);
  Measurement text{QStringLiteral("fw"), QStringLiteral("04020001"), {}, std::nullopt, std::nullopt,
                   Outcome::Fail};
  EXPECT_EQ(judgeMeasurement(text), Outcome::Pass);
  text.low = 1.0;  // a number was expected
  EXPECT_EQ(judgeMeasurement(text), Outcome::Fail);
}

TEST(OutcomeRules, AFailedMeasurementFailsTheStepButAnErrorStepStaysError) {
  StepRecord step;
  step.name = QStringLiteral("power");
  step.measurements = {numeric(3.3, 3.0, 3.6), numeric(4.0, 3.0, 3.6)};
  judgeStep(step);
  EXPECT_EQ(step.outcome, Outcome::Fail);
  EXPECT_EQ(step.measurements[0].verdict, Outcome::Pass);
  EXPECT_EQ(step.measurements[1].verdict, Outcome::Fail);
  EXPECT_EQ(step.message.toStdString(), "measurement 'm' = 4 V outside [3, 3.6]");

  StepRecord errored = step;
  errored.outcome = Outcome::Error;
  errored.message = QStringLiteral("serial port vanished");
  judgeStep(errored);
  EXPECT_EQ(errored.outcome, Outcome::Error);
  EXPECT_EQ(errored.message.toStdString(), "serial port vanished");
}

TEST(OutcomeRules, ErrorBeatsFailForTheRunAndTheFirstWorstStepIsTheFailingOne) {
  RunRecord run;
  run.steps.resize(4);
  run.steps[0] = {QStringLiteral("a"), 0, 0, 0, Outcome::Pass, {}, {}, {}};
  run.steps[1] = {QStringLiteral("b"), 1, 0, 0, Outcome::Fail, QStringLiteral("limit"), {}, {}};
  run.steps[2] = {QStringLiteral("c"), 2, 0, 0, Outcome::Error, QStringLiteral("no router"), {}, {}};
  run.steps[3] = {QStringLiteral("d"), 3, 0, 0, Outcome::Error, QStringLiteral("later"), {}, {}};
  finishRun(run, 42);
  EXPECT_EQ(run.outcome, Outcome::Error);
  EXPECT_EQ(run.finishedMs, 42);
  EXPECT_EQ(run.failingStep.toStdString(), "c");
  EXPECT_EQ(run.failingMessage.toStdString(), "no router");

  run.steps.resize(2);
  finishRun(run, 43);
  EXPECT_EQ(run.outcome, Outcome::Fail);
  EXPECT_EQ(run.failingStep.toStdString(), "b");

  run.steps.clear();
  finishRun(run, 44);
  EXPECT_EQ(run.outcome, Outcome::Pass);
  EXPECT_TRUE(run.failingStep.isEmpty());
  EXPECT_EQ(worse(Outcome::Fail, Outcome::Error), Outcome::Error);
  EXPECT_EQ(worse(Outcome::Pass, Outcome::Fail), Outcome::Fail);
}

// --- Target parsing ---

TEST(DbTarget, PostgresUrlsAndSqlitePathsAreParsedAndBadOnesNamed) {
  QString error;
  auto pg = parseDbTarget(QStringLiteral("postgresql://rig:secret@db.local:5433/records"), &error);
  ASSERT_TRUE(pg) << error.toStdString();
  EXPECT_EQ(pg->kind, DbTarget::Kind::Postgres);
  EXPECT_EQ(pg->user.toStdString(), "rig");
  EXPECT_EQ(pg->password.toStdString(), "secret");
  EXPECT_EQ(pg->host.toStdString(), "db.local");
  EXPECT_EQ(pg->port, 5433);
  EXPECT_EQ(pg->database.toStdString(), "records");

  auto socket = parseDbTarget(QStringLiteral("postgres://rig@localhost/records?host=/tmp/pg%20dir"), &error);
  ASSERT_TRUE(socket) << error.toStdString();
  EXPECT_EQ(socket->host.toStdString(), "/tmp/pg dir");
  EXPECT_EQ(socket->port, -1);

  auto file = parseDbTarget(QStringLiteral("sqlite:///var/rig/runs.db"), &error);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->kind, DbTarget::Kind::Sqlite);
  EXPECT_EQ(file->path.toStdString(), "/var/rig/runs.db");
  EXPECT_EQ(parseDbTarget(QStringLiteral("runs.db"), &error)->path.toStdString(), "runs.db");

  EXPECT_FALSE(parseDbTarget(QStringLiteral("postgresql://rig@host:5432/"), &error));
  EXPECT_NE(error.indexOf(QStringLiteral("no database")), -1) << error.toStdString();
  EXPECT_FALSE(parseDbTarget(QStringLiteral("mysql://rig@host/db"), &error));
  EXPECT_NE(error.indexOf(QStringLiteral("unknown database scheme")), -1) << error.toStdString();
  EXPECT_FALSE(parseDbTarget(QString(), &error));
}

// --- SQLite store ---

TEST_F(SqliteStore, TheSchemaIsCreatedVersionedIndexedAndInWalMode) {
  EXPECT_EQ(store_->storedSchemaVersion(), SqlRecordStore::kSchemaVersion);
  QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inspect"));
  {
    db.setDatabaseName(path_);
    ASSERT_TRUE(db.open());
    QSqlQuery q(db);
    std::map<std::string, std::string> objects;
    ASSERT_TRUE(
        q.exec(QStringLiteral("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")));
    while (q.next()) objects[q.value(0).toString().toStdString()] = q.value(1).toString().toStdString();
    EXPECT_EQ(objects, (std::map<std::string, std::string>{{"rig_schema", "table"},
                                                           {"runs", "table"},
                                                           {"steps", "table"},
                                                           {"measurements", "table"},
                                                           {"shifts", "table"},
                                                           {"runs_station_started", "index"},
                                                           {"runs_started", "index"},
                                                           {"runs_mac", "index"},
                                                           {"runs_serial", "index"},
                                                           {"shifts_station_started", "index"}}));
    ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
    EXPECT_EQ(q.value(0).toString().toStdString(), "wal");
    db.close();
  }
  db = QSqlDatabase();
  QSqlDatabase::removeDatabase(QStringLiteral("inspect"));

  // Reopening keeps the one version row.
  store_.reset();
  QString error;
  store_ = SqlRecordStore::open(path_, &error);
  ASSERT_NE(store_, nullptr) << error.toStdString();
  EXPECT_EQ(store_->storedSchemaVersion(), SqlRecordStore::kSchemaVersion);
  EXPECT_EQ(store_->integrityCheck().toStdString(), "ok");
}

TEST_F(SqliteStore, ADatabaseFromANewerRigIsRefusedWithTheReason) {
  store_.reset();
  {
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
    db.setDatabaseName(path_);
    ASSERT_TRUE(db.open());
    QSqlQuery q(db);
    ASSERT_TRUE(q.exec(QStringLiteral("UPDATE rig_schema SET version = 99")));
    db.close();
  }
  QSqlDatabase::removeDatabase(QStringLiteral("bump"));
  QString error;
  EXPECT_EQ(SqlRecordStore::open(path_, &error), nullptr);
  EXPECT_NE(error.indexOf(QStringLiteral("schema version 99")), -1) << error.toStdString();
}

TEST(SqliteOpen, AFileThatCannotBeOpenedOrIsNotADatabaseIsAClearError) {
  app();
  QTemporaryDir dir;
  QString error;
  EXPECT_EQ(SqlRecordStore::open(dir.filePath(QStringLiteral("missing/dir/runs.db")), &error), nullptr);
  EXPECT_NE(error.indexOf(QStringLiteral("missing/dir/runs.db")), -1) << error.toStdString();
  QFile junk(dir.filePath(QStringLiteral("junk.db")));
  ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
  junk.write(QByteArray(8192, 'x'));
  junk.close();
  error.clear();
  EXPECT_EQ(SqlRecordStore::open(junk.fileName(), &error), nullptr);
  EXPECT_FALSE(error.isEmpty());
}

TEST_F(SqliteStore, AFullRunRoundTripsExactly) {
  const RunRecord original = samples::fullRun(3, 4);
  ASSERT_EQ(original.outcome, Outcome::Fail);  // step 2 of run 3 breaks its voltage limit
  ASSERT_TRUE(store_->saveRun(original)) << store_->lastError().toStdString();
  const auto back = store_->run(original.id);
  ASSERT_TRUE(back) << store_->lastError().toStdString();
  EXPECT_EQ(*back, original);
  EXPECT_EQ(back->steps[2].measurements[0].verdict, Outcome::Fail);
  EXPECT_EQ(back->steps[2].measurements[1].high, std::nullopt);
  EXPECT_EQ(std::get<QString>(back->steps[2].measurements[2].value).toStdString(), "04020001");
}

TEST_F(SqliteStore, AStepWithoutClausesOrMessageIsStored) {
  // Regression: an empty QStringList joins to a null QString, which QtSql binds as NULL.
  RunRecord run = samples::fullRun(4, 2);
  for (StepRecord& s : run.steps) {
    s.clauses = QStringList();
    s.message = QString();
  }
  ASSERT_TRUE(store_->saveRun(run)) << store_->lastError().toStdString();
  const auto back = store_->run(run.id);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->steps[0].clauses.isEmpty());
}

TEST_F(SqliteStore, ARunThatNeverFinishedKeepsItsStepsAndReadsBackUnfinished) {
  RunRecord run = samples::runHeader(7);
  ASSERT_TRUE(store_->beginRun(run));
  ASSERT_TRUE(store_->addStep(run.id, samples::step(7, 0)));
  ASSERT_TRUE(store_->addStep(run.id, samples::step(7, 1)));
  const auto back = store_->run(run.id);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->finished());
  EXPECT_EQ(back->finishedMs, std::nullopt);
  ASSERT_EQ(back->steps.size(), 2u);
  EXPECT_EQ(back->steps[1], samples::step(7, 1));
}

TEST_F(SqliteStore, BadWritesAreRefusedWithAReasonAndChangeNothing) {
  RunRecord run = samples::fullRun(1, 2);
  EXPECT_FALSE(store_->finishRun(run));  // never begun
  EXPECT_NE(store_->lastError().indexOf(QStringLiteral("no such run")), -1)
      << store_->lastError().toStdString();
  ASSERT_TRUE(store_->saveRun(run));
  EXPECT_FALSE(store_->beginRun(run));  // same id twice
  StepRecord duplicate = samples::step(1, 1);
  duplicate.name = QStringLiteral("imposter");
  EXPECT_FALSE(store_->addStep(run.id, duplicate));
  EXPECT_FALSE(store_->addStep(QUuid::createUuid(), samples::step(1, 5)));  // no such run (foreign key)
  RunRecord noId = samples::runHeader(2);
  noId.id = QUuid();
  EXPECT_FALSE(store_->beginRun(noId));
  EXPECT_EQ(*store_->run(run.id), run);
  EXPECT_EQ(store_->runs({}).size(), 1u);
  EXPECT_FALSE(store_->run(QUuid::createUuid()));
  EXPECT_NE(store_->lastError().indexOf(QStringLiteral("no such run")), -1);
}

TEST_F(SqliteStore, RunsAreQueriedByStationAndTimeNewestFirst) {
  for (int n = 0; n < 6; ++n) {
    ASSERT_TRUE(
        store_->saveRun(samples::fullRun(n, 1, n % 2 == 0 ? QStringLiteral("A") : QStringLiteral("B"))));
  }
  const auto ids = [](const std::vector<RunRecord>& runs) {
    std::vector<QUuid> out;
    for (const auto& r : runs) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(ids(store_->runs({QStringLiteral("A"), {}, {}, 0})),
            (std::vector<QUuid>{samples::runId(4), samples::runId(2), samples::runId(0)}));
  RunQuery window{{}, samples::kEpoch + 60'000, samples::kEpoch + 4 * 60'000, 0};
  EXPECT_EQ(ids(store_->runs(window)),
            (std::vector<QUuid>{samples::runId(3), samples::runId(2), samples::runId(1)}));
  EXPECT_EQ(ids(store_->runs({{}, {}, {}, 2})), (std::vector<QUuid>{samples::runId(5), samples::runId(4)}));
  const auto rows = store_->runs({QStringLiteral("B"), {}, {}, 1});
  ASSERT_EQ(rows.size(), 1u);
  RunRecord expected = samples::fullRun(5, 1, QStringLiteral("B"));
  expected.steps.clear();  // a query returns run rows only
  EXPECT_EQ(rows[0], expected);
}

TEST_F(SqliteStore, TwoStationsWritingAtOnceBothKeepEveryRun) {
  constexpr int kRuns = 15;
  auto station = [this](int first, bool* ok) {
    QString error;
    auto store = SqlRecordStore::open(path_, &error);  // a connection per thread
    *ok = store != nullptr;
    for (int n = first; *ok && n < first + kRuns; ++n) *ok = store->saveRun(samples::fullRun(n, 3));
  };
  bool ok1 = false;
  bool ok2 = false;
  std::thread t1(station, 0, &ok1);
  std::thread t2(station, 1000, &ok2);
  t1.join();
  t2.join();
  EXPECT_TRUE(ok1);
  EXPECT_TRUE(ok2);
  EXPECT_EQ(store_->runs({}).size(), 2u * kRuns);
  EXPECT_EQ(*store_->run(samples::runId(1007)), samples::fullRun(1007, 3));
}

// --- Yield ---

RunRecord yieldRun(const QString& station, const QString& serial, std::int64_t started,
                   std::optional<Outcome> outcome) {
  RunRecord run;
  run.id = QUuid::createUuid();
  run.station = station;
  run.dut.serial = serial;
  run.startedMs = started;
  run.outcome = outcome;
  return run;
}

TEST(Yield, FirstPassYieldCountsEachDutsFirstJudgedRunOnly) {
  const std::vector<RunRecord> runs = {
      yieldRun("A", "dut1", 20, Outcome::Pass),  // retest after a failure: given first, but later in time
      yieldRun("A", "dut1", 10, Outcome::Fail),  yieldRun("A", "dut2", 11, Outcome::Pass),
      yieldRun("A", "dut3", 12, Outcome::Error),  // the rig failed: not a try for the DUT
      yieldRun("A", "dut3", 13, Outcome::Pass),  yieldRun("A", "dut4", 14, std::nullopt),  // never finished
      yieldRun("B", "dut1", 15, Outcome::Fail),
  };
  const auto yield = computeYield(runs);
  ASSERT_EQ(yield.size(), 2u);
  EXPECT_EQ(yield[0], (StationYield{"A", 6, 3, 1, 1, 1, 3, 2}));
  EXPECT_DOUBLE_EQ(yield[0].yield(), 0.75);
  EXPECT_DOUBLE_EQ(yield[0].firstPassYield(), 2.0 / 3.0);
  EXPECT_EQ(yield[1], (StationYield{"B", 1, 0, 1, 0, 0, 1, 0}));
  EXPECT_DOUBLE_EQ(yield[1].firstPassYield(), 0.0);
  EXPECT_DOUBLE_EQ(StationYield{}.yield(), 0.0);
  EXPECT_DOUBLE_EQ(StationYield{}.firstPassYield(), 0.0);
}

TEST_F(SqliteStore, YieldPerStationComesFromTheStoredRuns) {
  // Runs 0..5 on one station; runs 0 and 3 fail (step 2 of every third run), DUTs are distinct.
  for (int n = 0; n < 6; ++n) ASSERT_TRUE(store_->saveRun(samples::fullRun(n, 3)));
  ASSERT_TRUE(store_->beginRun(samples::runHeader(6)));  // one in progress
  const auto yield = store_->yieldPerStation({});
  ASSERT_EQ(yield.size(), 1u);
  EXPECT_EQ(yield[0], (StationYield{"station-1", 7, 4, 2, 0, 1, 6, 4}));
}

// --- Outputs ---

struct JunitCounts {
  std::map<std::string, std::string> rootAttributes;
  int suites = 0;
  int testcases = 0;
  int failures = 0;
  int errors = 0;
  std::vector<std::string> messages;
  std::vector<std::string> suiteCounts;  // "tests/failures/errors" per suite
};

JunitCounts readJunit(const QByteArray& xmlBytes) {
  JunitCounts counts;
  QXmlStreamReader xml(xmlBytes);
  while (!xml.atEnd()) {
    if (xml.readNext() != QXmlStreamReader::StartElement) continue;
    const auto name = xml.name();
    const auto attrs = xml.attributes();
    if (name == QLatin1String("testsuites")) {
      for (const auto& a : attrs)
        counts.rootAttributes[a.name().toString().toStdString()] = a.value().toString().toStdString();
    } else if (name == QLatin1String("testsuite")) {
      ++counts.suites;
      counts.suiteCounts.push_back((attrs.value("tests").toString() + u'/' +
                                    attrs.value("failures").toString() + u'/' +
                                    attrs.value("errors").toString())
                                       .toStdString());
    } else if (name == QLatin1String("testcase")) {
      ++counts.testcases;
    } else if (name == QLatin1String("failure") || name == QLatin1String("error")) {
      ++(name == QLatin1String("failure") ? counts.failures : counts.errors);
      counts.messages.push_back(attrs.value("message").toString().toStdString());
    }
  }
  EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
  return counts;
}

TEST(JunitXml, WellFormedWithASuitePerRunACasePerStepAndTheRightCounts) {
  app();
  RunRecord failing = samples::fullRun(3, 4);  // step 2 fails
  RunRecord erroring = samples::fullRun(4, 3);
  erroring.steps[1].outcome = Outcome::Error;
  erroring.steps[1].message = QStringLiteral("router <off> & gone");
  finishRun(erroring, erroring.startedMs + 5000);
  RunRecord setupError = samples::runHeader(5);  // ERROR before any step
  setupError.outcome = Outcome::Error;
  setupError.finishedMs = setupError.startedMs;
  setupError.failingMessage = QStringLiteral("serial port busy");
  RunRecord unfinished = samples::runHeader(6);
  unfinished.steps.push_back(samples::step(6, 0));

  JunitCounts c = readJunit(toJunitXml({failing, erroring, setupError, unfinished}));
  EXPECT_EQ(c.suites, 4);
  EXPECT_EQ(c.testcases, 4 + 3 + 1 + 2);
  EXPECT_EQ(c.failures, 1);
  EXPECT_EQ(c.errors, 3);
  EXPECT_EQ(c.suiteCounts, (std::vector<std::string>{"4/1/0", "3/0/1", "1/0/1", "2/0/1"}));
  EXPECT_EQ(c.rootAttributes["tests"], "10");
  EXPECT_EQ(c.rootAttributes["failures"], "1");
  EXPECT_EQ(c.rootAttributes["errors"], "3");
  EXPECT_EQ(c.messages,
            (std::vector<std::string>{"measurement 'vcc' = 3.9 V outside [3, 3.6]", "router <off> & gone",
                                      "serial port busy", "the run did not finish (the rig stopped)"}));
  EXPECT_EQ(readJunit(toJunitXml({})).suites, 0);
}

TEST(RunJson, ARunRoundTripsThroughItsDocument) {
  app();
  for (const RunRecord& original : {samples::fullRun(3, 4), samples::runHeader(8)}) {
    QString error;
    const auto back = runFromJsonDocument(runToJsonDocument(original), &error);
    ASSERT_TRUE(back) << error.toStdString();
    EXPECT_EQ(*back, original);
  }
  RunRecord odd = samples::fullRun(1, 1);
  odd.steps[0].measurements[0].value = std::numeric_limits<double>::infinity();
  const auto back = runFromJson(runToJson(odd), nullptr);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<double>(back->steps[0].measurements[0].value), std::numeric_limits<double>::infinity());
  EXPECT_FALSE(runToJson(samples::runHeader(8)).contains(QStringLiteral("outcome")));
}

TEST(RunJson, AMalformedDocumentIsRefusedNamingTheField) {
  QString error;
  EXPECT_FALSE(runFromJsonDocument("{\"id\":", &error));
  EXPECT_NE(error.indexOf(QStringLiteral("not JSON")), -1);
  EXPECT_FALSE(runFromJsonDocument("[1]", &error));
  QJsonObject json = runToJson(samples::fullRun(2, 2));
  json.insert("mode", "imaginary");
  EXPECT_FALSE(runFromJson(json, &error));
  EXPECT_EQ(error.toStdString(), "run: 'mode' must be real or virtual");
  json = runToJson(samples::fullRun(2, 2));
  QJsonArray steps = json["steps"].toArray();
  QJsonObject step = steps[1].toObject();
  step.insert("duration_ms", "long");
  steps[1] = step;
  json.insert("steps", steps);
  EXPECT_FALSE(runFromJson(json, &error));
  EXPECT_EQ(error.toStdString(), "run.steps[1]: 'duration_ms' must be an integer");
}

TEST(HtmlReport, ShowsYieldRunsAndFailingStepsEscapedAndSelfContained) {
  app();
  const std::vector<RunRecord> runs = {samples::fullRun(3, 4), samples::fullRun(2, 2), samples::runHeader(1)};
  const QString html = renderHtmlReport(runs, computeYield(runs));
  EXPECT_TRUE(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
  EXPECT_NE(html.indexOf(QStringLiteral("<td class=\"num\">50.0%</td>")), -1);  // 1 of 2 judged runs passed
  EXPECT_NE(html.indexOf(QStringLiteral("step 2 of run 3")), -1);
  EXPECT_NE(html.indexOf(QStringLiteral("vcc = 3.9 V")), -1);
  EXPECT_NE(html.indexOf(QStringLiteral("onboarding &quot;softap&quot;")), -1);
  EXPECT_NE(html.indexOf(QStringLiteral("INCOMPLETE")), -1);
  EXPECT_EQ(html.indexOf(QStringLiteral("\"softap\"")), -1);  // never raw
  EXPECT_EQ(html.indexOf(QStringLiteral("src=")), -1);        // no external assets
  EXPECT_EQ(html.indexOf(QStringLiteral("href=")), -1);
}

}  // namespace
}  // namespace gizrig::core
