// The whole certification suite through the station path (label station-suite, on demand: real time, about
// 20 minutes): every scenario PASSes or is SKIPPED with a reason on the lab standing in for a line.
//   GIZRIG_STATION_SUITE=1 ctest --test-dir build -L station-suite --output-on-failure
#include <gtest/gtest.h>

#include <QProcess>
#include <QTemporaryDir>

#include "rt_support.h"

namespace gizrig::test {
namespace {

QString gizrig(const QStringList& args, int timeoutMs, int& exitCode) {
  QProcess process;
  process.setProgram(GIZRIG_BINARY);
  process.setArguments(args);
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start();
  process.waitForFinished(timeoutMs);
  exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
  return QString::fromUtf8(process.readAll());
}

TEST(StationSuite, S4_S13_TheCertificationSuitePassesOrSkipsWithAReasonThroughTheStationPath) {
  if (qEnvironmentVariableIsEmpty("GIZRIG_STATION_SUITE"))
    GTEST_SKIP() << "set GIZRIG_STATION_SUITE=1 (about 20 min)";
  app();
  QTemporaryDir dir;
  const QString station = dir.filePath("station.json");
  int code = -1;
  const QString up = gizrig({"lab", "up", "--dir", dir.filePath("lab"), "--modules", "1", "--production",
                             "--fresh", "--station-out", station},
                            120000, code);
  ASSERT_EQ(code, 0) << up.toStdString();
  const QString run = gizrig({"run", "--station", station, GAGENT_FIXTURES_DIR "/suites/certification.json"},
                             60 * 60 * 1000, code);
  int downCode = -1;
  gizrig({"lab", "down", "--dir", dir.filePath("lab")}, 60000, downCode);
  EXPECT_EQ(code, 0) << run.toStdString();
  EXPECT_TRUE(run.contains("0 failed, 0 errors")) << run.toStdString();
  // A skip always carries its reason.
  for (const QString& line : run.split('\n')) {
    if (line.startsWith("SKIPPED")) {
      EXPECT_TRUE(run.contains("the station cannot provide")) << line.toStdString();
    }
  }
}

}  // namespace
}  // namespace gizrig::test
