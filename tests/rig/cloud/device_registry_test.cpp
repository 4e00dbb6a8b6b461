// DeviceRegistry: §3.2-3.4 bookkeeping in SQLite, shared across reopen and across instances.
#include "gizrig/cloud/device_registry.h"

#include <gtest/gtest.h>

#include <QStringList>
#include <QTemporaryDir>

#include "cloud_api_test_support.h"

using gizrig::cloud::DeviceRegistry;
using gizrig::cloud::RegisteredDevice;

namespace {

class DeviceRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cloudtest::ensureQtApp();
    ASSERT_TRUE(dir_.isValid());
    ASSERT_TRUE(registry_.open(dbPath())) << registry_.lastError().toStdString();
  }
  [[nodiscard]] QString dbPath() const { return dir_.filePath(QStringLiteral("registry.db")); }

  QTemporaryDir dir_;
  DeviceRegistry registry_;
};

bool isAlnum(const QString& text) {
  for (const QChar c : text) {
    if (!(c.isDigit() || (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z'))) return false;
  }
  return true;
}

}  // namespace

TEST_F(DeviceRegistryTest, S8_2_RegisterGivesA22CharacterDidAndStoresTheDevice) {
  QStringList registered;
  QObject::connect(&registry_, &DeviceRegistry::deviceRegistered,
                   [&](const QString& did, const QString& passcode, const QString& productKey) {
                     registered << did << passcode << productKey;
                   });
  const auto device =
      registry_.registerDevice(QStringLiteral("a01b2c3d4e5f"), QStringLiteral("pk"), QStringLiteral("PASS"));
  ASSERT_TRUE(device.has_value()) << registry_.lastError().toStdString();
  EXPECT_EQ(device->did.size(), 22);
  EXPECT_TRUE(isAlnum(device->did)) << device->did.toStdString();
  EXPECT_EQ(device->mac, QStringLiteral("A01B2C3D4E5F"));  // stored as §3.2 sends it
  EXPECT_EQ(device->passcode, QStringLiteral("PASS"));
  EXPECT_EQ(device->productKey, QStringLiteral("pk"));
  EXPECT_TRUE(device->registeredAt.isValid());
  EXPECT_EQ(registered, (QStringList{device->did, QStringLiteral("PASS"), QStringLiteral("pk")}));

  const auto found = registry_.find(device->did);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->mac, QStringLiteral("A01B2C3D4E5F"));
  EXPECT_EQ(registry_.devices().size(), 1);
}

TEST_F(DeviceRegistryTest, S8_2_SameMacAndProductKeyKeepTheDidWithTheNewPasscode) {
  const auto first =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QStringLiteral("OLD"));
  int signals_ = 0;
  QObject::connect(&registry_, &DeviceRegistry::deviceRegistered, [&] { ++signals_; });
  const auto again =
      registry_.registerDevice(QStringLiteral("a01b2c3d4e5f"), QStringLiteral("pk"), QStringLiteral("NEW"));
  ASSERT_TRUE(first && again);
  EXPECT_EQ(again->did, first->did);
  EXPECT_EQ(again->passcode, QStringLiteral("NEW"));
  EXPECT_EQ(signals_, 1);  // the M2M side must learn the new passcode
  EXPECT_FALSE(registry_.authenticate(first->did, QStringLiteral("OLD")));
  EXPECT_TRUE(registry_.authenticate(first->did, QStringLiteral("NEW")));
  EXPECT_EQ(registry_.devices().size(), 1);
}

TEST_F(DeviceRegistryTest, S8_2_AnotherProductKeyOrMacGetsAnotherDid) {
  const auto a =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk1"), QStringLiteral("P"));
  const auto b =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk2"), QStringLiteral("P"));
  const auto c =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E60"), QStringLiteral("pk1"), QStringLiteral("P"));
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(a->did, b->did);
  EXPECT_NE(a->did, c->did);
  EXPECT_NE(b->did, c->did);
  EXPECT_EQ(registry_.devices().size(), 3);
}

TEST_F(DeviceRegistryTest, RefusesBadArgumentsWithAReason) {
  EXPECT_FALSE(
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5"), QStringLiteral("pk"), QStringLiteral("P")));
  EXPECT_FALSE(registry_.lastError().isEmpty());
  EXPECT_FALSE(
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5G"), QStringLiteral("pk"), QStringLiteral("P")));
  EXPECT_FALSE(registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QString(), QStringLiteral("P")));
  EXPECT_FALSE(registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QString()));
  EXPECT_TRUE(registry_.devices().isEmpty());

  DeviceRegistry closed;
  EXPECT_FALSE(
      closed.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QStringLiteral("P")));
  EXPECT_FALSE(closed.find(QStringLiteral("x")));
  EXPECT_FALSE(closed.open(QString()));
}

TEST_F(DeviceRegistryTest, S8_3_UnregisterForgetsTheDeviceAndSignalsIt) {
  const auto device =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QStringLiteral("P"));
  ASSERT_TRUE(device);
  QStringList gone;
  QObject::connect(&registry_, &DeviceRegistry::deviceUnregistered, [&](const QString& did) { gone << did; });
  EXPECT_TRUE(registry_.authenticate(device->did, QStringLiteral("P")));
  EXPECT_FALSE(registry_.authenticate(device->did, QStringLiteral("Q")));
  EXPECT_TRUE(registry_.unregister(device->did));
  EXPECT_FALSE(registry_.unregister(device->did));
  EXPECT_EQ(gone, QStringList{device->did});
  EXPECT_FALSE(registry_.find(device->did));
  EXPECT_FALSE(registry_.authenticate(device->did, QStringLiteral("P")));
}

TEST_F(DeviceRegistryTest, AddDeviceKeepsAChosenDid) {
  RegisteredDevice device;
  device.did = QStringLiteral("WKgkQa4wHqaXyTnqDn2uDM");
  device.passcode = QStringLiteral("PHHLXAKMEI");
  device.productKey = QStringLiteral("pk");
  device.mac = QStringLiteral("a01b2c3d4e5f");
  ASSERT_TRUE(registry_.addDevice(device)) << registry_.lastError().toStdString();
  EXPECT_TRUE(registry_.authenticate(device.did, device.passcode));
  // A later register of the same module gets that DID back.
  const auto again =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QStringLiteral("NEW"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->did, device.did);
  device.did = QStringLiteral("short");
  EXPECT_FALSE(registry_.addDevice(device));
}

TEST_F(DeviceRegistryTest, SurvivesReopen) {
  const auto device =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QStringLiteral("P"));
  ASSERT_TRUE(device);
  registry_.close();
  EXPECT_FALSE(registry_.find(device->did));  // closed

  DeviceRegistry reopened;
  ASSERT_TRUE(reopened.open(dbPath())) << reopened.lastError().toStdString();
  const auto found = reopened.find(device->did);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->passcode, QStringLiteral("P"));
  EXPECT_EQ(found->mac, QStringLiteral("A01B2C3D4E5F"));
  EXPECT_EQ(found->registeredAt, device->registeredAt);
  // Re-registering after the restart still finds the old DID.
  const auto again =
      reopened.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QStringLiteral("Q"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->did, device->did);
}

TEST_F(DeviceRegistryTest, TwoOpenInstancesSeeEachOthersChanges) {
  DeviceRegistry other;  // as a second gizcloud-api or a script would
  ASSERT_TRUE(other.open(dbPath()));
  const auto device =
      registry_.registerDevice(QStringLiteral("A01B2C3D4E5F"), QStringLiteral("pk"), QStringLiteral("P"));
  ASSERT_TRUE(device);
  EXPECT_TRUE(other.authenticate(device->did, QStringLiteral("P")));
  EXPECT_TRUE(other.unregister(device->did));
  EXPECT_FALSE(registry_.find(device->did));
}
