// Issue 13, engineer view: the OTA panel pushes an image file the engineer chose (the Choose… button's file,
// read size-capped and checked as the module checks it, S9.6), and refuses a file that is missing, too large
// or not a firmware image with the reason, keeping the previous choice.
#include <gtest/gtest.h>

#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>

#include "engineer/engineer_ota.h"
#include "engineer/engineer_wire_model.h"
#include "engineer_test_fixture.h"
#include "gagent/core/firmware_image.h"

using namespace gizrig::gui;
using gizrig::core::WireKind;

namespace {

// A valid image for the virtual module's hardware, as `gizrig image` writes it.
QByteArray buildImage(const char* software) {
  QByteArray payload(3000, '\0');
  for (qsizetype i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7);
  QByteArray image(payload.size() + 256, '\0');
  const std::size_t size = gagent::core::encodeFirmwareImage(
      {reinterpret_cast<std::uint8_t*>(image.data()), static_cast<std::size_t>(image.size())}, "GAGENTSM",
      software, "26120700",
      {reinterpret_cast<const std::uint8_t*>(payload.constData()), static_cast<std::size_t>(payload.size())});
  image.resize(static_cast<qsizetype>(size));
  return image;
}

bool writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

class EngineerOtaTest : public gui_b_test::EngineerViewFixture {
 protected:
  void SetUp() override {
    EngineerViewFixture::SetUp();
    ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")))
        << view_->lastMessage().toStdString();
    view_->session().setPumping(false);
  }
  bool connacked() const {
    for (const auto& p : view_->wireModel()->entries())
      if (p.kind == WireKind::Mqtt && p.item.name == "CONNACK") return true;
    return false;
  }
  EngineerOtaPanel& ota() const { return *view_->otaPanel(); }
  QTemporaryDir dir_;
};

}  // namespace

TEST_F(EngineerOtaTest, Issue13_S9_6_TheOtaPanelPushesAnImageFileChosenByTheUser) {
  const QString path = dir_.filePath("app-04030002.bin");
  ASSERT_TRUE(writeFile(path, buildImage("04030002")));
  ASSERT_TRUE(ota().setImageFile(path)) << view_->lastMessage().toStdString();
  // The form shows the versions the file carries (the cloud publishes it under them).
  EXPECT_EQ(ota().findChild<QLineEdit*>("otaImageFile")->text(), path);
  EXPECT_TRUE(view_->lastMessage().contains("software 04030002")) << view_->lastMessage().toStdString();

  runUntil([] { return false; }, 1000);
  view_->session().onboard([](const QString&) {});
  ASSERT_TRUE(runUntil([&] { return connacked(); }, 120000)) << view_->lastMessage().toStdString();
  ota().push();
  ASSERT_TRUE(runUntil([&] { return !ota().readBackVersion().isEmpty(); }, 10 * 60000))
      << view_->lastMessage().toStdString();
  EXPECT_EQ(ota().readBackVersion(), "04030002");  // the file's version, not the synthetic default
  EXPECT_TRUE(view_->lastMessage().contains("done: the module runs 04030002"))
      << view_->lastMessage().toStdString();
  view_->tabs()->setCurrentWidget(view_->otaPanel());
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-ota-file"));
}

TEST_F(EngineerOtaTest, Issue13_ABadImageFileIsRefusedWithTheReasonAndThePreviousChoiceKept) {
  const QString good = dir_.filePath("good.bin");
  ASSERT_TRUE(writeFile(good, buildImage("04030002")));
  ASSERT_TRUE(ota().setImageFile(good));

  EXPECT_FALSE(ota().setImageFile(dir_.filePath("missing.bin")));
  EXPECT_TRUE(view_->lastMessage().contains("OTA image not used: ")) << view_->lastMessage().toStdString();
  EXPECT_TRUE(view_->lastMessage().contains("missing.bin")) << view_->lastMessage().toStdString();

  const QString text = dir_.filePath("notes.txt");
  ASSERT_TRUE(writeFile(text, "these are not the bytes you are looking for\n"));
  EXPECT_FALSE(ota().setImageFile(text));
  EXPECT_TRUE(view_->lastMessage().contains("notes.txt is not a valid firmware image (bad magic)"))
      << view_->lastMessage().toStdString();

  QByteArray broken = buildImage("04030002");
  broken[broken.size() - 1] = static_cast<char>(broken.back() ^ 0x55);
  const QString corrupt = dir_.filePath("corrupt.bin");
  ASSERT_TRUE(writeFile(corrupt, broken));
  EXPECT_FALSE(ota().setImageFile(corrupt));
  EXPECT_TRUE(view_->lastMessage().contains("not a valid firmware image"))
      << view_->lastMessage().toStdString();

  // Past the cap: refused before it is read (a sparse file, so the test writes nothing big).
  const QString huge = dir_.filePath("huge.bin");
  QFile f(huge);
  ASSERT_TRUE(f.open(QIODevice::WriteOnly) && f.resize(EngineerOtaPanel::kMaxImageBytes + 1));
  f.close();
  EXPECT_FALSE(ota().setImageFile(huge));
  EXPECT_TRUE(view_->lastMessage().contains("huge.bin")) << view_->lastMessage().toStdString();

  EXPECT_EQ(ota().imageFile(), good);  // every refusal kept the good choice
  ota().useSyntheticImage();
  EXPECT_TRUE(ota().imageFile().isEmpty());
}
