// Issue 13, engineer view: the selected frame in full in a detail pane (checksum verdict, fields one a line,
// raw bytes with offsets, so nothing hides past the table's edge), and no action button clickable while no
// module is open.
#include <gtest/gtest.h>

#include <QPushButton>
#include <QTableView>

#include "engineer/engineer_composer.h"
#include "engineer/engineer_console.h"
#include "engineer/engineer_frame_detail.h"
#include "engineer/engineer_frame_filter.h"
#include "engineer/engineer_frame_model.h"
#include "engineer/engineer_lan.h"
#include "engineer/engineer_ota.h"
#include "engineer_test_fixture.h"

using namespace gizrig::gui;
using gizrig::core::FrameDirection;
using gizrig::core::FrameLogEntry;

TEST(FrameDetail, Issue13_TheDetailShowsTheChecksumVerdictFieldsAndEveryRawByteWithOffsets) {
  FrameLogEntry entry;
  entry.time = 12345;
  entry.direction = FrameDirection::FromMcu;
  entry.name = QStringLiteral("0x05 report");
  entry.ok = false;
  entry.error = QStringLiteral("bad checksum");
  entry.fault = QStringLiteral("bad checksum");
  entry.fields = {{QStringLiteral("sn"), QStringLiteral("7")},
                  {QStringLiteral("LED_R"), QStringLiteral("true")}};
  for (int i = 0; i < 40; ++i) entry.raw.append(static_cast<char>(i == 0 || i == 1 ? 0xFF : i));
  const QString text = frameDetailText(entry);
  EXPECT_TRUE(text.contains("0x05 report    MCU → module    t = 12.345 s")) << text.toStdString();
  EXPECT_TRUE(text.contains("Checksum: bad: bad checksum (fault: bad checksum)")) << text.toStdString();
  EXPECT_TRUE(text.contains("\n  sn = 7\n  LED_R = true\n")) << text.toStdString();
  EXPECT_TRUE(text.contains("Raw (40 bytes):")) << text.toStdString();
  EXPECT_TRUE(text.contains("  0000  FF FF 02 03")) << text.toStdString();
  EXPECT_TRUE(text.contains("  0010  10 11")) << text.toStdString();
  EXPECT_TRUE(text.contains("  0020  20 21 22 23 24 25 26 27")) << text.toStdString();
}

namespace {

class EngineerDetailTest : public gui_b_test::EngineerViewFixture {
 protected:
  QList<QPushButton*> actionButtons() const {
    QList<QPushButton*> buttons = view_->composer()->findChildren<QPushButton*>();
    buttons += view_->lanView()->findChildren<QPushButton*>();
    for (auto* b : view_->otaPanel()->findChildren<QPushButton*>())
      if (b->text().startsWith("Publish and push")) buttons << b;
    return buttons;
  }
};

}  // namespace

TEST_F(EngineerDetailTest, Issue13_ActionButtonsAreDisabledWhileNoModuleIsOpen) {
  const auto buttons = actionButtons();
  ASSERT_GE(buttons.size(), 15);
  for (QPushButton* b : buttons) EXPECT_FALSE(b->isEnabled()) << b->text().toStdString();
  ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")));
  view_->session().setPumping(false);
  for (QPushButton* b : buttons) EXPECT_TRUE(b->isEnabled()) << b->text().toStdString();
  view_->closeModule();
  for (QPushButton* b : buttons) EXPECT_FALSE(b->isEnabled()) << b->text().toStdString();
  EXPECT_TRUE(view_->lastMessage().contains("module closed")) << view_->lastMessage().toStdString();
}

TEST_F(EngineerDetailTest, Issue13_SelectingAFrameShowsItInFullInTheDetailPane) {
  ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")));
  view_->session().setPumping(false);
  const auto found = [&] {
    const auto& entries = view_->console()->model()->entries();
    for (int i = 0; i < entries.size(); ++i)
      if (commandCode(entries[i]) == "0x02") return i;
    return -1;
  };
  ASSERT_TRUE(runUntil([&] { return found() >= 0; }, 10000));
  EXPECT_TRUE(view_->console()->detail()->toPlainText().startsWith("Select a frame"));
  const FrameLogEntry entry = view_->console()->model()->entries()[found()];
  QTableView* table = view_->console()->table();
  table->setCurrentIndex(
      view_->console()->proxy()->mapFromSource(view_->console()->model()->index(found(), 0)));
  const QString detail = view_->console()->detail()->toPlainText();
  EXPECT_EQ(detail, frameDetailText(entry));
  EXPECT_TRUE(detail.contains("protocol_ver = 00000004")) << detail.toStdString();
  EXPECT_TRUE(detail.contains("Checksum: ok")) << detail.toStdString();
  // Every byte is there (a 0x02 is longer than the Raw hex column shows).
  const qsizetype lastLine = (entry.raw.size() - 1) / 16 * 16;
  EXPECT_TRUE(detail.contains(spacedHex(entry.raw.mid(lastLine)))) << detail.toStdString();
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-detail"));
  view_->console()->clear();
  EXPECT_TRUE(view_->console()->detail()->toPlainText().startsWith("Select a frame"));
}
