// FirmwareStore: published images for the OTA check (§3.5, S9.6), kept across reopen.
#include "gizrig/cloud/firmware_store.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "cloud_api_test_support.h"

using gizrig::cloud::FirmwareFormat;
using gizrig::cloud::FirmwareStore;

namespace {

class FirmwareStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cloudtest::ensureQtApp();
    ASSERT_TRUE(dir_.isValid());
    ASSERT_TRUE(store_.open(dbPath())) << store_.lastError().toStdString();
  }
  [[nodiscard]] QString dbPath() const { return dir_.filePath(QStringLiteral("cloud.db")); }

  QTemporaryDir dir_;
  FirmwareStore store_;
};

}  // namespace

TEST_F(FirmwareStoreTest, PublishNamesTheImageAndKeepsItsMd5NextToTheDb) {
  const auto firmware = store_.publish(QStringLiteral("00ESP826"), QStringLiteral("04020007"), 7, "abc");
  ASSERT_TRUE(firmware.has_value()) << store_.lastError().toStdString();
  EXPECT_EQ(firmware->name, QStringLiteral("00ESP826_04020007_7.bin"));
  EXPECT_EQ(firmware->md5Hex, QStringLiteral("900150983cd24fb0d6963f7d28e17f72"));  // RFC 1321 "abc"
  EXPECT_EQ(firmware->size, 3);
  EXPECT_EQ(store_.directory(), dbPath() + QStringLiteral(".firmware"));
  EXPECT_TRUE(QFile::exists(QDir(store_.directory()).filePath(firmware->name)));
  EXPECT_EQ(store_.bytes(firmware->name), QByteArray("abc"));
}

TEST_F(FirmwareStoreTest, NamesReplaceOddCharactersAndCarryTheFormat) {
  const auto firmware =
      store_.publish(QStringLiteral("MCU/HW 1"), QStringLiteral("v1.2+x"), 3, "x", FirmwareFormat::Hex);
  ASSERT_TRUE(firmware.has_value());
  EXPECT_EQ(firmware->name, QStringLiteral("MCU_HW_1_v1.2_x_3.hex"));
}

TEST_F(FirmwareStoreTest, S9_6_OffersTheNewestImageWhenItsFidDiffers) {
  ASSERT_TRUE(store_.publish(QStringLiteral("HW"), QStringLiteral("04020007"), 7, "old"));
  ASSERT_TRUE(store_.publish(QStringLiteral("HW"), QStringLiteral("04020008"), 8, "new"));
  ASSERT_TRUE(store_.publish(QStringLiteral("OTHER"), QStringLiteral("1"), 9, "other"));
  const auto offer = store_.offer(QStringLiteral("HW"), 1);
  ASSERT_TRUE(offer.has_value());
  EXPECT_EQ(offer->fid, 8U);
  EXPECT_EQ(offer->softwareVersion, QStringLiteral("04020008"));
  EXPECT_FALSE(store_.offer(QStringLiteral("HW"), 8));  // already running it
  EXPECT_FALSE(store_.offer(QStringLiteral("NONE"), 1));
  EXPECT_EQ(store_.list().size(), 3);
}

TEST_F(FirmwareStoreTest, RepublishingANameReplacesTheImageAndMakesItNewest) {
  ASSERT_TRUE(store_.publish(QStringLiteral("HW"), QStringLiteral("A"), 1, "one"));
  ASSERT_TRUE(store_.publish(QStringLiteral("HW"), QStringLiteral("B"), 2, "two"));
  const auto again = store_.publish(QStringLiteral("HW"), QStringLiteral("A"), 1, "ONE!");
  ASSERT_TRUE(again);
  EXPECT_EQ(store_.offer(QStringLiteral("HW"), 0)->fid, 1U);
  EXPECT_EQ(store_.bytes(again->name), QByteArray("ONE!"));
  EXPECT_EQ(store_.list().size(), 2);
}

TEST_F(FirmwareStoreTest, RefusesVersionsThatCannotBeSent) {
  EXPECT_FALSE(store_.publish(QString(), QStringLiteral("1"), 1, "x"));
  EXPECT_FALSE(store_.publish(QStringLiteral("HW"), QString(), 1, "x"));
  EXPECT_FALSE(store_.publish(QStringLiteral("HW"), QStringLiteral("1\r\nX: y"), 1, "x"));
  EXPECT_FALSE(store_.lastError().isEmpty());
  EXPECT_TRUE(store_.list().isEmpty());
  EXPECT_FALSE(store_.bytes(QStringLiteral("../cloud.db")));  // only published names are read
}

TEST_F(FirmwareStoreTest, SurvivesReopenAndRemove) {
  const auto firmware = store_.publish(QStringLiteral("HW"), QStringLiteral("2"), 2, "image");
  ASSERT_TRUE(firmware);
  store_.close();
  FirmwareStore reopened;
  ASSERT_TRUE(reopened.open(dbPath()));
  const auto offer = reopened.offer(QStringLiteral("HW"), 1);
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->md5Hex, firmware->md5Hex);
  EXPECT_EQ(reopened.bytes(firmware->name), QByteArray("image"));
  EXPECT_TRUE(reopened.remove(firmware->name));
  EXPECT_FALSE(reopened.named(firmware->name));
  EXPECT_FALSE(QFile::exists(QDir(reopened.directory()).filePath(firmware->name)));
}
