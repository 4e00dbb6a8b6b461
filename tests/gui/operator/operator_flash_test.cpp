// Issue 14, the operator tile's flashing phase: a station whose file asks for a flash step, its virtual lab
// started with the modules in their ROM loaders (gagent-sim --boot rom); after Start the tile shows
// "Flashing N %" with the bar on the image written, then goes on with the test and ends PASS. The tile is
// grabbed mid-flash into build/screenshots/operator-flashing.png. Real time.

#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QTemporaryDir>
#include <vector>

#include "app/gui_context.h"
#include "gagent/core/firmware_image.h"
#include "gui_b_test_support.h"
#include "operator/operator_login.h"
#include "operator/operator_slot_tile.h"
#include "operator/operator_view.h"

using namespace gizrig::gui;

namespace {

bool spinUntil(const std::function<bool()>& done, int guardMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done() && timer.elapsed() < guardMs) QApplication::processEvents(QEventLoop::AllEvents, 10);
  return done();
}

// line-1.json with a flash step: an image of software 04020100 (the modules come up on 04020000).
QString flashStation(QTemporaryDir& dir) {
  std::vector<std::uint8_t> payload(48 * 1024);
  for (std::size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<std::uint8_t>((i * 13) ^ (i >> 4));
  std::vector<std::uint8_t> image(payload.size() + 256);
  image.resize(gagent::core::encodeFirmwareImage(image, "GAGENTSM", "04020100", "25061012", payload));
  QFile imageFile(dir.filePath("app.img"));
  EXPECT_TRUE(imageFile.open(QIODevice::WriteOnly));
  imageFile.write(reinterpret_cast<const char*>(image.data()), static_cast<qint64>(image.size()));
  imageFile.close();
  QFile in(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  EXPECT_TRUE(in.open(QIODevice::ReadOnly));
  QJsonObject station = QJsonDocument::fromJson(in.readAll()).object();
  station["flash"] = QJsonObject{{"image", "app.img"}, {"version", "04020100"}};
  const QString path = dir.filePath("flash-station.json");
  QFile out(path);
  EXPECT_TRUE(out.open(QIODevice::WriteOnly));
  out.write(QJsonDocument(station).toJson());
  return path;
}

// The first line of the tile's label that starts with `prefix` (the running readout has several lines).
QString labelStartingWith(QWidget& widget, const QString& prefix) {
  for (const QLabel* label : widget.findChildren<QLabel*>()) {
    const QString first = label->text().section('\n', 0, 0);
    if (first.startsWith(prefix)) return first;
  }
  return {};
}

}  // namespace

TEST(OperatorFlash, Issue14_TheTileShowsFlashingWithItsProgressThenTheTestAndEndsPass) {
  gui_b_test::app();
  QTemporaryDir dir;
  gizrig::core::RealClock clock;
  GuiContext context{GAGENT_FIXTURES_DIR, dir.filePath("records.db"), dir.filePath("lab"), &clock};
  OperatorView view(context);
  view.resize(1200, 700);
  view.show();
  QString error;
  ASSERT_TRUE(view.station().loadStation(flashStation(dir), &error)) << error.toStdString();
  ASSERT_TRUE(view.station().config().flash.has_value());
  view.station().setSlotCount(1);
  bool started = false;
  QObject::connect(&view.station(), &OperatorStation::labStarted, [&](bool ok, const QString& why) {
    started = true;
    EXPECT_TRUE(ok) << why.toStdString();
  });
  ASSERT_TRUE(view.station().startVirtualLab());
  ASSERT_TRUE(spinUntil([&] { return started; }, 60000));
  ASSERT_TRUE(view.station().ready());
  view.login()->logIn(QStringLiteral("Anna"));  // nothing starts before an operator logged in (issue 13)
  ASSERT_EQ(view.station().startAll(), 1);

  // What the operator sees while the image goes out: every distinct "Flashing N %", and the bar with it.
  std::vector<int> percents;
  QString midFlash;
  OperatorSlotTile* tile = view.tileWidget(0);
  ASSERT_NE(tile, nullptr);
  QProgressBar* bar = tile->findChild<QProgressBar*>();
  ASSERT_NE(bar, nullptr);
  QObject::connect(&view.station(), &OperatorStation::tileChanged, [&](int index) {
    if (index != 0 || view.station().tile(0).step() != "flash") return;
    const QString text = labelStartingWith(*tile, "Flashing ");
    if (text.isEmpty()) return;
    const int percent = text.section(' ', 1, 1).toInt();
    EXPECT_EQ(text, QStringLiteral("Flashing %1 %").arg(percent));
    EXPECT_EQ(bar->value(), percent);
    if (percents.empty() || percents.back() != percent) percents.push_back(percent);
    if (midFlash.isEmpty() && percent >= 30 && percent <= 80) {
      midFlash = text;
      ASSERT_TRUE(gui_b_test::screenshot(view, "operator-flashing"));
    }
  });
  const bool done = spinUntil([&] { return view.station().tile(0).free(); }, 120000);
  ASSERT_TRUE(done) << "the run did not finish";
  EXPECT_EQ(view.station().tile(0).state(), TileState::Pass)
      << view.station().tile(0).failureText().toStdString();
  ASSERT_GE(percents.size(), 3u) << "the tile did not show the flashing phase moving";
  EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end()));
  EXPECT_EQ(percents.back(), 100);
  EXPECT_FALSE(midFlash.isEmpty());
  // After the flash the tile went on with the test's steps.
  EXPECT_EQ(view.station().session().counters().passed, 1);
}
