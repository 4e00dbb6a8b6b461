// Configuration mode end to end (S6): SoftAP packet, WebConfig form, AirLink, timeouts, config-success.
#include <string>

#include "sim_lab.h"

namespace gagent::sim {
namespace {

using proto::LanCmd;
using proto::McuCmd;

class AgentConfig : public SimLab {
 protected:
  // A browser on the module's AP (S6.3.1): one request, the whole answer.
  std::string browse(const std::string& request) {
    PeerTcpConnection* browser = board.net().connectPeer(
        {kPhoneOnSoftAp, 0}, {SimNet::kSoftApAddress, core::WebConfigServer::kDefaultPort});
    if (browser == nullptr) return "";
    browser->send(proto::asBytes(request));
    runFor(hal::seconds(1));
    const Bytes answer = browser->receiveAll();
    return std::string(answer.begin(), answer.end());
  }
};

TEST_F(AgentConfig, S6_2_5_S6_1_3_SoftApPacketThenRebootJoinAndThirtyConfigSuccessBroadcasts) {
  PeerUdpSocket& listener = board.net().openPeerUdp({kPhoneOnHomeLan, proto::kLanAnnouncePort});
  powerOn();
  runFor(hal::seconds(1));
  ASSERT_TRUE(softApOnboard(kHomeSsid, kHomePassword));  // acknowledged with 0002
  runFor(hal::seconds(2));
  EXPECT_EQ(module.boots(), 2u);
  EXPECT_EQ(agent().config().ssid.view(), kHomeSsid);
  EXPECT_FALSE(board.radio().softApOn());
  EXPECT_TRUE(statusBit(1));  // station
  EXPECT_TRUE(statusBit(4));  // router
  runFor(hal::seconds(40));
  EXPECT_EQ(countBroadcasts(listener, LanCmd::ConfigSuccess), 30u);
  // S6.1.3: not after a plain power-on.
  mcu.send(McuCmd::RestartModule);
  runFor(hal::seconds(40));
  EXPECT_EQ(countBroadcasts(listener, LanCmd::ConfigSuccess), 0u);
}

TEST_F(AgentConfig, S6_3_3_WebConfigFormConfiguresTheModule) {
  powerOn();
  runFor(hal::seconds(1));
  const std::string page = browse("GET / HTTP/1.1\r\nHost: 10.10.100.254\r\n\r\n");
  EXPECT_NE(page.find("200"), std::string::npos);
  EXPECT_NE(page.find("<form"), std::string::npos);
  const std::string bad =
      browse("GET /web_config.cgi?ssid=Home%20Net&pass=password1 HTTP/1.1\r\nHost: 10.10.100.254\r\n\r\n");
  EXPECT_EQ(bad.rfind("HTTP/1.1 400", 0), 0u);  // S6.3.2: a space is not allowed
  EXPECT_EQ(module.boots(), 1u);
  const std::string ok =
      browse("GET /web_config.cgi?ssid=HomeNet&pass=password1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(ok.rfind("HTTP/1.1 200", 0), 0u);
  runFor(hal::seconds(2));
  EXPECT_EQ(module.boots(), 2u);
  EXPECT_EQ(agent().config().ssid.view(), kHomeSsid);
  EXPECT_TRUE(statusBit(4));
}

TEST_F(AgentConfig, S6_2_3_TenMinutesWithoutConfigurationIsNoNetworkMode) {
  powerOn();
  runFor(core::Onboarding::kSoftApWindow + hal::seconds(1));
  EXPECT_FALSE(statusBit(2));                             // onboarding off
  EXPECT_FALSE(softApOnboard(kHomeSsid, kHomePassword));  // no 0002 any more
  EXPECT_EQ(browse("GET / HTTP/1.1\r\n\r\n"), "");        // WebConfig stopped
  EXPECT_EQ(module.boots(), 1u);
  mcu.send(McuCmd::ConfigMode, Bytes{0x01});  // the user presses the key again: SoftAP onboarding again
  runFor(hal::seconds(1));
  EXPECT_TRUE(statusBit(2));
  EXPECT_TRUE(softApOnboard(kHomeSsid, kHomePassword));
}

TEST_F(AgentConfig, S6_4_AirLinkFromTheMcuConfiguresTheModule) {
  powerOn();
  runFor(hal::seconds(1));
  mcu.send(McuCmd::ConfigMode, Bytes{0x02});
  runFor(hal::seconds(1));
  EXPECT_TRUE(statusBit(2));                             // S6.4.3: onboarding on
  EXPECT_FALSE(statusBit(0));                            // the AP is down while sniffing
  EXPECT_EQ(agent().ledMode(), core::LedMode::AirLink);  // S4.1 row 2
  ASSERT_TRUE(board.radio().deliverOneShot(kHomeSsid, kHomePassword));
  runFor(hal::seconds(2));
  EXPECT_EQ(module.boots(), 2u);
  EXPECT_EQ(agent().config().ssid.view(), kHomeSsid);
  EXPECT_EQ(agent().config().pendingConfigSuccess, core::ConfigSource::AirLink);
}

TEST_F(AgentConfig, S6_4_1_AirLinkIsNotEnteredWhileConnectedToTheRouter) {
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(5));
  mcu.send(McuCmd::ConfigMode, Bytes{0x02});
  runFor(hal::seconds(1));
  EXPECT_FALSE(statusBit(2));
  EXPECT_TRUE(statusBit(4));
}

TEST_F(AgentConfig, S6_4_2_AirLinkTimesOutAfter60sBackToSoftAp) {
  powerOn();
  runFor(hal::seconds(1));
  mcu.send(McuCmd::ConfigMode, Bytes{0x02});
  runFor(core::Onboarding::kOneShotWindow + hal::seconds(1));
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_TRUE(statusBit(0));
  EXPECT_EQ(agent().ledMode(), core::LedMode::SoftAp);
}

TEST_F(AgentConfig, S6_2_6_EveryEntryCommandSyncsTheStatusWordEvenWhenAlreadyInThatMode) {
  powerOn();  // factory-new: SoftAP onboarding from the start
  runFor(hal::seconds(5));
  ASSERT_TRUE(statusBit(0));  // SoftAP
  mcu.send(McuCmd::ConfigMode, Bytes{0x01});
  runFor(hal::seconds(1));
  const std::size_t before = mcu.statusWords.size();
  const std::uint16_t word = mcu.lastStatus();
  // The MCU asks again (the user pressed the key twice): nothing changes, but the MCU hears it confirmed.
  mcu.send(McuCmd::ConfigMode, Bytes{0x01});
  runFor(hal::seconds(1));
  ASSERT_EQ(mcu.statusWords.size(), before + 1);
  EXPECT_EQ(mcu.statusWords.back(), word);
}

TEST_F(AgentConfig, S7_2_2_EnteringConfigurationOpensTheBindWindow) {
  mcu.bindTimeout = 30;
  bootConfiguredForHomeRouter();
  runFor(hal::seconds(40));
  EXPECT_FALSE(statusBit(3));
  mcu.send(McuCmd::ConfigMode, Bytes{0x01});  // SoftAP
  runFor(hal::seconds(1));
  EXPECT_TRUE(statusBit(3));
  runFor(hal::seconds(30));
  EXPECT_FALSE(statusBit(3));
}

TEST_F(AgentConfig, S6_1_1_SoftApWebConfigAndOneShotEachConfigureTheModule) {
  // SoftAP (0001), WebConfig (form), AirLink/AirKiss (the radio's one-shot listener; S6.5.1 same rules).
  powerOn();
  runFor(hal::seconds(1));
  ASSERT_TRUE(softApOnboard("NetA", "passwordA"));
  runFor(hal::seconds(2));
  EXPECT_EQ(agent().config().ssid.view(), "NetA");
  EXPECT_EQ(agent().config().pendingConfigSuccess, core::ConfigSource::SoftAp);

  mcu.send(McuCmd::ConfigMode, Bytes{0x01});
  runFor(hal::seconds(1));
  const std::string ok = browse("GET /web_config.cgi?ssid=NetB&pass=passwordB HTTP/1.1\r\n\r\n");
  EXPECT_EQ(ok.rfind("HTTP/1.1 200", 0), 0u);
  runFor(hal::seconds(2));
  EXPECT_EQ(agent().config().ssid.view(), "NetB");
  EXPECT_EQ(agent().config().pendingConfigSuccess, core::ConfigSource::WebConfig);

  mcu.send(McuCmd::ConfigMode, Bytes{0x02});  // NetB is not in the air: station mode, not connected
  runFor(hal::seconds(1));
  ASSERT_TRUE(board.radio().deliverOneShot("NetC", "passwordC"));
  runFor(hal::seconds(2));
  EXPECT_EQ(agent().config().ssid.view(), "NetC");
  EXPECT_EQ(agent().config().pendingConfigSuccess, core::ConfigSource::AirLink);
  EXPECT_EQ(module.boots(), 4u);
}

}  // namespace
}  // namespace gagent::sim
