// The whole certification suite through the station path (label station-suite, on demand: real time, about
// 20 minutes): every scenario PASSes or is SKIPPED with a reason on the lab standing in for a line.
//   GIZRIG_STATION_SUITE=1 ctest --test-dir build -L station-suite --output-on-failure
#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "gizrig_cli.h"
#include "rt_support.h"

namespace gizrig::test {
namespace {

TEST(StationSuite, S4_S13_TheCertificationSuitePassesOrSkipsWithAReasonThroughTheStationPath) {
  if (qEnvironmentVariableIsEmpty("GIZRIG_STATION_SUITE"))
    GTEST_SKIP() << "set GIZRIG_STATION_SUITE=1 (about 20 min)";
  app();
  QTemporaryDir dir;
  const QString station = dir.filePath("station.json");
  const CliRun up = gizrig({"lab", "up", "--dir", dir.filePath("lab"), "--modules", "1", "--production",
                            "--fresh", "--station-out", station});
  ASSERT_EQ(up.exitCode, 0) << up.output.toStdString();
  const CliRun suite =
      gizrig({"run", "--station", station, GAGENT_FIXTURES_DIR "/suites/certification.json"}, 60 * 60 * 1000);
  gizrig({"lab", "down", "--dir", dir.filePath("lab")}, 60000);
  EXPECT_EQ(suite.exitCode, 0) << suite.output.toStdString();
  EXPECT_TRUE(suite.output.contains(" 0 failed, 0 errors")) << suite.output.toStdString();
  // A skip always carries its reason, on the line below it.
  const QStringList lines = suite.output.split('\n');
  for (qsizetype i = 0; i < lines.size(); ++i) {
    if (!lines[i].startsWith("SKIPPED")) continue;
    EXPECT_TRUE(lines.value(i + 1).contains("the station cannot provide")) << lines[i].toStdString();
  }
}

}  // namespace
}  // namespace gizrig::test
