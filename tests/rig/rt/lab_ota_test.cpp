// OTA in the real-time lab (issue 4, S9.6): a newer image published at the stand-in cloud is found by the
// module's check after provision, downloaded over HTTP into the flash file, checked (MD5, image header) and
// installed; after its reboot the module reports the new software version to its MCU (0x22).
#include "gagent/core/firmware_image.h"
#include "gizrig/cloud/firmware_store.h"
#include "lab_fixture.h"

namespace gizrig::test {
namespace {

class LabOta : public LabModuleTest {};

TEST_F(LabOta, S9_6_ModuleUpdatesToTheNewVersionAndReportsItAfterTheReboot) {
  QByteArray image(4096, '\0');
  const QByteArray payload(3000, '\x5A');
  const std::size_t size = gagent::core::encodeFirmwareImage(
      {reinterpret_cast<std::uint8_t*>(image.data()), static_cast<std::size_t>(image.size())}, "GAGENTSM",
      "04020101", "26120119",
      {reinterpret_cast<const std::uint8_t*>(payload.constData()), static_cast<std::size_t>(payload.size())});
  ASSERT_GT(size, 0u);
  image.resize(static_cast<qsizetype>(size));
  ASSERT_TRUE(service_->firmware().publish("GAGENTSM", "04020101", 2, image));

  const int handshakesBefore = mcu_->handshakeCount();
  onboardAndWaitForCloud();  // configuration reboot, then check, download, install, reboot, login
  EXPECT_GE(mcu_->handshakeCount(), handshakesBefore + 2);
  mcu_->requestModuleInfo();
  ASSERT_TRUE(spinUntil([&] { return mcu_->moduleInfo().has_value(); }, 5000));
  EXPECT_EQ(mcu_->moduleInfo()->softVer, "04020101");
  EXPECT_EQ(mcu_->moduleInfo()->hardVer, "GAGENTSM");
}

}  // namespace
}  // namespace gizrig::test
