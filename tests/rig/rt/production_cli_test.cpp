// `gizrig production --sim` as an operator runs it (issue 5): a lab of virtual modules started for the run,
// every slot tested in parallel, records in SQLite, exit code by verdict; and a rig killed with SIGKILL
// mid-run keeps every finished record.
#include <gtest/gtest.h>
#include <signal.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include "gizrig/records/sql_record_store.h"
#include "gizrig_cli.h"
#include "rt_support.h"

namespace gizrig::test {
namespace {

QString station(QTemporaryDir& dir, int minSignalLevel) {
  QFile in(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  EXPECT_TRUE(in.open(QIODevice::ReadOnly));
  QJsonObject o = QJsonDocument::fromJson(in.readAll()).object();
  QJsonObject limits = o["limits"].toObject();
  limits["min_signal_level"] = minSignalLevel;
  o["limits"] = limits;
  const QString path = dir.filePath("station.json");
  QFile out(path);
  EXPECT_TRUE(out.open(QIODevice::WriteOnly));
  out.write(QJsonDocument(o).toJson());
  return path;
}

TEST(ProductionCli, S5_TwoVirtualModulesPassAndEveryStepIsRecorded) {
  app();
  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  const QString json = dir.filePath("runs.json");
  const QString junit = dir.filePath("runs.xml");
  const CliRun run = gizrig({"production", "--sim", "--slots", "2", "--db", db, "--json", json, "--junit",
                             junit, "--operator", "op-7", "--serial", "SN-A,SN-B"});
  ASSERT_EQ(run.exitCode, 0) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("PASS"));
  QFile file(json);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QJsonArray runs = QJsonDocument::fromJson(file.readAll()).array();
  ASSERT_EQ(runs.size(), 2);
  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  const auto stored = store->runs({});
  ASSERT_EQ(stored.size(), 2u);
  for (const auto& header : stored) {
    const auto full = store->run(header.id);
    ASSERT_TRUE(full);
    EXPECT_EQ(full->outcome, core::Outcome::Pass);
    EXPECT_EQ(full->operatorName, "op-7");
    EXPECT_EQ(full->steps.size(), 10u);
    EXPECT_EQ(full->dut.mac.size(), 12);
  }
  EXPECT_TRUE(QFile::exists(junit));
}

TEST(ProductionCli, S4_3_ASignalLimitAboveTheAirFailsTheSignalStepWithExitCode1) {
  app();
  QTemporaryDir dir;
  // The lab's test routers give level 70 (ordinal 5); a limit of 6 cannot be met.
  const CliRun run = gizrig({"production", "--sim", "--slots", "1", "--station", station(dir, 6), "--db",
                             dir.filePath("records.db")});
  EXPECT_EQ(run.exitCode, 1) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("FAIL")) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("signal_level")) << run.output.toStdString();
}

TEST(ProductionCli, BadArgumentsAreAUsageErrorWithExitCode2) {
  app();
  EXPECT_EQ(gizrig({"production", "--slots", "many"}).exitCode, 2);
  EXPECT_EQ(gizrig({"production", "--sim", "--virtual"}).exitCode, 2);
  EXPECT_EQ(gizrig({"production", "--station", "/nonexistent.json"}).exitCode, 2);
  EXPECT_EQ(gizrig({"nonsense"}).exitCode, 2);
}

TEST(ProductionCli, Records_RigKilledMidRunKeepsEveryFinishedStepIntact) {
  app();
  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  QProcess rig;
  rig.setProgram(GIZRIG_BINARY);
  rig.setArguments({"production", "--sim", "--slots", "4", "--db", db});
  rig.setProcessChannelMode(QProcess::MergedChannels);
  rig.start();
  ASSERT_TRUE(rig.waitForStarted(5000));
  // Kill it once some steps are on their way: after the lab is up and the first phases were printed.
  QByteArray output;
  ASSERT_TRUE(spinUntil(
      [&] {
        output += rig.readAll();
        return output.contains("versions_and_mac") || rig.state() == QProcess::NotRunning;
      },
      60000))
      << output.toStdString();
  ASSERT_EQ(rig.state(), QProcess::Running) << "the run ended before it could be killed:\n"
                                            << output.toStdString();
  ::kill(static_cast<pid_t>(rig.processId()), SIGKILL);
  rig.waitForFinished(5000);

  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  EXPECT_EQ(store->integrityCheck(), "ok");
  const auto stored = store->runs({});
  EXPECT_FALSE(stored.empty());  // a run row is written as soon as its DUT's MAC is known (versions_and_mac)
  for (const auto& header : stored) {
    const auto full = store->run(header.id);
    ASSERT_TRUE(full) << store->lastError().toStdString();
    // Steps are committed one by one in order: whatever is there is a prefix of the sequence, each complete.
    for (std::size_t i = 0; i < full->steps.size(); ++i) {
      EXPECT_EQ(full->steps[i].index, static_cast<int>(i));
      EXPECT_FALSE(full->steps[i].name.isEmpty());
    }
    if (full->finished()) {
      EXPECT_EQ(full->steps.size(), 10u);
    }
  }
}

}  // namespace
}  // namespace gizrig::test
