// The engineer view on a virtual world's module: the boot handshake (0x01 / 0x02, §1.8) decoded in the frame
// table, the filter, the composer's report, capture save / load / replay, the plots, and screenshots.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <functional>

#include <pty.h>
#include <unistd.h>

#include "engineer/engineer_composer.h"
#include "engineer/engineer_console.h"
#include "engineer/engineer_frame_model.h"
#include "engineer/engineer_plots.h"
#include "engineer/engineer_session.h"
#include "engineer/engineer_view.h"
#include "engineer_test_fixture.h"
#include "gizrig/clock/rig_clock.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gui_b_test_support.h"

using namespace gizrig::gui;
using gizrig::core::FrameDirection;
using gizrig::core::FrameLogEntry;

namespace {

class EngineerViewTest : public gui_b_test::EngineerViewFixture {
 protected:
  const FrameLogEntry* findFrame(const QString& code, FrameDirection dir) const {
    for (const auto& e : view_->console()->model()->entries())
      if (commandCode(e) == code && e.direction == dir) return &e;
    return nullptr;
  }
};

}  // namespace

TEST_F(EngineerViewTest, S1_8_VirtualModuleHandshakeDecodedInTheFrameTable) {
  ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")))
      << view_->lastMessage().toStdString();
  view_->session().setPumping(false);
  ASSERT_TRUE(runUntil([&] { return findFrame("0x02", FrameDirection::FromMcu) != nullptr; }, 10000));

  const FrameLogEntry* request = findFrame("0x01", FrameDirection::ToMcu);
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->name, "0x01 get device info");
  EXPECT_TRUE(request->ok);
  EXPECT_EQ(request->raw.left(2), QByteArray::fromHex("ffff"));
  const FrameLogEntry* answer = findFrame("0x02", FrameDirection::FromMcu);
  EXPECT_EQ(answer->name, "0x02 device info");
  EXPECT_TRUE(answer->ok);
  EXPECT_EQ(answer->field("protocol_ver"), "00000004");
  EXPECT_EQ(answer->field("sn"), request->field("sn"));  // the answer carries the request's sn

  // The table shows the decoded row: command name, fields, checksum verdict and spaced raw hex.
  const auto* model = view_->console()->model();
  const int row = static_cast<int>(answer - model->entries().data());
  EXPECT_EQ(model->index(row, FrameTableModel::Command).data().toString(), "0x02 device info");
  EXPECT_EQ(model->index(row, FrameTableModel::Checksum).data().toString(), "ok");
  EXPECT_EQ(model->index(row, FrameTableModel::Direction).data().toString(), "MCU → module");
  EXPECT_TRUE(model->index(row, FrameTableModel::Raw).data().toString().startsWith("FF FF 00"));
  EXPECT_TRUE(model->index(row, FrameTableModel::Fields).data().toString().contains("protocol_ver=00000004"));

  // The filter keeps only the 0x02 rows, and clears back to all.
  view_->console()->setFilterText("0x02", 0, {});
  const auto* proxy = view_->console()->proxy();
  ASSERT_GE(proxy->rowCount(), 1);
  for (int r = 0; r < proxy->rowCount(); ++r)
    EXPECT_TRUE(proxy->index(r, FrameTableModel::Command).data().toString().startsWith("0x02"));
  view_->console()->setFilterText({}, 0, {});
  EXPECT_EQ(proxy->rowCount(), model->rowCount());
}

TEST_F(EngineerViewTest, ComposerReportCaptureReplayPlotsAndScreenshots) {
  ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")));
  view_->session().setPumping(false);
  ASSERT_TRUE(runUntil([&] { return findFrame("0x02", FrameDirection::FromMcu) != nullptr; }, 10000));

  // The form was generated from the product: a report (0x05) with the changed point goes out.
  QVariantMap values = view_->composer()->formValues();
  ASSERT_FALSE(values.isEmpty());
  view_->composer()->sendReport();
  ASSERT_TRUE(runUntil([&] { return findFrame("0x05", FrameDirection::FromMcu) != nullptr; }, 3000))
      << view_->lastMessage().toStdString();

  // A few minutes of virtual time: status pushes and heartbeats feed the plots.
  view_->composer()->sendCommand("moduleInfo");
  runUntil([] { return false; }, 130000);
  EXPECT_NE(findFrame("0x21", FrameDirection::FromMcu), nullptr);
  EXPECT_NE(findFrame("0x22", FrameDirection::ToMcu), nullptr);
  EXPECT_GT(view_->plots()->statusSamples(), 0);

  QTemporaryDir dir;
  const QString path = dir.filePath("capture.jsonl");
  QString error;
  const auto rows = view_->console()->model()->rowCount();
  ASSERT_TRUE(view_->console()->saveCapture(path, error)) << error.toStdString();
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer"));
  view_->tabs()->setCurrentIndex(view_->tabs()->count() - 1);  // the plots
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-plots"));
  view_->tabs()->setCurrentIndex(0);

  view_->closeModule();
  ASSERT_TRUE(view_->console()->loadCapture(path, error)) << error.toStdString();
  EXPECT_EQ(view_->console()->model()->rowCount(), rows);
  view_->console()->replay(1e6);
  QElapsedTimer timer;
  timer.start();
  while (view_->console()->replaying() && timer.elapsed() < 20000) QCoreApplication::processEvents();
  EXPECT_EQ(view_->console()->model()->rowCount(), rows);
  EXPECT_EQ(view_->console()->model()->entries().front(),
            FrameLogEntry(*findFrame("0x01", FrameDirection::ToMcu)));

  // A broken capture is refused with the line named, and the table is kept.
  QFile bad(dir.filePath("bad.jsonl"));
  ASSERT_TRUE(bad.open(QIODevice::WriteOnly));
  bad.write("{not json\n");
  bad.close();
  EXPECT_FALSE(view_->console()->loadCapture(bad.fileName(), error));
  EXPECT_FALSE(error.isEmpty());
  EXPECT_EQ(view_->console()->model()->rowCount(), rows);
  EXPECT_TRUE(QFileInfo(gui_b_test::screenshotPath("engineer")).size() > 0);
}

TEST_F(EngineerViewTest, BadSerialPathAndProductAreReportedNotFatal) {
  EXPECT_FALSE(view_->openSerialPort("/nonexistent/tty"));
  // The OS's reason and what to do about it, not a bare "cannot open".
  EXPECT_TRUE(view_->lastMessage().contains("/nonexistent/tty: No such file or directory"))
      << view_->lastMessage().toStdString();
  EXPECT_TRUE(view_->lastMessage().contains("is the adapter plugged in"))
      << view_->lastMessage().toStdString();
  EXPECT_FALSE(view_->startVirtualModule("/nonexistent/product.json"));
  EXPECT_EQ(view_->session().mcu(), nullptr);
  view_->composer()->sendCommand("reset");  // nothing open: an ERROR message, no crash
  EXPECT_TRUE(view_->lastMessage().contains("ERROR"));
}

TEST_F(EngineerViewTest, Issue12_APortIsChosenFromTheListOrTypedAndOpenedAtTheChosenBaud) {
  // The list is the system's (QSerialPortInfo): a pty is never in it, so it is typed, as a lab slot's is.
  EXPECT_TRUE(view_->serialPortBox()->isEditable());
  EXPECT_EQ(view_->baudBox()->currentData().toInt(), 9600);  // S3.2
  int mcuSide = -1;
  int moduleSide = -1;
  char name[256] = {};
  ASSERT_EQ(::openpty(&moduleSide, &mcuSide, name, nullptr, nullptr), 0);
  view_->baudBox()->setCurrentIndex(view_->baudBox()->findData(115200));
  ASSERT_TRUE(view_->openSerialPort(QString::fromLatin1(name),
                                    QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")))
      << view_->lastMessage().toStdString();
  EXPECT_TRUE(view_->session().describe().contains("115200 8N1"))
      << view_->session().describe().toStdString();
  view_->closeModule();
  ::close(mcuSide);
  ::close(moduleSide);
}
