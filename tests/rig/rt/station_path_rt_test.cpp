// The lab standing in for a real line through exactly the real-mode path (issue 12): `gizrig lab up
// --station-out` writes a station file; `gizrig production --station` and `gizrig run --station` use it as
// they would a line's, serial ports, router control and cloud included.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

#include "gizrig/production/station_config.h"
#include "gizrig/records/sql_record_store.h"
#include "gizrig_cli.h"
#include "rt_support.h"

namespace gizrig::test {
namespace {

// A lab of `modules` virtual modules in the background, brought down however the test ends.
class LabAsStation : public ::testing::Test {
 protected:
  void startLab(int modules) {
    app();
    ASSERT_TRUE(dir.isValid());
    stationFile = dir.filePath("station.json");
    const CliRun up =
        gizrig({"lab", "up", "--dir", dir.filePath("lab"), "--modules", QString::number(modules),
                "--production", "--fresh", "--station-out", stationFile},
               120000);
    ASSERT_EQ(up.exitCode, 0) << up.output.toStdString();
    labUp = true;
    QString error;
    const auto station = core::StationConfig::load(stationFile, &error);
    ASSERT_TRUE(station) << error.toStdString();
    ASSERT_EQ(station->slotConfigs.size(), modules);
    ASSERT_EQ(station->routers.size(), 1);
    ASSERT_TRUE(station->cloud.has_value());
  }
  void TearDown() override {
    if (labUp) gizrig({"lab", "down", "--dir", dir.filePath("lab")}, 60000);
  }

  // The station file without some of its equipment: a line that has less.
  QString stationWithout(const QStringList& keys) {
    QFile in(stationFile);
    EXPECT_TRUE(in.open(QIODevice::ReadOnly));
    QJsonObject o = QJsonDocument::fromJson(in.readAll()).object();
    for (const QString& key : keys) o.remove(key);
    const QString path = dir.filePath("reduced.json");
    QFile out(path);
    EXPECT_TRUE(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(o).toJson());
    return path;
  }

  QTemporaryDir dir;
  QString stationFile;
  bool labUp = false;
};

TEST_F(LabAsStation, S5_ProductionTwiceInARowOnTheSameModulesPassesAndTheRetestSaysItRestarted) {
  startLab(2);
  const QString db = dir.filePath("records.db");
  for (int run = 0; run < 2; ++run) {
    const CliRun production =
        gizrig({"production", "--station", stationFile, "--db", db, "--serial", "SN-1,SN-2"});
    ASSERT_EQ(production.exitCode, 0) << "run " << run + 1 << ":\n" << production.output.toStdString();
  }
  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  const auto runs = store->runs({});
  ASSERT_EQ(runs.size(), 4u);
  int restarted = 0;
  for (const auto& header : runs) {
    const auto full = store->run(header.id);
    ASSERT_TRUE(full);
    EXPECT_EQ(full->outcome, core::Outcome::Pass);
    ASSERT_FALSE(full->steps.empty());
    EXPECT_EQ(full->steps.front().name, "handshake");
    for (const core::Measurement& m : full->steps.front().measurements)
      restarted += m.name == "module_restart" ? 1 : 0;
  }
  // The second gizrig process met modules that stayed powered: it restarted both (0x29) and recorded it.
  EXPECT_GE(restarted, 2);
}

TEST_F(LabAsStation, S7_SmokeScenariosPassThroughTheStationAndWhatItLacksIsSkipped) {
  startLab(1);
  const QString junit = dir.filePath("smoke.xml");
  const QString db = dir.filePath("smoke.db");
  const QString traces = dir.filePath("traces");
  const CliRun smoke =
      gizrig({"run", "--station", stationFile, "--slot", "1", GAGENT_FIXTURES_DIR "/suites/smoke.json",
              "--junit", junit, "--db", db, "--trace", traces});
  ASSERT_EQ(smoke.exitCode, 0) << smoke.output.toStdString();
  EXPECT_TRUE(smoke.output.contains("summary: 6 passed, 0 skipped, 0 failed, 0 errors"))
      << smoke.output.toStdString();
  EXPECT_TRUE(QFile::exists(junit));
  // Issue 12, --trace: every run's record names its own wire trace, serial and LAN both in it.
  QString error;
  auto store = core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store) << error.toStdString();
  const auto runs = store->runs({});
  ASSERT_EQ(runs.size(), 6u);
  QSet<QString> files;
  int withLan = 0;
  for (const auto& run : runs) {
    ASSERT_TRUE(run.trace.startsWith(traces))
        << run.scenario.toStdString() << ": " << run.trace.toStdString();
    files.insert(run.trace);
    QFile trace(run.trace);
    ASSERT_TRUE(trace.open(QIODevice::ReadOnly)) << run.trace.toStdString();
    const QString text = QString::fromUtf8(trace.readAll());
    EXPECT_TRUE(text.contains("scenario \"" + run.scenario + "\"")) << text.left(200).toStdString();
    EXPECT_TRUE(text.contains(QRegularExpression(R"(serial +(module->mcu|mcu->module) +0x)")))
        << run.scenario.toStdString();
    withLan += text.contains(QRegularExpression(R"(\n\+ *[0-9.]+ s  lan )")) ? 1 : 0;
  }
  EXPECT_EQ(files.size(), 6);  // one file per run
  EXPECT_GE(withLan, 3) << "discovery, login and control scenarios speak on the LAN";

  // The same module on a station without router control and without the cloud: cloud-login cannot run there.
  const QString reduced = stationWithout({"cloud", "routers"});
  const CliRun skipped =
      gizrig({"run", "--station", reduced, GAGENT_FIXTURES_DIR "/scenarios/cloud-login.json"});
  EXPECT_EQ(skipped.exitCode, 0) << skipped.output.toStdString();
  EXPECT_TRUE(skipped.output.contains("SKIPPED Register, provision, login, subscribe"))
      << skipped.output.toStdString();
  EXPECT_TRUE(skipped.output.contains("the station cannot provide")) << skipped.output.toStdString();
  EXPECT_TRUE(skipped.output.contains("summary: 0 passed, 1 skipped, 0 failed, 0 errors"))
      << skipped.output.toStdString();
}

TEST_F(LabAsStation, RigError_AStationFileWithATypoIsAUsageErrorNamingTheField) {
  app();
  const QString path = dir.filePath("typo.json");
  QFile out(path);
  ASSERT_TRUE(out.open(QIODevice::WriteOnly));
  out.write(R"({"station": "s", "product": "products/gokit-demo.json",
                "slots": [{"serial_port": "/dev/ttyUSB0"}, {"serial_port": "/dev/ttyUSB1", "module_ip": "10.77.0.300"}]})");
  out.close();
  const CliRun run = gizrig({"run", "--station", path, GAGENT_FIXTURES_DIR "/scenarios/discovery.json"});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_TRUE(run.output.contains(path + ": slots[1].module_ip: bad IPv4 address \"10.77.0.300\""))
      << run.output.toStdString();
}

}  // namespace
}  // namespace gizrig::test
