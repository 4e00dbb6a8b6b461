// The big loop end to end (S8, S9, S11, S7.7, S7.8, S12.2): the module against the stand-in cloud.
#include "gagent/core/firmware_image.h"
#include "sim_lab.h"

namespace gagent::sim {
namespace {

using proto::LanCmd;
using proto::McuCmd;

class AgentCloud : public SimLab {
 protected:
  std::string did() { return std::string(agent().config().did.view()); }
  std::size_t publishesTo(const std::string& topic, LanCmd cmd) {
    std::size_t n = 0;
    for (const auto& p : cloud.publishedByDevice()) {
      const proto::LanDecode d = proto::parseLanDatagram(p.payload);
      n += p.topic == topic && d.ok() && d.packet.cmd == proto::toU16(cmd) ? 1 : 0;
    }
    return n;
  }
};

TEST_F(AgentCloud, S8_2_S8_4_1_S8_6_RegisterProvisionLoginSubscribeThenCloudConnected) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  EXPECT_EQ(requestsTo(CloudEndpoint::Register), 1u);
  EXPECT_EQ(requestsTo(CloudEndpoint::Provision), 1u);
  EXPECT_EQ(requestsTo(CloudEndpoint::OtaCheck), 1u);  // S9.2: after provision, before login
  ASSERT_EQ(did().size(), 22u);
  EXPECT_TRUE(cloud.deviceOnline(did()));
  EXPECT_EQ(cloud.subscriptions(did()).size(), 3u);
  EXPECT_TRUE(statusBit(4));  // router
  EXPECT_TRUE(statusBit(5));  // cloud, only after the three SUBACKs
  EXPECT_EQ(agent().ledMode(), core::LedMode::CloudConnected);
}

TEST_F(AgentCloud, S8_4_3_ProvisionAtEveryStartButRegisterOnlyOnce) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  mcu.send(McuCmd::RestartModule);
  runFor(hal::seconds(10));
  EXPECT_EQ(module.boots(), 3u);
  EXPECT_EQ(requestsTo(CloudEndpoint::Register), 1u);
  EXPECT_EQ(requestsTo(CloudEndpoint::Provision), 2u);
  EXPECT_TRUE(cloud.deviceOnline(did()));
}

TEST_F(AgentCloud, S8_7_CloudControlReachesTheMcuAndTheAnswerGoesBackToThatClient) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  const Bytes control{0x01, 0x3F, 0x01, 0x11, 0x22, 0x33, 0x00, 0x07};
  Bytes payload{0x00, 0x00, 0x00, 0x2A};
  payload.insert(payload.end(), control.begin(), control.end());
  ASSERT_TRUE(cloud.appPublish(did(), "phone01", lanPacket(LanCmd::P0ToDeviceSn, payload)));
  runFor(hal::seconds(1));
  ASSERT_FALSE(mcu.controls.empty());
  EXPECT_EQ(mcu.controls.back(), control);  // S7.4.2: header rewritten, P0 as is
  EXPECT_EQ(publishesTo("dev2app/" + did() + "/phone01", LanCmd::P0FromDeviceSn), 1u);  // S7.4.5
  EXPECT_EQ(publishesTo("dev2app/" + did(), LanCmd::P0FromDevice), 1u);  // the report, to everyone
}

TEST_F(AgentCloud, S7_4_3_McuReportGoesToTheCloud) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  mcu.report();
  runFor(hal::seconds(1));
  EXPECT_EQ(publishesTo("dev2app/" + did(), LanCmd::P0FromDevice), 1u);
}

TEST_F(AgentCloud, S8_3_S7_7_1_ResetUnregistersClearsKeepsTheFidAndComesBackInSoftAp) {
  Bytes image(1024);
  image.resize(core::encodeFirmwareImage(image, "GAGENTSM", "04020001", "26120118", Bytes(100, 0x5A)));
  cloud.publishFirmware("GAGENTSM", "04020001", 2, image);
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(20));
  ASSERT_EQ(agent().config().fid, 2u);  // installed by OTA, then rebooted
  const std::size_t boots = module.boots();
  const std::string oldDid = did();
  mcu.send(McuCmd::ResetModule);
  runFor(hal::seconds(1));
  ASSERT_EQ(requestsTo(CloudEndpoint::Unregister), 1u);  // S8.3
  EXPECT_EQ(cloud.httpRequests().back().field("did"), oldDid);
  EXPECT_EQ(module.boots(), boots);  // the reboot waits 2 s (protocol §1.8)
  runFor(hal::seconds(2));
  EXPECT_EQ(module.boots(), boots + 1);
  EXPECT_TRUE(agent().config().did.empty());  // S7.7.1
  EXPECT_TRUE(agent().config().ssid.empty());
  EXPECT_TRUE(agent().config().password.empty());
  EXPECT_EQ(agent().config().fid, 2u);  // S7.7.1: not the FID
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_FALSE(agent().config().passcode.empty());  // a new one for the next registration
}

TEST_F(AgentCloud, S8_9_Connack04MakesTheModuleRegisterAgain) {
  cloud.forceConnack(proto::ConnackCode::BadUserNameOrPassword, 1);
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(30));
  EXPECT_EQ(requestsTo(CloudEndpoint::Register), 2u);
  EXPECT_EQ(requestsTo(CloudEndpoint::Unregister), 0u);  // S8.9: do not unregister
  EXPECT_TRUE(cloud.deviceOnline(did()));
}

TEST_F(AgentCloud, S8_9_Connack03FollowsTheReconnectScheduleWithoutRegistering) {
  cloud.forceConnack(proto::ConnackCode::ServerUnavailable, 2);
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(45));
  EXPECT_EQ(requestsTo(CloudEndpoint::Register), 1u);
  EXPECT_EQ(cloud.connects().size(), 3u);  // refused, refused after 10 s, accepted after 20 s more
  EXPECT_TRUE(cloud.deviceOnline(did()));
}

TEST_F(AgentCloud, S8_8_5_TwoHoursWithoutM2mRebootsAndTheScheduleStartsAgain) {
  cloud.setM2mDown(true);
  bootConfiguredForHomeRouter();
  const std::size_t bootsBefore = module.boots();
  runFor(hal::hours(2) - hal::seconds(30));
  EXPECT_EQ(module.boots(), bootsBefore);
  EXPECT_GE(requestsTo(CloudEndpoint::Provision), 2u);  // S8.8.4: re-provision after 10 failures
  // The broker is back, but by now the module waits minutes between tries (S8.8.3)...
  cloud.setM2mDown(false);
  runFor(hal::minutes(1));
  ASSERT_EQ(module.boots(), bootsBefore + 1);
  const Millis rebootAt = board.system().rebootTimes().back();
  // ...so no try between the broker's return and the reboot; after it the schedule starts at 0 s (S8.8.6).
  ASSERT_FALSE(cloud.connects().empty());
  EXPECT_GE(cloud.connects().front().time, rebootAt);
  EXPECT_LE(cloud.connects().front().time - rebootAt, hal::seconds(2));
  EXPECT_TRUE(cloud.deviceOnline(did()));
}

TEST_F(AgentCloud, S8_8_2_SilentBrokerIsDroppedAfter120sAndTheModuleReconnects) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  ASSERT_TRUE(statusBit(5));
  cloud.setSilent(true);
  runFor(core::MqttSession::kDropAfterSilence + hal::seconds(5));
  EXPECT_FALSE(statusBit(5));
  cloud.setSilent(false);
  runFor(hal::seconds(30));
  EXPECT_TRUE(statusBit(5));
  EXPECT_GE(cloud.connects().size(), 2u);
}

TEST_F(AgentCloud, S12_2_RouterLossStopsTheCloudAndItComesBackWithTheRouter) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  board.radio().setPowered(kHomeSsid, false);
  runFor(hal::seconds(5));
  EXPECT_FALSE(statusBit(4));
  EXPECT_FALSE(statusBit(5));
  EXPECT_EQ(agent().ledMode(), core::LedMode::NotConnected);  // S4.1 row 4
  runFor(hal::minutes(30));                                   // retried all along
  board.radio().setPowered(kHomeSsid, true);
  runFor(hal::seconds(20));
  EXPECT_TRUE(statusBit(4));
  EXPECT_TRUE(statusBit(5));
}

TEST_F(AgentCloud, S9_6_OtaInstallsTheImageThenTheFidAndRebootsIntoTheNewVersion) {
  Bytes image(4096);
  const Bytes payload(2000, 0xA5);
  image.resize(core::encodeFirmwareImage(image, "GAGENTSM", "04020001", "26120118", payload));
  ASSERT_FALSE(image.empty());
  cloud.publishFirmware("GAGENTSM", "04020001", 2, image);
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(20));
  EXPECT_EQ(agent().config().fid, 2u);
  EXPECT_EQ(agent().config().firmwareVersion.view(), "26120118");
  EXPECT_EQ(agent().identity().wifiSoftwareVersion.view(), "04020001");
  EXPECT_EQ(module.boots(), 3u);
  EXPECT_TRUE(cloud.deviceOnline(did()));
}

TEST_F(AgentCloud, S9_2_NoFirmwareMeansNoUpdateAndLoginGoesOn) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  EXPECT_EQ(agent().config().fid, 0u);  // S9.4: nothing stored
  EXPECT_EQ(cloud.httpRequests().at(2).field("current_fid"), "1");
  EXPECT_TRUE(cloud.deviceOnline(did()));
}

TEST_F(AgentCloud, S9_1_ServerPushedOtaRunsTheCheckAtOnce) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  const std::size_t checks = requestsTo(CloudEndpoint::OtaCheck);
  cloud.pushOta(did(), proto::OtaFirmwareType::Wifi);
  runFor(hal::seconds(2));
  EXPECT_EQ(requestsTo(CloudEndpoint::OtaCheck), checks + 1);
}

TEST_F(AgentCloud, S7_8_1_ProductKeyChangeClearsTheCloudIdentityAndUnregistersTheOldDid) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(10));
  const std::string oldDid = did();
  mcu.productKey = "0123456789abcdef0123456789abcdef";
  mcu.send(McuCmd::RestartModule);
  runFor(hal::seconds(20));
  EXPECT_EQ(requestsTo(CloudEndpoint::Register), 2u);
  ASSERT_EQ(requestsTo(CloudEndpoint::Unregister), 1u);
  EXPECT_NE(did(), oldDid);
  EXPECT_TRUE(agent().config().oldDid.empty());
  EXPECT_EQ(agent().config().productKey.view(), "0123456789abcdef0123456789abcdef");
}

TEST_F(AgentCloud, S11_3_UnresolvableApiHostMeansNoCloudButTheLanWorks) {
  board.dns().setFailing(true);
  bootConfiguredForHomeRouter();
  runFor(hal::minutes(2));
  EXPECT_TRUE(cloud.httpRequests().empty());
  EXPECT_FALSE(statusBit(5));
  AppSession app = loginFromHomeLan();
  app.send(LanCmd::P0ToDevice, Bytes{0x02});
  runFor(hal::seconds(1));
  bool answered = false;
  for (const auto& m : app.receive()) answered = answered || m.cmd == LanCmd::P0FromDevice;
  EXPECT_TRUE(answered);
}

}  // namespace
}  // namespace gagent::sim
