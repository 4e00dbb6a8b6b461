// The lab standing in for a real line through exactly the real-mode path (issue 12): `gizrig lab up
// --station-out` writes a station file; `gizrig production --station` and `gizrig run --station` use it as
// they would a line's, serial ports, router control and cloud included.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <functional>

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

  // The station file changed by `edit`, written as `name` in the test's directory: another line.
  QString stationEdited(const std::function<void(QJsonObject&)>& edit, const QString& name) {
    QFile in(stationFile);
    EXPECT_TRUE(in.open(QIODevice::ReadOnly));
    QJsonObject o = QJsonDocument::fromJson(in.readAll()).object();
    edit(o);
    const QString path = dir.filePath(name);
    QFile out(path);
    EXPECT_TRUE(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(o).toJson());
    return path;
  }
  // The station file without some of its equipment: a line that has less.
  QString stationWithout(const QStringList& keys) {
    return stationEdited(
        [&keys](QJsonObject& o) {
          for (const QString& key : keys) o.remove(key);
        },
        "reduced.json");
  }
  // No router control (so no phone on the module's SoftAP), the home router reached as `onboarding` says.
  QString stationOnboarding(const QString& onboarding, const QString& moduleIp = {}) {
    return stationEdited(
        [&](QJsonObject& o) {
          o.remove("routers");
          QJsonObject home = o["home_router"].toObject();
          home["onboarding"] = onboarding;
          o["home_router"] = home;
          if (!moduleIp.isEmpty()) {
            QJsonArray slotList = o["slots"].toArray();
            QJsonObject slot = slotList[0].toObject();
            slot["module_ip"] = moduleIp;
            slotList[0] = slot;
            o["slots"] = slotList;
          }
        },
        onboarding + moduleIp + ".json");
  }
  // The serial frames of the run's wire trace that the MCU side sent (the rig's lines "mcu->module 0x..").
  static QStringList mcuCommandsIn(const QString& traceDir) {
    QStringList commands;
    for (const QFileInfo& file : QDir(traceDir).entryInfoList({"*.trace"}, QDir::Files)) {
      QFile trace(file.filePath());
      if (!trace.open(QIODevice::ReadOnly)) continue;
      const QRegularExpression line(R"(serial +mcu->module +(0x[0-9A-Fa-f]{2}))");
      for (const QString& text : QString::fromUtf8(trace.readAll()).split('\n')) {
        const auto match = line.match(text);
        if (match.hasMatch()) commands << match.captured(1).toLower();
      }
    }
    return commands;
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

// Issue 12: setup "station" on a line whose rig cannot join a module's SoftAP. "mcu" hands the module the
// home router through 0x09 type 4; "on_lan" takes a module already on the LAN as it is (GAgent's wired Linux
// port), resetting nothing; a module that is not where the station says is an ERROR that says so. Without air
// control a SoftAP onboarding cannot happen: SKIPPED, and the reason names the other ways.
TEST_F(LabAsStation, S6_Issue12_SetupStationThroughTheMcuOrOnTheLanNeedsNoSoftApJoin) {
  startLab(1);
  const CliRun softAp = gizrig(
      {"run", "--station", stationOnboarding("softap"), GAGENT_FIXTURES_DIR "/scenarios/discovery.json"});
  EXPECT_EQ(softAp.exitCode, 0) << softAp.output.toStdString();
  EXPECT_TRUE(softAp.output.contains("home_router.onboarding \"mcu\" or \"on_lan\""))
      << softAp.output.toStdString();
  EXPECT_TRUE(softAp.output.contains("summary: 0 passed, 1 skipped, 0 failed, 0 errors"))
      << softAp.output.toStdString();

  const QString mcuTraces = dir.filePath("mcu-traces");
  const CliRun viaMcu = gizrig({"run", "--station", stationOnboarding("mcu"),
                                GAGENT_FIXTURES_DIR "/scenarios/discovery.json", "--trace", mcuTraces});
  ASSERT_EQ(viaMcu.exitCode, 0) << viaMcu.output.toStdString();
  EXPECT_TRUE(viaMcu.output.contains("summary: 1 passed, 0 skipped, 0 failed, 0 errors"))
      << viaMcu.output.toStdString();
  const QStringList mcuSent = mcuCommandsIn(mcuTraces);
  EXPECT_TRUE(mcuSent.contains("0x0b")) << mcuSent.join(' ').toStdString();  // reset first, as for SoftAP
  EXPECT_TRUE(mcuSent.contains("0x09")) << mcuSent.join(' ').toStdString();  // then the credentials

  // The module stays on the home router: "on_lan" uses it as it is.
  const QString lanTraces = dir.filePath("lan-traces");
  const CliRun onLan = gizrig({"run", "--station", stationOnboarding("on_lan"),
                               GAGENT_FIXTURES_DIR "/scenarios/lan-control.json", "--trace", lanTraces});
  ASSERT_EQ(onLan.exitCode, 0) << onLan.output.toStdString();
  EXPECT_TRUE(onLan.output.contains("summary: 1 passed, 0 skipped, 0 failed, 0 errors"))
      << onLan.output.toStdString();
  const QStringList lanSent = mcuCommandsIn(lanTraces);
  EXPECT_FALSE(lanSent.contains("0x0b")) << lanSent.join(' ').toStdString();
  EXPECT_FALSE(lanSent.contains("0x09")) << lanSent.join(' ').toStdString();

  // A slot whose module_ip names no module: the setup says what it saw, the run is an ERROR.
  const CliRun nobody = gizrig({"run", "--station", stationOnboarding("on_lan", "127.0.0.254"),
                                GAGENT_FIXTURES_DIR "/scenarios/discovery.json"});
  EXPECT_EQ(nobody.exitCode, 2) << nobody.output.toStdString();
  EXPECT_TRUE(nobody.output.contains("the module at 127.0.0.254 did not answer discovery"))
      << nobody.output.toStdString();
  EXPECT_TRUE(nobody.output.contains("summary: 0 passed, 0 skipped, 0 failed, 1 errors"))
      << nobody.output.toStdString();
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
