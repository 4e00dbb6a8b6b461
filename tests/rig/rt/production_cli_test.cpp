// `gizrig production --sim` as an operator runs it (issue 5): a lab of virtual modules started for the run,
// every slot tested in parallel, records in SQLite, exit code by verdict; and a rig killed with SIGKILL
// mid-run keeps every finished record.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
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

// Issue 12, P2: the lab's module runs with its serial line paced at 9600 baud (it says so when ready) and
// passes the whole test through it.
TEST(ProductionCli, Issue12_P2_APacedLabModulePassesWithItsSerialLineAtItsWireTime) {
  app();
  QTemporaryDir dir;
  const QString lab = dir.filePath("lab");
  const CliRun run = gizrig({"production", "--sim", "--paced", "--slots", "1", "--lab-dir", lab, "--db",
                             dir.filePath("records.db")});
  ASSERT_EQ(run.exitCode, 0) << run.output.toStdString();
  QFile log(QDir(lab).filePath("module-1.log"));
  ASSERT_TRUE(log.open(QIODevice::ReadOnly));
  EXPECT_TRUE(log.readAll().contains("paced at 9600 baud"));
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

TEST(ProductionCli, Issue12_TraceWritesEachRunsSerialAndLanTrafficToAFileItsRecordNames) {
  app();
  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  const QString traces = dir.filePath("traces/line 1");  // created, spaces and all
  const CliRun run =
      gizrig({"production", "--sim", "--slots", "2", "--db", db, "--trace", traces, "--serial", "SN-A,SN-B"});
  ASSERT_EQ(run.exitCode, 0) << run.output.toStdString();
  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  const auto stored = store->runs({});
  ASSERT_EQ(stored.size(), 2u);
  for (const auto& header : stored) {
    const auto full = store->run(header.id);
    ASSERT_TRUE(full);
    ASSERT_FALSE(full->trace.isEmpty()) << "the record names its trace";
    EXPECT_TRUE(full->trace.startsWith(traces)) << full->trace.toStdString();
    QFile trace(full->trace);
    ASSERT_TRUE(trace.open(QIODevice::ReadOnly)) << full->trace.toStdString();
    const QString text = QString::fromUtf8(trace.readAll());
    EXPECT_TRUE(text.startsWith("# gizrig wire trace: station")) << text.left(200).toStdString();
    EXPECT_TRUE(text.contains("serial " + full->dut.serial)) << "the header names the DUT";
    // Both ways on the serial line, both ways on the LAN, each named and with its bytes.
    EXPECT_TRUE(
        text.contains(QRegularExpression(R"(serial +module->mcu +0x01 get device info.* ffff0005010)")));
    EXPECT_TRUE(text.contains(QRegularExpression(R"(serial +mcu->module +0x02 device info)")));
    EXPECT_TRUE(
        text.contains(QRegularExpression(R"(lan +rig->127\.[0-9.]+:12416 +0x0006 passcode request)")));
    EXPECT_TRUE(
        text.contains(QRegularExpression(R"(lan +127\.[0-9.]+:12416->rig +0x0018 exit production test)")));
    EXPECT_FALSE(text.contains(full->dut.serial == "SN-A" ? "serial SN-B" : "serial SN-A"))
        << "one run's trace holds only its own slot";
  }
  EXPECT_EQ(gizrig({"production", "--virtual", "--trace", traces}).exitCode, 2);  // real time only
  QFile notADirectory(dir.filePath("file"));
  ASSERT_TRUE(notADirectory.open(QIODevice::WriteOnly));
  const CliRun bad = gizrig({"production", "--sim", "--trace", notADirectory.fileName()});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_TRUE(bad.output.contains("is not a writable directory")) << bad.output.toStdString();
}

TEST(ProductionCli, BadArgumentsAreAUsageErrorWithExitCode2) {
  app();
  EXPECT_EQ(gizrig({"production", "--slots", "many"}).exitCode, 2);
  EXPECT_EQ(gizrig({"production", "--sim", "--virtual"}).exitCode, 2);
  EXPECT_EQ(gizrig({"production", "--virtual", "--paced"}).exitCode, 2);  // --paced paces lab modules
  EXPECT_EQ(gizrig({"production", "--station", "/nonexistent.json"}).exitCode, 2);
  EXPECT_EQ(gizrig({"nonsense"}).exitCode, 2);
  // Issue 13: fewer or more serials than slots, no slots, an empty database: usage errors, nothing run.
  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  const CliRun fewer = gizrig({"production", "--virtual", "--slots", "3", "--serial", "A,B", "--db", db});
  EXPECT_EQ(fewer.exitCode, 2);
  EXPECT_TRUE(fewer.output.contains("2 serial number(s) for 3 slot(s)")) << fewer.output.toStdString();
  EXPECT_EQ(gizrig({"production", "--virtual", "--slots", "1", "--serial", "A,B", "--db", db}).exitCode, 2);
  EXPECT_EQ(gizrig({"production", "--virtual", "--slots", "2", "--serial", "A,", "--db", db}).exitCode, 2);
  EXPECT_EQ(gizrig({"production", "--virtual", "--slots", "0", "--db", db}).exitCode, 2);
  EXPECT_EQ(gizrig({"production", "--virtual", "--db", ""}).exitCode, 2);
  EXPECT_FALSE(QFile::exists(db));  // nothing was recorded by a refused command
}

TEST(ProductionCli, Records_VirtualSlotsAreDifferentUnitsWithTheirOwnMacAndSerial) {
  app();
  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  const CliRun run = gizrig({"production", "--virtual", "--slots", "3", "--serial", "S1,S2,S3", "--db", db});
  ASSERT_EQ(run.exitCode, 0) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("3/3 PASS in ")) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("records: " + db)) << run.output.toStdString();
  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  QStringList macs;
  QStringList serials;
  for (const auto& r : store->runs({})) {
    macs << r.dut.mac;
    serials << r.dut.serial;
    EXPECT_TRUE(r.duplicate.isEmpty()) << r.duplicate.toStdString();
  }
  macs.removeDuplicates();
  serials.sort();
  EXPECT_EQ(macs.size(), 3) << macs.join(' ').toStdString();
  EXPECT_EQ(serials, (QStringList{"S1", "S2", "S3"}));
  for (const QString& serial : serials) EXPECT_TRUE(run.output.contains(serial));
  EXPECT_TRUE(run.output.contains("signal_level 5 level")) << run.output.toStdString();  // measured values
}

TEST(ProductionCli, Records_AMacPassedUnderAnotherSerialIsFlaggedAndFailsWhenTheStationSaysSo) {
  app();
  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  ASSERT_EQ(gizrig({"production", "--virtual", "--slots", "1", "--serial", "FIRST", "--db", db}).exitCode, 0);
  // The same virtual module (slot 1: the same MAC) under another serial: flagged, still a PASS by default.
  const CliRun flagged =
      gizrig({"production", "--virtual", "--slots", "1", "--serial", "SECOND", "--db", db});
  EXPECT_EQ(flagged.exitCode, 0) << flagged.output.toStdString();
  EXPECT_TRUE(flagged.output.contains("already passed as serial FIRST")) << flagged.output.toStdString();
  // A station whose file makes a duplicate a FAIL.
  QFile in(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  ASSERT_TRUE(in.open(QIODevice::ReadOnly));
  QJsonObject o = QJsonDocument::fromJson(in.readAll()).object();
  o["duplicate_fails"] = true;
  const QString strict = dir.filePath("strict.json");
  QFile out(strict);
  ASSERT_TRUE(out.open(QIODevice::WriteOnly));
  out.write(QJsonDocument(o).toJson());
  out.close();
  const CliRun failed = gizrig(
      {"production", "--virtual", "--slots", "1", "--serial", "THIRD", "--db", db, "--station", strict});
  EXPECT_EQ(failed.exitCode, 1) << failed.output.toStdString();
  EXPECT_TRUE(failed.output.contains("duplicate_check")) << failed.output.toStdString();
  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  const auto runs = store->runs({});
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].dut.serial, "THIRD");  // newest first
  EXPECT_EQ(runs[0].outcome, core::Outcome::Fail);
  EXPECT_EQ(runs[0].failingStep, "duplicate_check");
  EXPECT_FALSE(runs[0].duplicate.isEmpty());
  EXPECT_EQ(runs[1].outcome, core::Outcome::Pass);
  EXPECT_TRUE(runs[1].duplicate.contains("FIRST")) << runs[1].duplicate.toStdString();
  EXPECT_TRUE(runs[2].duplicate.isEmpty());
}

// A slot whose serial port is a pty nobody answers on: the run waits for a handshake that never comes, so a
// signal always finds it open.
class SilentPty {
 public:
  SilentPty() {
    fd_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (fd_ >= 0 && ::grantpt(fd_) == 0 && ::unlockpt(fd_) == 0)
      path_ = QString::fromLocal8Bit(::ptsname(fd_));
  }
  ~SilentPty() {
    if (fd_ >= 0) ::close(fd_);
  }
  SilentPty(const SilentPty&) = delete;
  SilentPty& operator=(const SilentPty&) = delete;
  [[nodiscard]] const QString& path() const { return path_; }

 private:
  int fd_ = -1;
  QString path_;
};

TEST(ProductionCli, Records_SigintFinishesTheOpenRunAsAbortedAndRecordsIt) {
  app();
  QTemporaryDir dir;
  SilentPty pty;
  ASSERT_FALSE(pty.path().isEmpty());
  QFile in(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  ASSERT_TRUE(in.open(QIODevice::ReadOnly));
  QJsonObject o = QJsonDocument::fromJson(in.readAll()).object();
  o["slots"] = QJsonArray{QJsonObject{{"name", "A1"}, {"serial_port", pty.path()}}};
  const QString stationFile = dir.filePath("silent.json");
  QFile out(stationFile);
  ASSERT_TRUE(out.open(QIODevice::WriteOnly));
  out.write(QJsonDocument(o).toJson());
  out.close();
  const QString db = dir.filePath("records.db");
  QProcess rig;
  rig.setProgram(GIZRIG_BINARY);
  rig.setArguments({"production", "--station", stationFile, "--db", db, "--serial", "SN-CUT"});
  rig.setProcessChannelMode(QProcess::MergedChannels);
  rig.start();
  ASSERT_TRUE(rig.waitForStarted(5000));
  QByteArray output;
  ASSERT_TRUE(spinUntil(
      [&] {
        output += rig.readAll();
        return output.contains("Ctrl-C aborts") || rig.state() == QProcess::NotRunning;
      },
      30000))
      << output.toStdString();
  ASSERT_EQ(rig.state(), QProcess::Running) << output.toStdString();
  ::kill(static_cast<pid_t>(rig.processId()), SIGINT);
  ASSERT_TRUE(rig.waitForFinished(10000));
  output += rig.readAll();
  EXPECT_EQ(rig.exitStatus(), QProcess::NormalExit);
  EXPECT_EQ(rig.exitCode(), 2);
  EXPECT_TRUE(output.contains("interrupted (SIGINT): 1 open run(s) recorded as ABORTED"))
      << output.toStdString();
  EXPECT_TRUE(output.contains("0/1 PASS, 1 ABORTED in ")) << output.toStdString();
  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  const auto runs = store->runs({});
  ASSERT_EQ(runs.size(), 1u);
  const auto full = store->run(runs[0].id);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->outcome, core::Outcome::Aborted);
  EXPECT_EQ(full->dut.serial, "SN-CUT");
  EXPECT_EQ(full->failingStep, "handshake");
  ASSERT_EQ(full->steps.size(), 1u);
  EXPECT_EQ(full->steps[0].outcome, core::Outcome::Aborted);
  EXPECT_TRUE(full->steps[0].message.contains("SIGINT")) << full->steps[0].message.toStdString();
}

TEST(ProductionCli, Records_SigtermDuringASimRunLeavesNoTemporaryDirectoryBehind) {
  app();
  QTemporaryDir dir;
  const QString tmp = dir.filePath("tmp");
  ASSERT_TRUE(QDir().mkpath(tmp));
  QProcess rig;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("TMPDIR", tmp);  // where the lab's run directory goes
  rig.setProcessEnvironment(env);
  rig.setProgram(GIZRIG_BINARY);
  rig.setArguments({"production", "--sim", "--slots", "2", "--db", dir.filePath("records.db")});
  rig.setProcessChannelMode(QProcess::MergedChannels);
  rig.start();
  ASSERT_TRUE(rig.waitForStarted(5000));
  QByteArray output;
  ASSERT_TRUE(spinUntil(
      [&] {
        output += rig.readAll();
        return !QDir(tmp).entryList({"gizrig-*"}, QDir::Dirs).isEmpty() ||
               rig.state() == QProcess::NotRunning;
      },
      30000))
      << output.toStdString();
  ::kill(static_cast<pid_t>(rig.processId()), SIGTERM);
  ASSERT_TRUE(rig.waitForFinished(30000));
  output += rig.readAll();
  EXPECT_EQ(rig.exitStatus(), QProcess::NormalExit) << output.toStdString();
  EXPECT_NE(rig.exitCode(), 1) << output.toStdString();  // stopped, or (raced) finished: never a DUT FAIL
  // The lab's address-lease lock directory is shared by every lab on the machine and stays, by design.
  QStringList left = QDir(tmp).entryList({"gizrig-*"}, QDir::Dirs);
  left.removeAll("gizrig-module-addresses");
  EXPECT_EQ(left, QStringList()) << output.toStdString();
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
