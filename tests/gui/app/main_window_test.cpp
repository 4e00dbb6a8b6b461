// Issue 6: one application for the three roles. An engineer at the line opens a running slot's serial
// console from the operator's tile (its context menu): the engineer tab shows that slot's frames live, and
// closes by itself when the operator's lab goes away.
#include <gtest/gtest.h>

#include <QAction>
#include <QTabWidget>
#include <QTemporaryDir>

#include "app/main_window.h"
#include "engineer/engineer_console.h"
#include "engineer/engineer_frame_model.h"
#include "engineer/engineer_session.h"
#include "engineer/engineer_view.h"
#include "gizrig/clock/rig_clock.h"
#include "gizrig/plugs/mcu_capture.h"
#include "gui_b_test_support.h"
#include "lab_process_support.h"
#include "operator/operator_login.h"
#include "operator/operator_slot_tile.h"
#include "operator/operator_view.h"

using namespace gizrig::gui;
using gui_b_test::waitUntil;

TEST(MainWindow, Issue6_ATilesContextMenuOpensTheSlotsSerialConsoleInTheEngineerTab) {
  gui_b_test::app();
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, dir.filePath("records.db"), dir.filePath("lab"), &clock};
  MainWindow window(context);
  auto* tabs = window.findChild<QTabWidget*>();
  auto* operatorView = window.findChild<OperatorView*>();
  auto* engineerView = window.findChild<EngineerView*>();
  ASSERT_NE(tabs, nullptr);
  ASSERT_NE(operatorView, nullptr);
  ASSERT_NE(engineerView, nullptr);

  operatorView->station().setSlotCount(1);
  operatorView->startLabAction()->trigger();
  ASSERT_TRUE(waitUntil([&] { return operatorView->station().ready(); }, 50000))
      << "the virtual lab did not start";
  OperatorSlotTile* tile = operatorView->tileWidget(0);
  ASSERT_NE(tile, nullptr);
  EXPECT_EQ(tile->contextMenuPolicy(), Qt::ActionsContextMenu);
  ASSERT_TRUE(tile->actions().contains(tile->engineerAction()));
  tile->engineerAction()->trigger();
  EXPECT_EQ(tabs->currentWidget(), engineerView);
  EXPECT_EQ(engineerView->session().kind(), EngineerSession::Kind::Attached);
  EXPECT_EQ(engineerView->session().mcu(), operatorView->station().slotMcu(0));

  // The production run's frames show up in the engineer's console as they happen: the module's production
  // test request (0x13 from the MCU side starts S5) among them.
  const int before = engineerView->console()->model()->rowCount();
  operatorView->login()->logIn(QStringLiteral("Anna"));  // nothing starts without an operator (issue 13)
  operatorView->startAll();
  ASSERT_TRUE(waitUntil([&] { return operatorView->station().tile(0).free(); }, 50000));
  EXPECT_GT(engineerView->console()->model()->rowCount(), before);
  bool sawProductionRequest = false;
  for (const auto& e : engineerView->console()->model()->entries())
    sawProductionRequest |= commandCode(e) == "0x13" && e.direction == gizrig::core::FrameDirection::FromMcu;
  EXPECT_TRUE(sawProductionRequest);

  // The operator stops the lab: its plugs go, and the engineer's session closes with them (no dangling plug).
  operatorView->station().stopVirtualLab();
  EXPECT_EQ(engineerView->session().kind(), EngineerSession::Kind::None);
  EXPECT_EQ(engineerView->session().mcu(), nullptr);
}
