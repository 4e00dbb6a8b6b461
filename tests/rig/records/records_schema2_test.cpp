// Records schema version 2 on SQLite: a version-1 database is migrated in place and stays readable; shifts
// persist; the duplicate check's lookups; ABORTED is stored by name and counted apart. (The same on
// PostgreSQL: tests/rig/rt/records_pg_test.cpp.)
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "gizrig/records/record_outputs.h"
#include "gizrig/records/sql_record_store.h"
#include "records_samples.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "records_schema2_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

// The schema as version 1 of the rig wrote it, with one finished run in it.
bool writeVersion1Database(const QString& path) {
  bool ok = true;
  {
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
    db.setDatabaseName(path);
    ok = db.open();
    QSqlQuery q(db);
    for (const char* statement : {
             "CREATE TABLE rig_schema (version INTEGER NOT NULL)",
             "INSERT INTO rig_schema (version) VALUES (1)",
             "CREATE TABLE runs (id TEXT PRIMARY KEY, station TEXT NOT NULL, slot TEXT NOT NULL, operator "
             "TEXT "
             "NOT NULL, dut_mac TEXT NOT NULL, dut_serial TEXT NOT NULL, dut_did TEXT NOT NULL, wifi_hw TEXT "
             "NOT "
             "NULL, wifi_sw TEXT NOT NULL, mcu_hw TEXT NOT NULL, mcu_sw TEXT NOT NULL, firmware TEXT NOT "
             "NULL, "
             "scenario TEXT NOT NULL, mode TEXT NOT NULL, started_ms BIGINT NOT NULL, finished_ms BIGINT, "
             "outcome TEXT, failing_step TEXT NOT NULL DEFAULT '', failing_message TEXT NOT NULL DEFAULT '')",
             "CREATE INDEX runs_station_started ON runs (station, started_ms)",
             "CREATE INDEX runs_started ON runs (started_ms)",
             "CREATE TABLE steps (run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, step_index "
             "INTEGER NOT NULL, name TEXT NOT NULL, started_ms BIGINT NOT NULL, duration_ms BIGINT NOT NULL, "
             "outcome TEXT NOT NULL, message TEXT NOT NULL, clauses TEXT NOT NULL, PRIMARY KEY (run_id, "
             "step_index))",
             "CREATE TABLE measurements (run_id TEXT NOT NULL, step_index INTEGER NOT NULL, seq INTEGER NOT "
             "NULL, name TEXT NOT NULL, value_num DOUBLE PRECISION, value_text TEXT, unit TEXT NOT NULL, low "
             "DOUBLE PRECISION, high DOUBLE PRECISION, verdict TEXT NOT NULL, PRIMARY KEY (run_id, "
             "step_index, "
             "seq), FOREIGN KEY (run_id, step_index) REFERENCES steps (run_id, step_index) ON DELETE "
             "CASCADE)",
             "INSERT INTO runs VALUES ('6f1c2a4e-0000-4000-8000-000000000001', 'EOL-1', '1', 'ann', "
             "'020000000001', 'SN-1', '', '', '', '', '', '', 'production', 'real', 1700000000000, "
             "1700000010000, 'PASS', '', '')",
         }) {
      ok = ok && q.exec(QString::fromLatin1(statement));
    }
    db.close();
  }
  QSqlDatabase::removeDatabase(QStringLiteral("v1"));
  return ok;
}

class Schema2 : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    ASSERT_TRUE(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("records.db"));
  }
  std::unique_ptr<SqlRecordStore> open() {
    QString error;
    auto store = SqlRecordStore::open(path_, &error);
    EXPECT_NE(store, nullptr) << error.toStdString();
    return store;
  }
  QTemporaryDir dir_;
  QString path_;
};

TEST_F(Schema2, Records_AVersion1DatabaseIsMigratedInPlaceAndItsRunsStayReadable) {
  ASSERT_TRUE(writeVersion1Database(path_));
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->storedSchemaVersion(), SqlRecordStore::kSchemaVersion);  // 1 -> 2 -> 3
  const auto old = store->run(QUuid::fromString(QStringLiteral("6f1c2a4e-0000-4000-8000-000000000001")));
  ASSERT_TRUE(old) << store->lastError().toStdString();
  EXPECT_EQ(old->dut.serial, "SN-1");
  EXPECT_EQ(old->outcome, Outcome::Pass);
  EXPECT_TRUE(old->duplicate.isEmpty());
  // The new parts work on the migrated file, and a reopen migrates nothing twice.
  EXPECT_TRUE(store->beginShift({QUuid::createUuid(), "EOL-1", "ann", 1700000020000}))
      << store->lastError().toStdString();
  store.reset();
  store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->storedSchemaVersion(), SqlRecordStore::kSchemaVersion);  // 1 -> 2 -> 3
  EXPECT_EQ(store->integrityCheck().toStdString(), "ok");
  EXPECT_EQ(store->runs({}).size(), 1u);
}

TEST_F(Schema2, Records_ShiftsPersistAndTheNewestOfAStationIsItsCurrentShift) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->currentShift("EOL-1"));
  EXPECT_TRUE(store->lastError().isEmpty());  // none yet is not an error
  const Shift morning{QUuid::createUuid(), "EOL-1", "ann", samples::kEpoch};
  const Shift evening{QUuid::createUuid(), "EOL-1", "bob", samples::kEpoch + 8 * 3600 * 1000};
  const Shift other{QUuid::createUuid(), "EOL-2", "cy", samples::kEpoch + 9 * 3600 * 1000};
  for (const Shift& shift : {evening, morning, other}) ASSERT_TRUE(store->beginShift(shift));
  store.reset();  // a restart of the GUI
  store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->currentShift("EOL-1"), evening);
  EXPECT_EQ(store->currentShift("EOL-2"), other);
  EXPECT_FALSE(store->beginShift(evening));  // the same shift twice: refused, nothing changed
  EXPECT_FALSE(store->lastError().isEmpty());
  EXPECT_EQ(store->currentShift("EOL-1"), evening);
}

TEST_F(Schema2, Records_AbortedIsStoredByNameAndCountedApartFromFailAndError) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  RunRecord aborted = samples::runHeader(1);
  aborted.steps.push_back(samples::step(1, 0));
  StepRecord cut = samples::step(1, 1);
  cut.outcome = Outcome::Aborted;
  cut.message = "aborted: interrupted (SIGINT)";
  judgeStep(cut);  // an ABORTED step stays ABORTED whatever it measured
  EXPECT_EQ(cut.outcome, Outcome::Aborted);
  aborted.steps.push_back(cut);
  finishRun(aborted, aborted.startedMs + 500);
  EXPECT_EQ(aborted.outcome, Outcome::Aborted);  // it beats every other outcome
  EXPECT_EQ(aborted.failingStep, cut.name);
  ASSERT_TRUE(store->saveRun(aborted)) << store->lastError().toStdString();
  ASSERT_TRUE(store->saveRun(samples::fullRun(2, 1)));
  const auto back = store->run(aborted.id);
  ASSERT_TRUE(back) << store->lastError().toStdString();
  EXPECT_EQ(*back, aborted);
  const auto yield = store->yieldPerStation({});
  ASSERT_EQ(yield.size(), 1u);
  EXPECT_EQ(yield[0].aborted, 1);
  EXPECT_EQ(yield[0].errored, 0);
  EXPECT_EQ(yield[0].failed, 0);
  EXPECT_EQ(yield[0].passed, 1);
  EXPECT_EQ(yield[0].duts, 1);  // the aborted DUT was never judged
  const QString junit = QString::fromUtf8(toJunitXml({aborted}));
  EXPECT_TRUE(junit.contains("type=\"ABORTED\"")) << junit.toStdString();
  EXPECT_TRUE(junit.contains("errors=\"1\"")) << junit.toStdString();
}

TEST_F(Schema2, Records_AbortRunKeepsTheFinishedStepsAndNamesTheLastOne) {
  RunRecord run = samples::runHeader(3);
  run.steps.push_back(samples::step(3, 0));
  abortRun(run, run.startedMs + 42, "interrupted (SIGTERM)");
  EXPECT_EQ(run.outcome, Outcome::Aborted);
  EXPECT_EQ(run.finishedMs, run.startedMs + 42);
  EXPECT_EQ(run.failingStep, run.steps.back().name);
  EXPECT_EQ(run.failingMessage, "interrupted (SIGTERM)");
  EXPECT_EQ(outcomeFromName("ABORTED"), Outcome::Aborted);
}

TEST_F(Schema2, Records_TheDuplicateCheckFindsAMacPassedUnderAnotherSerialAndASerialUnderAnotherMac) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  RunRecord first = samples::fullRun(4, 1);  // PASS (step 0 passes)
  ASSERT_EQ(first.outcome, Outcome::Pass);
  ASSERT_TRUE(store->saveRun(first));
  RunRecord failed = samples::fullRun(6, 3);  // FAIL (every third run fails step 2): never a duplicate source
  ASSERT_EQ(failed.outcome, Outcome::Fail);
  ASSERT_TRUE(store->saveRun(failed));

  RunRecord sameMac = samples::runHeader(5);
  sameMac.dut.mac = first.dut.mac.toLower();  // MACs compare without case
  EXPECT_EQ(store->passedRunsOf(sameMac.dut.mac, sameMac.dut.serial).size(), 1u);
  const QString macDup = describeDuplicate(sameMac, store->passedRunsOf(sameMac.dut.mac, sameMac.dut.serial));
  EXPECT_TRUE(macDup.contains(first.dut.serial)) << macDup.toStdString();
  EXPECT_TRUE(macDup.startsWith("MAC ")) << macDup.toStdString();

  RunRecord sameSerial = samples::runHeader(7);
  sameSerial.dut.serial = first.dut.serial;
  const QString serialDup =
      describeDuplicate(sameSerial, store->passedRunsOf(sameSerial.dut.mac, sameSerial.dut.serial));
  EXPECT_TRUE(serialDup.contains(first.dut.mac)) << serialDup.toStdString();

  // A retest of the same unit (same MAC, same serial) and a unit that failed before are no duplicates.
  RunRecord retest = samples::runHeader(4);
  retest.id = QUuid::createUuid();
  EXPECT_TRUE(describeDuplicate(retest, store->passedRunsOf(retest.dut.mac, retest.dut.serial)).isEmpty());
  RunRecord afterFail = samples::runHeader(8);
  afterFail.dut.mac = failed.dut.mac;
  EXPECT_TRUE(
      describeDuplicate(afterFail, store->passedRunsOf(afterFail.dut.mac, afterFail.dut.serial)).isEmpty());

  // The flag is stored with the run.
  sameMac.duplicate = macDup;
  finishRun(sameMac, sameMac.startedMs + 1);
  ASSERT_TRUE(store->saveRun(sameMac));
  EXPECT_EQ(store->run(sameMac.id)->duplicate, macDup);
}

}  // namespace
}  // namespace gizrig::core
