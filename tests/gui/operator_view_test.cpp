// The operator view against a real-time virtual lab: "Start virtual lab" with 2 modules, Start all, two PASS
// tiles; the view is grabbed into build/screenshots/operator.png.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include "app/gui_context.h"
#include "views/operator_slot_tile.h"
#include "views/operator_view.h"

using namespace gizrig::gui;

namespace {

// One application per test binary, never destroyed: a static QApplication torn down after main() crashes.
QApplication& app() {
  static int argc = 1;
  static char name[] = "operator_view_test";
  static char* argv[] = {name, nullptr};
  qputenv("QT_QPA_PLATFORM", "offscreen");
  static auto* application = new QApplication(argc, argv);
  return *application;
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

TEST(OperatorView, TwoVirtualModulesPassFromStartAll) {
  app();
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, dir.filePath("records.db"), dir.filePath("lab"), &clock};
  OperatorView view(context);
  view.resize(1200, 700);
  view.show();
  view.startLabAction()->trigger();
  ASSERT_TRUE(view.station().ready()) << "the virtual lab did not start";
  ASSERT_EQ(view.station().tileCount(), 2);
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
}
