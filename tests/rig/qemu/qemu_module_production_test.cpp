// `gizrig production` on the emulated module, from a station file whose one slot is the module's pty, as a
// line runs it on a module behind a USB-serial adapter: the steps up to production-mode entry pass, and the
// run FAILs at the first step that needs WiFi (joining a test router), with that reason, since the
// emulated board has no WiFi chip (S5.4: no test router in range).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "gizrig/records/sql_record_store.h"
#include "qemu_module.h"

namespace gizrig::test {
namespace {

constexpr int kMaxJoinMs = 15000;  // the station's own limit for the join step, short for the test

QString stationFor(const QTemporaryDir& dir, const QString& pty) {
  QFile in(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  EXPECT_TRUE(in.open(QIODevice::ReadOnly));
  QJsonObject o = QJsonDocument::fromJson(in.readAll()).object();
  o["product"] = QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json");
  QJsonObject limits = o["limits"].toObject();
  limits["max_join_ms"] = kMaxJoinMs;
  o["limits"] = limits;
  o["slots"] = QJsonArray{QJsonObject{{"name", "qemu"}, {"serial_port", pty}}};
  const QString path = dir.filePath("station.json");
  QFile out(path);
  EXPECT_TRUE(out.open(QIODevice::WriteOnly));
  out.write(QJsonDocument(o).toJson());
  return path;
}

TEST(QemuModuleProduction, S5_4_ProductionRunFailsAtTheJoinStepWithNoTestRouterInRange) {
  app();
  GAGENT_REQUIRE_QEMU_MODULE();
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  QemuModule module(dir);
  const QString error = module.start();
  ASSERT_TRUE(error.isEmpty()) << error.toStdString();

  QProcess gizrig;
  gizrig.setProcessChannelMode(QProcess::MergedChannels);
  gizrig.start(GIZRIG_BINARY, {"production", "--station", stationFor(dir, module.uart()), "--db",
                               dir.filePath("records.db"), "--serial", "SN-QEMU-1"});
  ASSERT_TRUE(gizrig.waitForStarted(10000));
  ASSERT_TRUE(gizrig.waitForFinished(180000)) << "gizrig production did not finish";
  const QString output = QString::fromUtf8(gizrig.readAll());
  EXPECT_EQ(gizrig.exitCode(), 1) << output.toStdString();  // 1: a DUT failed

  QString dbError;
  auto store = core::SqlRecordStore::open(dir.filePath("records.db"), &dbError);
  ASSERT_TRUE(store) << dbError.toStdString();
  const auto runs = store->runs({});
  ASSERT_EQ(runs.size(), 1u) << output.toStdString();
  const auto run = store->run(runs.front().id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->outcome, core::Outcome::Fail);
  EXPECT_EQ(run->dut.serial, "SN-QEMU-1");
  EXPECT_EQ(run->dut.mac.size(), 12);  // learned from 0x22 in versions_and_mac
  // Every step before the join passed; the join failed, with its reason, and the run stopped there.
  QStringList passed;
  const core::StepRecord* failed = nullptr;
  for (const core::StepRecord& step : run->steps) {
    if (step.outcome == core::Outcome::Pass) passed << step.name;
    if (step.outcome != core::Outcome::Pass && failed == nullptr) failed = &step;
  }
  EXPECT_EQ(passed, (QStringList{"handshake", "production_mode", "versions_and_mac", "test_routers_on"}))
      << output.toStdString();
  ASSERT_NE(failed, nullptr) << output.toStdString();
  EXPECT_EQ(failed->name, "join_test_router");
  EXPECT_EQ(failed->outcome, core::Outcome::Fail);
  EXPECT_TRUE(failed->message.contains("no test router joined")) << failed->message.toStdString();
  EXPECT_EQ(&run->steps.back(), failed) << "steps ran after the failed one";
  module.dumpLogOnFailure();
}

}  // namespace
}  // namespace gizrig::test
