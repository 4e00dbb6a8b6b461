// The operator view against a real-time virtual lab: "Start virtual lab" with 2 modules (started off the GUI
// thread: the event loop keeps turning meanwhile), Start all, two PASS tiles, and the records' counters move;
// the view is grabbed into build/screenshots/operator.png.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>

#include "gizrig/records/sql_record_store.h"

#include "app/gui_context.h"
#include "gui_b_test_support.h"
#include "operator/operator_login.h"
#include "operator/operator_slot_tile.h"
#include "operator/operator_view.h"

using namespace gizrig::gui;

namespace {

QApplication& app() {
  return gui_b_test::app();  // offscreen, settings in a temporary directory
}

// Spins the event loop until `done` or the guard runs out (generous: the machine is shared).
template <typename Done>
bool spinUntil(Done done, int guardMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done() && timer.elapsed() < guardMs) QApplication::processEvents(QEventLoop::AllEvents, 50);
  return done();
}

void saveScreenshot(QWidget& view, const QString& name) {
  QDir().mkpath(GIZRIG_SCREENSHOT_DIR);
  const QString path = QDir(GIZRIG_SCREENSHOT_DIR).filePath(name + ".png");
  EXPECT_TRUE(view.grab().save(path)) << path.toStdString();
}

}  // namespace

TEST(OperatorView, StartsIdleWithSettingsLocked) {
  app();
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, dir.filePath("records.db"), QString(), &clock};
  OperatorView view(context);
  EXPECT_EQ(view.station().tileCount(), 2);
  ASSERT_NE(view.tileWidget(0), nullptr);
  EXPECT_EQ(view.tileWidget(0)->state(), TileState::Idle);
  EXPECT_FALSE(view.station().ready());  // line-1.json lists no ports: the virtual lab is one click away
  EXPECT_FALSE(view.engineerModeAction()->isChecked());
}

TEST(OperatorView, Issue6_TwoVirtualModulesPassFromStartAll_LabStartsOffTheGuiThread_RecordsCountersMove) {
  app();
  QTemporaryDir dir;
  // A FAIL of this station recorded earlier today (another session): the counters start from it.
  {
    QString error;
    auto store = gizrig::core::SqlRecordStore::open(dir.filePath("records.db"), &error);
    ASSERT_TRUE(store) << error.toStdString();
    gizrig::core::RunRecord old;
    old.id = QUuid::createUuid();
    old.station = QStringLiteral("EOL-1");
    old.dut.serial = QStringLiteral("SN-EARLIER");
    old.startedMs = QDateTime::currentMSecsSinceEpoch() - 1;
    gizrig::core::StepRecord step;
    step.name = QStringLiteral("signal_level");
    step.outcome = gizrig::core::Outcome::Fail;
    old.steps.push_back(step);
    gizrig::core::finishRun(old, old.startedMs);
    ASSERT_TRUE(store->saveRun(old));
  }
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, dir.filePath("records.db"), dir.filePath("lab"), &clock};
  OperatorView view(context);
  view.resize(1200, 700);
  view.show();
  EXPECT_EQ(view.station().recorded().counters().failed, 1);

  // "Nothing blocks the GUI thread": a 0-ms timer ticks while the lab comes up. With the old start on the GUI
  // thread trigger() returned with the lab up and no tick in between.
  int ticks = 0;
  QTimer ticker;
  QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
  ticker.start(0);
  int ticksWhenUp = -1;
  QObject::connect(&view.station(), &OperatorStation::labStarted, [&] { ticksWhenUp = ticks; });
  view.startLabAction()->trigger();
  EXPECT_FALSE(view.station().ready());  // trigger() returned before the lab is up
  EXPECT_TRUE(view.station().virtualLabStarting());
  EXPECT_TRUE(view.labBusyAction()->isVisible());
  EXPECT_TRUE(view.cancelLabAction()->isEnabled());
  EXPECT_FALSE(view.startLabAction()->isEnabled());
  spinUntil([&] { return ticksWhenUp >= 0; }, 50000);
  ticker.stop();
  ASSERT_TRUE(view.station().ready())
      << "the virtual lab did not start: " << view.status()->text().toStdString();
  RecordProperty("ticks_while_the_lab_started", ticksWhenUp);
  EXPECT_GT(ticksWhenUp, 10) << "the event loop stood still while the lab started";
  EXPECT_FALSE(view.labBusyAction()->isVisible());
  EXPECT_TRUE(view.startLabAction()->isEnabled());
  ASSERT_EQ(view.station().tileCount(), 2);
  view.login()->logIn(QStringLiteral("Anna"));
  view.scanned(QStringLiteral("SN-0001"));
  view.startAll();
  EXPECT_EQ(view.tileWidget(0)->state(), TileState::Running);
  EXPECT_EQ(view.station().tile(0).serial(), "SN-0001");
  const bool done =
      spinUntil([&] { return view.station().tile(0).free() && view.station().tile(1).free(); }, 50000);
  saveScreenshot(view, QStringLiteral("operator"));
  ASSERT_TRUE(done) << "the runs did not finish";
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(view.station().tile(i).state(), TileState::Pass)
        << "slot " << i << ": " << view.station().tile(i).failureText().toStdString();
    EXPECT_EQ(view.tileWidget(i)->state(), TileState::Pass);
    EXPECT_EQ(view.station().tile(i).mac().size(), 12);
  }
  const YieldCounters c = view.station().session().counters();
  EXPECT_EQ(c.tested, 2);
  EXPECT_EQ(c.passed, 2);
  EXPECT_DOUBLE_EQ(c.firstPassYield, 1.0);
  // The records' counters moved with the two runs (read back from the database after each), the earlier FAIL
  // still counted; the last results are the records', newest first.
  const YieldCounters r = view.station().recorded().counters();
  EXPECT_EQ(r.tested, 3);
  EXPECT_EQ(r.passed, 2);
  EXPECT_EQ(r.failed, 1);
  EXPECT_TRUE(view.counters()->text().contains("Tested 3\nPassed 2\nFailed 1"))
      << view.counters()->text().toStdString();
  EXPECT_TRUE(view.counters()->text().contains("This session: 2 tested, 2 passed, 0 failed"));
  ASSERT_EQ(view.lastResults()->count(), 3);
  EXPECT_TRUE(view.lastResults()->item(0)->text().contains("  PASS  "));
  EXPECT_TRUE(view.lastResults()->item(2)->text().contains("SN-EARLIER"));
}

TEST(OperatorView, Issue6_TheLabStartCanBeCancelledAndLeavesTheViewIdle) {
  app();
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, dir.filePath("records.db"), dir.filePath("lab"), &clock};
  OperatorView view(context);
  bool startedSignal = false;
  QObject::connect(&view.station(), &OperatorStation::labStarted, [&] { startedSignal = true; });
  view.startLabAction()->trigger();
  ASSERT_TRUE(view.station().virtualLabStarting());
  view.cancelLabAction()->trigger();
  // The view is free at once; the lab, once its start returned, is stopped on its own thread.
  EXPECT_FALSE(view.station().virtualLabStarting());
  EXPECT_FALSE(view.labBusyAction()->isVisible());
  EXPECT_TRUE(view.startLabAction()->isEnabled());
  EXPECT_TRUE(view.status()->text().contains("cancelled"));
  spinUntil([] { return false; }, 3000);  // the cancelled start's answer, had it not been dropped, comes now
  EXPECT_FALSE(startedSignal);
  EXPECT_FALSE(view.station().ready());
  EXPECT_FALSE(view.station().virtualLabRunning());
  // A new start after the cancel works.
  view.startLabAction()->trigger();
  spinUntil([&] { return startedSignal; }, 50000);
  EXPECT_TRUE(view.station().ready());
}
