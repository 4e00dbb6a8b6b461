// gagent-sim's versions (S2.1, S2.2): --hw-version / --sw-version are what the module reports, until an image
// installed by OTA (S9.6) sits in the flash file's OTA region - then its software version wins.
#include "gagent/core/firmware_image.h"
#include "gagent/posix/file_flash.h"
#include "sim_lab_rt.h"

namespace gagent::test {
namespace {

using proto::LanCmd;

class GagentSimVersion : public RealTimeLab {
 protected:
  // LAN 0013 -> 0014 (pre-login): the WiFi versions the module reports.
  std::pair<std::string, std::string> reportedVersions() {
    const hal::SocketId session = connectTcp();
    sendTcp(session, LanCmd::DeviceInfoRequest);
    const auto reply = awaitTcp(session, LanCmd::DeviceInfoReply);
    app.close(session);
    if (!reply) return {};
    const auto info = proto::parseLanDeviceInfo(reply->payload);
    if (!info.ok()) return {};
    return {std::string(info.value.wifiHardVer), std::string(info.value.wifiSoftVer)};
  }
};

TEST_F(GagentSimVersion, S2_1_S2_2_CommandLineVersionsAreReported) {
  startSim({"--hw-version", "GAGENTSM", "--sw-version", "04020011"});
  ASSERT_TRUE(handshakeDone());
  EXPECT_EQ(reportedVersions(), std::make_pair(std::string("GAGENTSM"), std::string("04020011")));
}

TEST_F(GagentSimVersion, S9_6_AnInstalledImageSetsTheSoftwareVersionSwVersionIsOnlyTheDefault) {
  {
    posix::FileFlash flash;
    ASSERT_EQ(flash.open(dir.file("module.flash")), "");
    const core::FlashRegion region = core::otaRegion(flash);
    std::vector<std::uint8_t> image(1024);
    const std::vector<std::uint8_t> payload(200, 0xA5);
    image.resize(core::encodeFirmwareImage(image, "GAGENTSM", "04020099", "25010112", payload));
    ASSERT_FALSE(image.empty());
    ASSERT_TRUE(flash.eraseSector(region.offset));
    ASSERT_TRUE(flash.write(region.offset, image));
  }
  startSim({"--hw-version", "GAGENTSM", "--sw-version", "04020011"});
  ASSERT_TRUE(handshakeDone());
  EXPECT_EQ(reportedVersions(), std::make_pair(std::string("GAGENTSM"), std::string("04020099")));
}

}  // namespace
}  // namespace gagent::test
