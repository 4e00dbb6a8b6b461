// Issue 13, engineer view: the composer sends raw hex typed by the user (refusing non-hex characters and odd
// digit counts with a reason) and arms the MCU plug's faults from the GUI - bad checksum, unstuffed FF, split
// frames, late ACK (§1.5), silence - each seen on the wire in the frame table; nothing in it is clickable
// while no module is open.
#include <gtest/gtest.h>

#include <QCheckBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

#include "engineer/engineer_composer.h"
#include "engineer/engineer_console.h"
#include "engineer/engineer_frame_filter.h"
#include "engineer/engineer_frame_model.h"
#include "engineer/engineer_inject.h"
#include "engineer_test_fixture.h"
#include "gizrig/plugs/mcu_plug.h"

using namespace gizrig::gui;
using gizrig::core::FrameDirection;
using gizrig::core::FrameLogEntry;

namespace {

class EngineerComposerTest : public gui_b_test::EngineerViewFixture {
 protected:
  void startModule() {
    ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")))
        << view_->lastMessage().toStdString();
    view_->session().setPumping(false);
    ASSERT_TRUE(runUntil([&] { return count("0x02", FrameDirection::FromMcu) > 0; }, 10000));
  }
  int count(const QString& code, FrameDirection dir) const {
    int n = 0;
    for (const auto& e : view_->console()->model()->entries())
      if (commandCode(e) == code && e.direction == dir) ++n;
    return n;
  }
  // The last frame the MCU sent with command `code`, or null.
  const FrameLogEntry* lastFromMcu(const QString& code) const {
    const auto& entries = view_->console()->model()->entries();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
      if (commandCode(*it) == code && it->direction == FrameDirection::FromMcu) return &*it;
    return nullptr;
  }
  // Sends a 0x05 report and waits for it to be logged; the new frame.
  const FrameLogEntry* sendReport() {
    const int before = count("0x05", FrameDirection::FromMcu);
    view_->composer()->sendReport();
    if (!runUntil([&] { return count("0x05", FrameDirection::FromMcu) > before; }, 3000)) return nullptr;
    return lastFromMcu("0x05");
  }
  template <typename W>
  W* child(const char* name) const {
    return view_->composer()->findChild<W*>(QLatin1String(name));
  }
};

}  // namespace

TEST(EngineerHexParse, Issue13_RawHexRefusesANonHexCharacterOrAnOddCountWithTheReason) {
  QString error;
  EXPECT_EQ(parseHexBytes("ff ff 00 05-0a:0B", error), QByteArray::fromHex("ffff00050a0b"));
  EXPECT_TRUE(error.isEmpty());
  EXPECT_TRUE(parseHexBytes("FF FG", error).isEmpty());
  EXPECT_TRUE(error.contains("'G' at position 5 is not a hex digit")) << error.toStdString();
  EXPECT_TRUE(parseHexBytes("FF F", error).isEmpty());
  EXPECT_TRUE(error.contains("3 hex digits: an odd count")) << error.toStdString();
  EXPECT_TRUE(parseHexBytes("   ", error).isEmpty());
  EXPECT_TRUE(error.contains("type the bytes")) << error.toStdString();
}

TEST_F(EngineerComposerTest, Issue13_ComposerIsDisabledWhileNoModuleIsOpen) {
  EXPECT_FALSE(child<QPushButton>("cmd_reset_")->isEnabled());
  EXPECT_FALSE(child<QPushButton>("sendRaw")->isEnabled());
  EXPECT_FALSE(child<QPushButton>("faultChecksum")->isEnabled());
  EXPECT_FALSE(child<QPushButton>("sendReport")->isEnabled());
  startModule();
  EXPECT_TRUE(child<QPushButton>("cmd_reset_")->isEnabled());
  EXPECT_TRUE(child<QPushButton>("sendRaw")->isEnabled());
  EXPECT_TRUE(child<QPushButton>("faultChecksum")->isEnabled());
  view_->closeModule();
  EXPECT_FALSE(child<QPushButton>("cmd_reset_")->isEnabled());
  EXPECT_FALSE(child<QPushButton>("faultChecksum")->isEnabled());
}

TEST_F(EngineerComposerTest, Issue13_RawHexTypedByTheUserGoesOutAsTyped) {
  startModule();
  const auto rows = view_->console()->model()->rowCount();
  // A typo is refused with the reason, and nothing goes out.
  child<QLineEdit>("rawHex")->setText("FF FF 00 0X");
  child<QPushButton>("sendRaw")->click();
  EXPECT_TRUE(view_->lastMessage().contains("'X' at position 11 is not a hex digit"))
      << view_->lastMessage().toStdString();
  child<QLineEdit>("rawHex")->setText("FF FF 0");
  child<QPushButton>("sendRaw")->click();
  EXPECT_TRUE(view_->lastMessage().contains("odd count")) << view_->lastMessage().toStdString();
  EXPECT_EQ(view_->console()->model()->rowCount(), rows);

  child<QLineEdit>("rawHex")->setText("de ad be ef");
  child<QPushButton>("sendRaw")->click();
  ASSERT_TRUE(runUntil(
      [&] {
        const auto& e = view_->console()->model()->entries();
        return !e.empty() && e.back().raw == QByteArray::fromHex("deadbeef");
      },
      1000));
  const FrameLogEntry& sent = view_->console()->model()->entries().back();
  EXPECT_EQ(sent.direction, FrameDirection::FromMcu);
  EXPECT_EQ(sent.name, "raw bytes");
  EXPECT_TRUE(view_->lastMessage().contains("4 B sent")) << view_->lastMessage().toStdString();
}

TEST_F(EngineerComposerTest, Issue13_BadChecksumAndUnstuffedFfArmedFromTheGuiReachTheNextFrame) {
  startModule();
  child<QPushButton>("faultChecksum")->click();
  EXPECT_EQ(view_->composer()->injectPanel()->armedText(), "Faults: bad checksum x1");
  const FrameLogEntry* bad = sendReport();
  ASSERT_NE(bad, nullptr);
  EXPECT_FALSE(bad->ok);
  EXPECT_TRUE(bad->error.contains("bad checksum")) << bad->error.toStdString();
  // One frame used the fault up: the line says so, and the next report is clean.
  EXPECT_EQ(view_->composer()->injectPanel()->armedText(), "Faults: none armed");
  const FrameLogEntry* clean = sendReport();
  ASSERT_NE(clean, nullptr);
  EXPECT_TRUE(clean->ok);

  child<QPushButton>("faultUnstuffed")->click();
  const FrameLogEntry* unstuffed = sendReport();
  ASSERT_NE(unstuffed, nullptr);
  EXPECT_FALSE(unstuffed->ok);
  EXPECT_TRUE(unstuffed->error.contains("unstuffed FF")) << unstuffed->error.toStdString();

  // The guide's picture: the faulty frame selected, red in the table and in full in the detail pane.
  const auto& entries = view_->console()->model()->entries();
  const int row = static_cast<int>(unstuffed - entries.data());
  view_->console()->table()->setCurrentIndex(
      view_->console()->proxy()->mapFromSource(view_->console()->model()->index(row, 0)));
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-faults"));
}

TEST_F(EngineerComposerTest, Issue13_SplitLateAckAndSilenceFromTheGuiAndClear) {
  startModule();
  gizrig::core::McuPlug* mcu = view_->session().mcu();
  child<QCheckBox>("faultSplit")->setChecked(true);
  EXPECT_EQ(mcu->faults().splitChunkBytes, 3);
  const FrameLogEntry* split = sendReport();
  ASSERT_NE(split, nullptr);
  EXPECT_TRUE(split->fault.contains("split ")) << split->fault.toStdString();
  EXPECT_TRUE(split->fault.contains("3 B, 20 ms apart")) << split->fault.toStdString();
  child<QCheckBox>("faultSplit")->setChecked(false);
  EXPECT_EQ(mcu->faults().splitChunkBytes, 0);

  // Late ACK: the MCU's answer to the module's next heartbeat (0x07 -> 0x08) goes out 300 ms late.
  child<QCheckBox>("faultLateAck")->setChecked(true);
  EXPECT_EQ(mcu->faults().ackDelayMs, 300);
  const int acks = count("0x08", FrameDirection::FromMcu);
  ASSERT_TRUE(runUntil([&] { return count("0x08", FrameDirection::FromMcu) > acks; }, 120000));
  EXPECT_TRUE(lastFromMcu("0x08")->fault.contains("delayed 300 ms"))
      << lastFromMcu("0x08")->fault.toStdString();

  // Silence: the module's next heartbeat gets no answer at all.
  child<QPushButton>("faultClear")->click();
  EXPECT_FALSE(child<QCheckBox>("faultLateAck")->isChecked());
  EXPECT_EQ(mcu->faults().ackDelayMs, 0);
  // The late ACK made the module resend its heartbeat (§1.5: 200 ms); that answer may still be queued.
  runUntil([] { return false; }, 2000);
  child<QCheckBox>("faultSilent")->setChecked(true);
  EXPECT_TRUE(mcu->isSilent());
  EXPECT_EQ(view_->composer()->injectPanel()->armedText(), "Faults: silent");
  const int beats = count("0x07", FrameDirection::ToMcu);
  const int answered = count("0x08", FrameDirection::FromMcu);
  ASSERT_TRUE(runUntil([&] { return count("0x07", FrameDirection::ToMcu) > beats; }, 120000));
  runUntil([] { return false; }, 1000);
  EXPECT_EQ(count("0x08", FrameDirection::FromMcu), answered);
  child<QPushButton>("faultClear")->click();
  EXPECT_FALSE(mcu->isSilent());
}
