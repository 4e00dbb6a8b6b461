// gizrig export's rows: one per measurement with its limits, unit, verdict, the DUT's ids and the run's
// times; a step without measurements is one row; CSV quoting; JSON numbers.
#include "gizrig/records/record_export.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "records_samples.h"

namespace gizrig::core {
namespace {

TEST(RecordExport, Export_OneRowPerMeasurementWithLimitsUnitVerdictDutIdsAndTimes) {
  RunRecord run = samples::fullRun(3, 3);  // step 2 of run 3 fails its voltage
  StepRecord bare;
  bare.name = "exit_test";
  bare.index = 3;
  bare.startedMs = run.startedMs + 5000;
  bare.outcome = Outcome::Fail;
  bare.message = "no 0018, \"status\" stayed";
  run.steps.push_back(bare);
  finishRun(run, run.startedMs + 10'000);
  const auto rows = exportRows({run});
  ASSERT_EQ(rows.size(), 3u * 3u + 1u);
  const QStringList columns = exportColumns();
  const auto cell = [&](const QStringList& row, const char* column) {
    return row.at(columns.indexOf(column));
  };
  const QStringList& vcc = rows[6];  // step 2, first measurement
  EXPECT_EQ(cell(vcc, "measurement"), "vcc");
  EXPECT_EQ(cell(vcc, "value"), "3.9");
  EXPECT_EQ(cell(vcc, "unit"), "V");
  EXPECT_EQ(cell(vcc, "low"), "3");
  EXPECT_EQ(cell(vcc, "high"), "3.6");
  EXPECT_EQ(cell(vcc, "verdict"), "FAIL");
  EXPECT_EQ(cell(vcc, "step_outcome"), "FAIL");
  EXPECT_EQ(cell(vcc, "dut_mac"), run.dut.mac);
  EXPECT_EQ(cell(vcc, "dut_serial"), run.dut.serial);
  EXPECT_EQ(cell(vcc, "run_started"), "2023-11-14T22:16:20.000Z");  // kEpoch + 3 min, UTC
  EXPECT_EQ(cell(vcc, "run_outcome"), "FAIL");
  const QStringList& rssi = rows[1];
  EXPECT_EQ(cell(rssi, "high"), "");  // absent limit: empty
  EXPECT_EQ(cell(rows.back(), "step"), "exit_test");
  EXPECT_EQ(cell(rows.back(), "measurement"), "");

  const QString csv = QString::fromUtf8(exportCsv({run}));
  EXPECT_TRUE(csv.startsWith(columns.join(',') + "\r\n"));
  EXPECT_EQ(csv.count("\r\n"), 1 + 10);
  EXPECT_TRUE(csv.contains("\"onboarding \"\"softap\"\"\"")) << csv.toStdString();  // quotes doubled

  const QJsonArray json = QJsonDocument::fromJson(exportJson({run})).array();
  ASSERT_EQ(json.size(), 10);
  EXPECT_EQ(json[6].toObject()["value"].toDouble(), 3.9);
  EXPECT_TRUE(json[1].toObject()["high"].isNull());
  EXPECT_EQ(json[2].toObject()["value"].toString(), "04020001");  // a text value stays text
  EXPECT_TRUE(json[9].toObject()["value"].isNull());              // the step without measurements
}

}  // namespace
}  // namespace gizrig::core
