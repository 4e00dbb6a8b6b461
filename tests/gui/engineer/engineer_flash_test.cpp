// Issue 14, the engineer's Flash panel against `gagent-sim --boot rom` on a pty, in real time: "Read chip /
// MAC" names the loader's chip and the module's MAC and leaves it in its loader; "Flash" writes an image file
// the test made (as an engineer's chosen file), verifies what it can, runs it - the module boots it and says
// so - and the window's event loop keeps turning throughout; a port with no loader behind it ends with the
// flasher's own words. The view is grabbed into build/screenshots/engineer-flash.png.
#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <vector>

#include "engineer/engineer_flash.h"
#include "engineer_test_fixture.h"
#include "gagent/core/firmware_image.h"
#include "module_address_lease.h"

#ifndef GAGENT_SIM_BINARY
#error "GAGENT_SIM_BINARY must name the gagent-sim executable"
#endif

namespace {

using gizrig::gui::EngineerFlashPanel;

bool waitUntil(const std::function<bool()>& done, int guardMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done() && timer.elapsed() < guardMs) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  return done();
}

// An image in the format the module's boot check accepts (S9.6), software version `software`.
QString writeImage(const QString& path, const std::string& software) {
  std::vector<std::uint8_t> payload(20 * 1024);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>((i * 7) ^ (i >> 5));
  std::vector<std::uint8_t> out(payload.size() + 256);
  out.resize(gagent::core::encodeFirmwareImage(out, "GAGENTSM", software, "25061012", payload));
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<qint64>(out.size()));
  return path;
}

class EngineerFlash : public gui_b_test::EngineerViewFixture {
 protected:
  void TearDown() override {
    if (sim.state() != QProcess::NotRunning) {
      sim.terminate();
      sim.waitForFinished(5000);
    }
    if (HasFailure()) std::cerr << "---- gagent-sim log ----\n" << log().toStdString() << "\n";
    EngineerViewFixture::TearDown();
  }

  // gagent-sim in its ROM loader on a pty in the test's directory ("gagent-sim ready ... boot=rom").
  void startRomModule() {
    lease = gagent::test::ModuleAddressLease::take(8080);
    ASSERT_TRUE(lease);
    const QString address = QString::fromStdString(lease->text());
    sim.setProgram(GAGENT_SIM_BINARY);
    sim.setArguments({"--uart", "pty:" + dir.filePath("uart.pty"), "--ip", address, "--flash",
                      dir.filePath("module.flash"), "--api", "127.0.0.1:9", "--boot", "rom", "--log-file",
                      dir.filePath("sim.log")});
    sim.start();
    ASSERT_TRUE(waitUntil([&] { return sim.canReadLine() || sim.state() == QProcess::NotRunning; }, 20000));
    const QString ready = QString::fromUtf8(sim.readLine());
    ASSERT_TRUE(ready.contains(" boot=rom")) << ready.toStdString();
    mac = ready.section("mac=", 1).section(' ', 0, 0).trimmed();
  }
  QString log() const {
    QFile file(dir.filePath("sim.log"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
  }
  // "AABBCCDDEEFF" (gagent-sim's ready line) -> "aa:bb:cc:dd:ee:ff" (the flasher's).
  QString macWithColons() const {
    QStringList parts;
    for (int i = 0; i < mac.size(); i += 2) parts << mac.mid(i, 2).toLower();
    return parts.join(':');
  }

  QTemporaryDir dir;
  QProcess sim;
  std::optional<gagent::test::ModuleAddressLease> lease;
  QString mac;
};

TEST_F(EngineerFlash, Issue14_ReadChipThenFlashAnImageTheModuleBootsWhileTheWindowKeepsTurning) {
  startRomModule();
  EngineerFlashPanel* panel = view_->flashPanel();
  ASSERT_NE(panel, nullptr);
  view_->tabs()->setCurrentWidget(panel);
  // A pty is never among the system's ports: typed, as an engineer types a lab module's.
  panel->portBox()->setEditText(dir.filePath("uart.pty"));
  panel->baudBox()->setCurrentText("460800");

  bool ok = false;
  QObject::connect(panel, &EngineerFlashPanel::finished, [&](bool result) { ok = result; });
  int finishedCount = 0;
  QObject::connect(panel, &EngineerFlashPanel::finished, [&] { ++finishedCount; });
  QTest::mouseClick(panel->readButton(), Qt::LeftButton);
  ASSERT_TRUE(panel->busy());
  ASSERT_TRUE(waitUntil([&] { return finishedCount == 1; }, 30000)) << panel->resultText().toStdString();
  EXPECT_TRUE(ok) << panel->resultText().toStdString();
  EXPECT_TRUE(panel->resultText().contains("Chip ESP8266, MAC " + macWithColons()))
      << panel->resultText().toStdString();

  panel->imageEdit()->setText(writeImage(dir.filePath("app-04020100.img"), "04020100"));
  panel->verifyBox()->setChecked(true);
  // The event loop runs while the write goes on: a 0-ms timer ticks, the progress bar moves.
  int ticks = 0;
  QTimer ticker;
  QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
  ticker.start(0);
  std::vector<int> seen;
  QObject::connect(panel->progressBar(), &QProgressBar::valueChanged, [&](int v) { seen.push_back(v); });
  QTest::mouseClick(panel->flashButton(), Qt::LeftButton);
  EXPECT_FALSE(panel->flashButton()->isEnabled());
  ASSERT_TRUE(waitUntil([&] { return finishedCount == 2; }, 60000)) << panel->resultText().toStdString();
  ticker.stop();
  EXPECT_TRUE(ok) << panel->resultText().toStdString();
  EXPECT_GT(ticks, 50) << "the event loop stood still while the image was written";
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), 100);
  EXPECT_GT(seen.size(), 2u);
  const QString result = panel->resultText();
  EXPECT_TRUE(result.contains("Chip ESP8266")) << result.toStdString();
  // The ESP8266 ROM has no MD5: the panel says so rather than claim a verification.
  EXPECT_TRUE(result.contains("not verified")) << result.toStdString();
  EXPECT_TRUE(result.contains("KiB/s")) << result.toStdString();
  EXPECT_TRUE(panel->flashButton()->isEnabled());
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-flash"));
  // The module left its loader into the image it was given.
  EXPECT_TRUE(waitUntil([&] { return log().contains("software 04020100"); }, 10000)) << log().toStdString();
}

TEST_F(EngineerFlash, Issue14_APortWithNoLoaderBehindItEndsWithTheFlashersOwnWords) {
  EngineerFlashPanel* panel = view_->flashPanel();
  panel->portBox()->setEditText(dir.filePath("no-such-port"));
  panel->imageEdit()->setText(writeImage(dir.filePath("app.img"), "04020100"));
  EXPECT_FALSE(panel->flash());
  EXPECT_TRUE(panel->resultText().contains("cannot open " + dir.filePath("no-such-port")))
      << panel->resultText().toStdString();
  EXPECT_FALSE(panel->busy());
  // An image that is not a file is refused before any port is touched.
  panel->imageEdit()->setText(dir.filePath("missing.img"));
  EXPECT_FALSE(panel->flash());
  EXPECT_TRUE(panel->resultText().contains("no such file")) << panel->resultText().toStdString();
  panel->imageEdit()->setText(dir.filePath("app.img"));
  panel->addressEdit()->setText("0x2001");
  EXPECT_FALSE(panel->flash());
  EXPECT_TRUE(panel->resultText().contains("4 KiB-aligned")) << panel->resultText().toStdString();
}

TEST_F(EngineerFlash, Issue14_AModuleRunningItsFirmwareDoesNotSyncAndThePanelAsksAboutGpio0) {
  // gagent-sim in its application (GPIO0 high): the pty answers MCU frames, never SYNC.
  lease = gagent::test::ModuleAddressLease::take(8080);
  ASSERT_TRUE(lease);
  sim.setProgram(GAGENT_SIM_BINARY);
  sim.setArguments({"--uart", "pty:" + dir.filePath("uart.pty"), "--ip",
                    QString::fromStdString(lease->text()), "--flash", dir.filePath("module.flash"), "--api",
                    "127.0.0.1:9", "--log-file", dir.filePath("sim.log")});
  sim.start();
  ASSERT_TRUE(waitUntil([&] { return sim.canReadLine(); }, 20000));
  EngineerFlashPanel* panel = view_->flashPanel();
  panel->portBox()->setEditText(dir.filePath("uart.pty"));
  bool finished = false;
  QObject::connect(panel, &EngineerFlashPanel::finished, [&] { finished = true; });
  ASSERT_TRUE(panel->readChip());
  ASSERT_TRUE(waitUntil([&] { return finished; }, 30000));
  EXPECT_TRUE(panel->resultText().contains("is GPIO0 low / is the module in its loader?"))
      << panel->resultText().toStdString();
}

}  // namespace
