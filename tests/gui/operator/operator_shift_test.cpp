// Issue 13, operator station, what needs no lab: the counters' first-pass yield before any test, the last
// results (newest first, with times, wrapped), the shift's statistics (histograms with limits, Cpk), the
// export (the same as `gizrig export`), the persisted settings, and the engineer password of the station
// file.
#include <gtest/gtest.h>

#include <qcustomplot.h>
#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include "app/gui_settings.h"
#include "gizrig/records/record_export.h"
#include "gizrig/records/sql_record_store.h"
#include "gui_b_test_support.h"
#include "operator/operator_settings.h"
#include "operator/operator_stats.h"
#include "operator/operator_view.h"

using namespace gizrig::gui;
using gizrig::core::Measurement;
using gizrig::core::Outcome;
using gizrig::core::RunRecord;
using gizrig::core::StepRecord;

namespace {

// A finished production-like run of EOL-1 with the values the statistics plot.
RunRecord measuredRun(const QString& serial, std::int64_t startedMs, double signal, double joinMs,
                      double loginMs, const QString& failing = {}) {
  RunRecord r;
  r.id = QUuid::createUuid();
  r.station = QStringLiteral("EOL-1");
  r.slot = QStringLiteral("1");
  r.dut.serial = serial;
  r.dut.mac = QStringLiteral("0200000000%1").arg(serial.right(2));
  r.scenario = QStringLiteral("production");
  r.startedMs = startedMs;
  StepRecord join;
  join.name = QStringLiteral("join_test_router");
  join.startedMs = startedMs;
  join.measurements.push_back(Measurement{"join_time", joinMs, "ms", std::nullopt, 60000.0, Outcome::Pass});
  StepRecord login;
  login.name = QStringLiteral("passcode_login");
  login.index = 1;
  login.startedMs = startedMs;
  // Two-sided limits (a station that wants a login neither instant nor slow): Cpk applies.
  login.measurements.push_back(Measurement{"login_round_trip", loginMs, "ms", 0.0, 400.0, Outcome::Pass});
  StepRecord level;
  level.name = QStringLiteral("signal_level");
  level.index = 2;
  level.startedMs = startedMs;
  level.measurements.push_back(
      Measurement{"signal_level", signal, "level", 3.0, std::nullopt, Outcome::Pass});
  for (StepRecord* step : {&join, &login, &level}) {
    gizrig::core::judgeStep(*step);
    r.steps.push_back(*step);
  }
  if (!failing.isEmpty()) {
    StepRecord bad;
    bad.name = failing;
    bad.index = 3;
    bad.startedMs = startedMs;
    bad.outcome = Outcome::Fail;
    bad.message = QStringLiteral("no discovery answer from the module %1 after 5 requests").arg(r.dut.mac);
    r.steps.push_back(bad);
  }
  gizrig::core::finishRun(r, startedMs + 4000);
  return r;
}

class OperatorShift : public ::testing::Test {
 protected:
  void SetUp() override {
    gui_b_test::app();
    gui_b_test::clearSettings();
  }
  void prefill(const std::vector<RunRecord>& runs) {
    QString error;
    auto store = gizrig::core::SqlRecordStore::open(db, &error);
    ASSERT_TRUE(store) << error.toStdString();
    for (const RunRecord& r : runs) ASSERT_TRUE(store->saveRun(r)) << store->lastError().toStdString();
  }

  QTemporaryDir dir;
  const QString db = dir.filePath("records.db");
  const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, db, QString(), &clock};
};

}  // namespace

TEST_F(OperatorShift, Issue13_FirstPassYieldShowsADashBeforeAnyDutWasJudged) {
  OperatorView view(context);
  EXPECT_TRUE(view.counters()->text().contains("Tested 0")) << view.counters()->text().toStdString();
  EXPECT_TRUE(view.counters()->text().contains("First-pass yield -"))
      << view.counters()->text().toStdString();
  EXPECT_FALSE(view.counters()->text().contains("0.0 %"));
}

TEST_F(OperatorShift, Issue13_LastResultsAreNewestFirstWithTimesAndWrapWithoutAHorizontalScrollBar) {
  prefill({measuredRun("SN-01", now - 60000, 5, 1200, 150),
           measuredRun("SN-02", now - 40000, 5, 1300, 160, QStringLiteral("lan_discovery")),
           measuredRun("SN-03", now - 20000, 6, 1100, 170)});
  OperatorView view(context);
  view.resize(1400, 820);  // the screenshot size, the window's default
  view.show();
  QCoreApplication::processEvents();
  QListWidget* list = view.lastResults();
  ASSERT_EQ(list->count(), 3);
  const QRegularExpression timeFirst(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d  "));
  const QStringList order{"SN-03", "SN-02", "SN-01"};
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(timeFirst.match(list->item(i)->text()).hasMatch()) << list->item(i)->text().toStdString();
    EXPECT_TRUE(list->item(i)->text().contains(order[i])) << list->item(i)->text().toStdString();
  }
  const QString expectedTime = QDateTime::fromMSecsSinceEpoch(now - 20000 + 4000).toString("HH:mm:ss");
  EXPECT_TRUE(list->item(0)->text().startsWith(expectedTime)) << list->item(0)->text().toStdString();
  // The FAIL's reason is long; it wraps inside the list instead of running off to the right.
  EXPECT_TRUE(list->item(1)->text().contains("cannot be found on the network"));
  EXPECT_EQ(list->horizontalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
  EXPECT_FALSE(list->horizontalScrollBar()->isVisible());
  for (int i = 0; i < list->count(); ++i)
    EXPECT_LE(list->visualItemRect(list->item(i)).right(), list->viewport()->width()) << i;
  EXPECT_GT(list->visualItemRect(list->item(1)).height(), list->visualItemRect(list->item(0)).height())
      << "the long line is not wrapped";
  ASSERT_TRUE(gui_b_test::screenshot(view, "operator-last-results"));
}

TEST_F(OperatorShift, Issue13_StatisticsShowNoDataYetBeforeAnyRun) {
  OperatorView view(context);
  for (const QString& name : OperatorStats::measurementNames()) {
    EXPECT_TRUE(view.statistics()->showsNoData(name)) << name.toStdString();
    EXPECT_EQ(view.statistics()->sampleCount(name), 0);
  }
  view.pages()->setCurrentWidget(view.statistics());
  ASSERT_TRUE(gui_b_test::screenshot(view, "operator-statistics-empty"));
}

TEST_F(OperatorShift, Issue13_StatisticsAHistogramPerMeasurementWithItsLimitsAndCpk_RefreshedAsRunsFinish) {
  std::vector<RunRecord> runs;
  const double levels[] = {4, 5, 5, 6, 5, 4, 6, 5};
  for (int i = 0; i < 8; ++i)
    runs.push_back(measuredRun(QStringLiteral("SN-%1").arg(10 + i), now - 100000 + i * 1000, levels[i],
                               1000 + 100 * i, 150 + 10 * (i % 4)));
  prefill(runs);
  OperatorView view(context);
  OperatorStats& stats = *view.statistics();
  EXPECT_EQ(stats.sampleCount("signal_level"), 8);
  EXPECT_EQ(stats.limitLines("signal_level"), QList<double>{3.0});  // the lower limit, drawn
  EXPECT_EQ(stats.limitLines("join_time"), QList<double>{60000.0});
  EXPECT_TRUE(stats.limitOnScale("signal_level", 3.0));
  EXPECT_TRUE(stats.limitOnScale("login_round_trip", 400.0));
  // 60 s over joins of 1-1.7 s: named at the edge, so the bars keep their shape.
  EXPECT_FALSE(stats.limitOnScale("join_time", 60000.0));
  EXPECT_TRUE(stats.limitOnScale("join_time", 1350.0));
  EXPECT_EQ(stats.limitLines("login_round_trip"), (QList<double>{0.0, 400.0}));
  EXPECT_TRUE(stats.summary("login_round_trip").contains("Cpk"))
      << stats.summary("login_round_trip").toStdString();
  EXPECT_TRUE(stats.summary("signal_level").contains("Cpl")) << stats.summary("signal_level").toStdString();
  EXPECT_FALSE(stats.summary("signal_level").contains("Cpk"));  // one-sided: no Cpk
  EXPECT_TRUE(stats.summary("join_time").contains("Cpu"));
  EXPECT_FALSE(stats.showsNoData("signal_level"));
  EXPECT_TRUE(stats.showsNoData("back_to_softap"));  // never measured in these records
  // The bars hold every run.
  auto* bars = qobject_cast<QCPBars*>(stats.plot("signal_level")->plottable(0));
  ASSERT_NE(bars, nullptr);
  double total = 0;
  for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) total += it->value;
  EXPECT_DOUBLE_EQ(total, 8);
  view.pages()->setCurrentWidget(view.statistics());
  ASSERT_TRUE(gui_b_test::screenshot(view, "operator-statistics"));

  // A run finishes (recorded by any session of the station): the plots take it in at the refresh that
  // follows every finished run.
  prefill({measuredRun("SN-99", now - 500, 7, 2500, 180)});
  view.station().refreshRecorded();
  EXPECT_EQ(stats.sampleCount("signal_level"), 9);
}

TEST_F(OperatorShift, Issue13_TheGuiExportWritesWhatGizrigExportWrites) {
  prefill({measuredRun("SN-01", now - 60000, 5, 1200, 150),
           measuredRun("SN-02", now - 40000, 2, 1300, 160, QStringLiteral("lan_discovery"))});
  RunRecord other = measuredRun("SN-X", now - 30000, 5, 1200, 150);
  other.station = QStringLiteral("EOL-2");
  prefill({other});
  OperatorView view(context);
  QString error;
  ASSERT_TRUE(view.exportShift(dir.filePath("shift.csv"), &error)) << error.toStdString();
  ASSERT_TRUE(view.exportShift(dir.filePath("shift.json"), &error)) << error.toStdString();
  // The library gizrig export writes with, over the same query (this station since the shift start).
  auto store = gizrig::core::SqlRecordStore::open(db, &error);
  ASSERT_TRUE(store);
  gizrig::core::RunQuery query;
  query.station = QStringLiteral("EOL-1");
  query.fromMs = view.station().shiftStartMs();
  const auto runs = gizrig::core::runsForExport(*store, query, &error);
  ASSERT_TRUE(runs) << error.toStdString();
  ASSERT_EQ(runs->size(), 2u);
  QFile csv(dir.filePath("shift.csv"));
  ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
  EXPECT_EQ(csv.readAll(), gizrig::core::exportCsv(*runs));
  QFile json(dir.filePath("shift.json"));
  ASSERT_TRUE(json.open(QIODevice::ReadOnly));
  EXPECT_EQ(json.readAll(), gizrig::core::exportJson(*runs));
  EXPECT_TRUE(view.status()->text().contains("Exported 2 run(s)")) << view.status()->text().toStdString();
  EXPECT_FALSE(view.exportShift("/nonexistent/dir/shift.csv", &error));
}

TEST_F(OperatorShift, Issue13_StationFileSlotCountAndDatabaseArePersistedAndComeBackAfterARestart) {
  QTemporaryDir other;
  const QString otherDb = other.filePath("line.db");
  {
    OperatorView view(context);
    ASSERT_TRUE(view.unlockEngineerMode(QString()));  // line-1.json has no engineer password
    view.settings()->slotsField()->setValue(3);
    view.settings()->recordsDbField()->setText(otherDb);
    view.settings()->applyButton()->click();
    EXPECT_EQ(view.station().slotCount(), 3);
  }
  // Written to the test's own settings file, never the user's.
  QSettings saved(QSettings::IniFormat, QSettings::UserScope, "gizrig", "gizrig-gui");
  EXPECT_TRUE(saved.fileName().startsWith(gui_b_test::settingsDir())) << saved.fileName().toStdString();
  EXPECT_EQ(saved.value(settingsKey::kSlotCount).toInt(), 3);
  // A restart: the window opens the saved database unless --db says otherwise, and the saved station.
  EXPECT_EQ(recordsDbToOpen(false, QString(), "fallback.db"), otherDb);
  EXPECT_EQ(recordsDbToOpen(true, "given.db", "fallback.db"), "given.db");
  GuiContext restarted{GAGENT_FIXTURES_DIR, recordsDbToOpen(false, QString(), db), QString(), &clock};
  OperatorView view(restarted);
  EXPECT_EQ(view.station().slotCount(), 3);
  EXPECT_EQ(view.station().tileCount(), 3);
  EXPECT_EQ(view.settings()->recordsDb(), otherDb);
  EXPECT_TRUE(view.settings()->stationFile().endsWith("stations/line-1.json"));
}

TEST_F(OperatorShift, Issue13_EngineerModeAsksForTheStationFilesPassword) {
  QFile line1(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  ASSERT_TRUE(line1.open(QIODevice::ReadOnly));
  QByteArray json = line1.readAll();
  json.replace("\"station\": \"EOL-1\",", "\"station\": \"EOL-1\", \"engineer_password\": \"sesame\",");
  const QString station = dir.filePath("line-eng.json");
  QFile file(station);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(json);
  file.close();
  // The product path is relative to the fixtures; the station file may live anywhere.
  {
    QSettings saved(QSettings::IniFormat, QSettings::UserScope, "gizrig", "gizrig-gui");
    saved.setValue(settingsKey::kStationFile, station);
  }
  OperatorView view(context);
  ASSERT_EQ(view.station().config().engineerPassword, "sesame") << view.status()->text().toStdString();
  EXPECT_FALSE(view.settings()->isEnabled());
  EXPECT_FALSE(view.unlockEngineerMode("open sesame"));
  EXPECT_FALSE(view.settings()->isEnabled());
  EXPECT_FALSE(view.engineerModeAction()->isChecked());
  EXPECT_TRUE(view.status()->text().contains("Wrong engineer password"));

  // The toolbar's Engineer mode: a password dialog; typed right, the settings unlock.
  bool asked = false;
  QTimer answer;
  QObject::connect(&answer, &QTimer::timeout, [&] {
    auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
    if (dialog == nullptr) return;
    asked = true;
    EXPECT_EQ(dialog->textEchoMode(), QLineEdit::Password);
    dialog->setTextValue("sesame");
    dialog->accept();
  });
  answer.start(20);
  view.engineerModeAction()->trigger();
  answer.stop();
  EXPECT_TRUE(asked);
  EXPECT_TRUE(view.settings()->isEnabled());
  EXPECT_TRUE(view.engineerModeAction()->isChecked());
  view.engineerModeAction()->trigger();  // off again: no password needed to lock
  EXPECT_FALSE(view.settings()->isEnabled());
}
