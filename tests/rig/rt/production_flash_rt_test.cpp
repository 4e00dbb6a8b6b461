// Issue 14, the production flash step through the command line in real time: `gizrig production --sim` with a
// station that asks for a flash step starts its virtual modules in their ROM loaders (gagent-sim --boot rom),
// writes the image through the loader over each module's pty, the modules boot it and the test passes; a
// retest of flashed modules (a lab as the station) skips the write and says why; a module that runs its
// firmware and never enters its loader FAILs the run at the flash step with the flasher's words, exit 1.
#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "gizrig/records/sql_record_store.h"
#include "gizrig_cli.h"
#include "rt_support.h"

namespace gizrig::test {
namespace {

QString textOf(const core::StepRecord& step, const QString& name) {
  for (const core::Measurement& m : step.measurements) {
    if (m.name == name && std::holds_alternative<QString>(m.value)) return std::get<QString>(m.value);
  }
  return {};
}

double numberOf(const core::StepRecord& step, const QString& name) {
  for (const core::Measurement& m : step.measurements) {
    if (m.name == name && std::holds_alternative<double>(m.value)) return std::get<double>(m.value);
  }
  return -1;
}

class ProductionFlashCli : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    ASSERT_TRUE(dir.isValid());
    const CliRun image = gizrig({"image", "--hw-version", "GAGENTSM", "--sw-version", "04020100",
                                 "--fw-version", "25061012", "--out", dir.filePath("app.img")});
    ASSERT_EQ(image.exitCode, 0) << image.output.toStdString();
  }
  void TearDown() override {
    if (labUp) gizrig({"lab", "down", "--dir", dir.filePath("lab")}, 60000);
  }

  // `base` (a station file) with a flash step of app.img, version 04020100, written next to it.
  QString withFlash(const QString& base) {
    QFile in(base);
    EXPECT_TRUE(in.open(QIODevice::ReadOnly));
    QJsonObject o = QJsonDocument::fromJson(in.readAll()).object();
    o["flash"] = QJsonObject{{"image", dir.filePath("app.img")}, {"version", "04020100"}, {"baud", 460800}};
    const QString path = dir.filePath("flash-station.json");
    QFile out(path);
    EXPECT_TRUE(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(o).toJson());
    return path;
  }

  // A lab in the background whose file the tests use as a station; `boot` app or rom.
  QString labStation(const QString& boot) {
    const QString stationFile = dir.filePath("lab-station.json");
    const CliRun up = gizrig({"lab", "up", "--dir", dir.filePath("lab"), "--modules", "1", "--production",
                              "--fresh", "--boot", boot, "--station-out", stationFile},
                             120000);
    EXPECT_EQ(up.exitCode, 0) << up.output.toStdString();
    labUp = up.exitCode == 0;
    return withFlash(stationFile);
  }

  std::vector<core::RunRecord> stored(const QString& db) {
    QString error;
    auto store = core::SqlRecordStore::open(db, &error);
    EXPECT_TRUE(store) << error.toStdString();
    std::vector<core::RunRecord> runs;
    if (!store) return runs;
    for (const auto& header : store->runs({})) {
      if (auto full = store->run(header.id)) runs.push_back(*full);
    }
    return runs;
  }

  QTemporaryDir dir;
  bool labUp = false;
};

TEST_F(ProductionFlashCli, Issue14_SimModulesInTheirLoaderAreFlashedFirstThenPassTheTest) {
  const QString station = withFlash(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  const QString db = dir.filePath("records.db");
  const CliRun run = gizrig({"production", "--sim", "--slots", "2", "--station", station, "--db", db});
  ASSERT_EQ(run.exitCode, 0) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("[slot 1] flash")) << run.output.toStdString();
  QFile image(dir.filePath("app.img"));
  ASSERT_TRUE(image.open(QIODevice::ReadOnly));
  const QByteArray bytes = image.readAll();
  const QString md5 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
  const auto runs = stored(db);
  ASSERT_EQ(runs.size(), 2u);
  for (const core::RunRecord& r : runs) {
    EXPECT_EQ(r.outcome, core::Outcome::Pass)
        << r.failingStep.toStdString() << ": " << r.failingMessage.toStdString();
    ASSERT_EQ(r.steps.size(), 11u);
    const core::StepRecord& flash = r.steps.front();
    EXPECT_EQ(flash.name, "flash");
    EXPECT_EQ(textOf(flash, "flash"), "written");
    EXPECT_EQ(textOf(flash, "image_md5"), md5);
    EXPECT_EQ(textOf(flash, "version"), "04020100");
    EXPECT_EQ(textOf(flash, "chip"), "ESP8266");
    EXPECT_EQ(numberOf(flash, "image_bytes"), static_cast<double>(bytes.size()));
    EXPECT_GT(numberOf(flash, "flash_seconds"), 0.0);
    EXPECT_GT(numberOf(flash, "throughput"), 0.0);
    // In the loader the module answered nothing to 0x21; after booting the image it reports its version.
    EXPECT_TRUE(textOf(flash, "version_before").startsWith("no answer to 0x21"))
        << textOf(flash, "version_before").toStdString();
    EXPECT_EQ(r.versions.wifiSw, "04020100");
  }
}

TEST_F(ProductionFlashCli, Issue14_ARetestOfAFlashedModuleSkipsTheWriteAndTheRecordSaysWhy) {
  const QString station = labStation("rom");
  ASSERT_TRUE(labUp);
  const QString db = dir.filePath("records.db");
  const CliRun first = gizrig({"production", "--station", station, "--db", db, "--serial", "SN-1"});
  ASSERT_EQ(first.exitCode, 0) << first.output.toStdString();
  const CliRun again = gizrig({"production", "--station", station, "--db", db, "--serial", "SN-1"});
  ASSERT_EQ(again.exitCode, 0) << again.output.toStdString();
  EXPECT_TRUE(again.output.contains("skipped: the module already reports version 04020100 (0x22)"))
      << again.output.toStdString();
  const auto runs = stored(db);  // newest first
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(textOf(runs[1].steps.front(), "flash"), "written");
  EXPECT_EQ(textOf(runs[0].steps.front(), "flash"), "skipped");
  EXPECT_EQ(runs[0].steps.front().message, "skipped: the module already reports version 04020100 (0x22)");
  EXPECT_EQ(runs[0].outcome, core::Outcome::Pass);
}

TEST_F(ProductionFlashCli, Issue14_AModuleThatNeverEntersItsLoaderFailsAtTheFlashStepWithExitCode1) {
  const QString station = labStation("app");  // GPIO0 high: the firmware runs, on 04020000
  ASSERT_TRUE(labUp);
  const QString db = dir.filePath("records.db");
  const CliRun run = gizrig({"production", "--station", station, "--db", db});
  EXPECT_EQ(run.exitCode, 1) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("is GPIO0 low / is the module in its loader?")) << run.output.toStdString();
  const auto runs = stored(db);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].outcome, core::Outcome::Fail);
  EXPECT_EQ(runs[0].failingStep, "flash");
  ASSERT_EQ(runs[0].steps.size(), 1u);  // nothing of the test ran
  EXPECT_EQ(textOf(runs[0].steps.front(), "version_before"), "04020000");
}

TEST_F(ProductionFlashCli, Issue14_RigError_AFlashStepInVirtualTimeOrABadImageIsAUsageError) {
  const QString station = withFlash(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  const CliRun virtualRun = gizrig({"production", "--virtual", "--slots", "1", "--station", station});
  EXPECT_EQ(virtualRun.exitCode, 2);
  EXPECT_TRUE(virtualRun.output.contains("has a flash step, and virtual time has no ROM serial loader"))
      << virtualRun.output.toStdString();
  QFile::remove(dir.filePath("app.img"));
  const CliRun missing = gizrig({"production", "--sim", "--slots", "1", "--station", station});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_TRUE(
      missing.output.contains(station + ": flash.image: " + dir.filePath("app.img") + ": no such file"))
      << missing.output.toStdString();
}

}  // namespace
}  // namespace gizrig::test
