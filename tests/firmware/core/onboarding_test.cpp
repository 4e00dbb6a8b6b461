#include "gagent/core/onboarding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "capture_log.h"
#include "gagent/core/web_config.h"
#include "gagent/proto/http_parser.h"
#include "gagent/sim/sim_board.h"

using namespace gagent;
using namespace gagent::core;
using State = OnboardingState;

namespace {

struct NullWifiListener : WifiListener {
  void onRouterConnected(Millis) override {}
  void onRouterLost(Millis) override {}
  void onSignal(std::uint8_t, Millis) override {}
  void onScanDone(std::span<const hal::AccessPoint>, Millis) override {}
};

struct Change {
  State from;
  State to;
  Millis at;
  bool softApBit;
  bool onboardingBit;
  bool accepts;
  friend bool operator==(const Change&, const Change&) = default;
};

struct Configured {
  std::string ssid;
  std::string password;
  ConfigSource source;
  Millis at;
  friend bool operator==(const Configured&, const Configured&) = default;
};

struct Events : OnboardingListener {
  const Onboarding* onboarding = nullptr;
  std::vector<Change> changes;
  std::vector<Configured> configured;
  void onModeChanged(State from, State to, Millis now) override {
    // What the agent would copy into the status word at this moment (S6.2.6, S6.4.3).
    changes.push_back({from, to, now, onboarding->softApOn(), onboarding->onboardingOn(),
                       onboarding->acceptsOnboardingPackets()});
  }
  void onConfigured(std::string_view ssid, std::string_view password, ConfigSource source,
                    Millis now) override {
    configured.push_back({std::string(ssid), std::string(password), source, now});
  }
};

ModuleIdentity identityWithMac() {
  ModuleIdentity identity;
  identity.mac = {0x00, 0x1b, 0x2c, 0x3d, 0xa1, 0xf3};
  return identity;
}

struct OnboardingTest : ::testing::Test {
  sim::SimBoard board;
  LogHub logs;
  CaptureLog captured;
  NullWifiListener wifiListener;
  WifiManager wifi{board.radio(), logs, wifiListener};
  ModuleIdentity identity = identityWithMac();
  Events events;
  Onboarding onboarding{wifi, board.radio(), identity, logs, events};

  void SetUp() override {
    events.onboarding = &onboarding;
    logs.attach(captured, LogLevel::Debug);
  }

  [[nodiscard]] Millis now() { return board.clock().now(); }

  // The agent's loop in virtual time: poll, then jump to the next deadline (core or fake).
  void runUntil(Millis end) {
    for (;;) {
      const Millis t = now();
      wifi.poll(t);
      onboarding.poll(t);
      Millis next =
          earliest(earliest(wifi.nextDeadline(), onboarding.nextDeadline()), board.clock().nextEventTime());
      if (next <= t) next = t + 1;
      if (next > end) {
        board.clock().advanceTo(end);
        wifi.poll(end);
        onboarding.poll(end);
        return;
      }
      board.clock().advanceTo(next);
    }
  }

  [[nodiscard]] std::vector<Millis> radioEventTimes(std::string_view what) {
    std::vector<Millis> times;
    for (const auto& event : board.radio().events()) {
      if (event.what == what) times.push_back(event.time);
    }
    return times;
  }
  [[nodiscard]] bool radioDid(std::string_view what) { return !radioEventTimes(what).empty(); }
};

}  // namespace

TEST_F(OnboardingTest, S6_2_1_SoftApSsidFromMacAndPassword) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_EQ(board.radio().softApSsid(), "XPG-GAgent-A1F3");  // last 4 hex digits, upper case
  EXPECT_EQ(board.radio().softApPassword(), "123456789");
  EXPECT_EQ(board.net().moduleAddress(), sim::SimNet::kSoftApAddress);  // 10.10.100.254
  std::array<char, Onboarding::kSoftApSsidLength> buffer{};
  EXPECT_EQ(onboarding.softApSsid(buffer), "XPG-GAgent-A1F3");
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  EXPECT_TRUE(onboarding.acceptsOnboardingPackets());
}

TEST_F(OnboardingTest, S6_2_1_SsidFollowsTheMacKnownAtEntry) {
  identity.mac = {0xde, 0xad, 0xbe, 0xef, 0x0c, 0x0d};  // the agent fills the identity after construction
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  EXPECT_EQ(board.radio().softApSsid(), "XPG-GAgent-0C0D");
}

TEST_F(OnboardingTest, S6_2_2_McuConfigModeSelectsSoftApOrAirLink) {
  // Protocol §1.8: 1 = SoftAP, 2 = AirLink, any other value = AirLink.
  EXPECT_TRUE(onboarding.onConfigModeCommand(proto::configMethodFor(1), false, 0));
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  EXPECT_TRUE(onboarding.onConfigModeCommand(proto::configMethodFor(2), false, 10));
  EXPECT_EQ(onboarding.state(), State::OneShot);
  EXPECT_EQ(board.radio().oneShotKind(), hal::OneShotKind::AirLink);
  onboarding.leave(20);
  EXPECT_TRUE(onboarding.onConfigModeCommand(proto::configMethodFor(7), false, 30));
  EXPECT_EQ(onboarding.state(), State::OneShot);
  EXPECT_EQ(onboarding.oneShotKind(), hal::OneShotKind::AirLink);
  // Direct (4) carries credentials itself: not an onboarding mode.
  onboarding.leave(40);
  EXPECT_FALSE(onboarding.onConfigModeCommand(proto::ConfigMethod::Direct, false, 50));
  EXPECT_EQ(onboarding.state(), State::Off);
}

TEST_F(OnboardingTest, S6_2_2_EnteredAgainRestartsTheWindow) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  runUntil(hal::minutes(5));
  ASSERT_TRUE(onboarding.enterSoftAp(now()));
  EXPECT_EQ(onboarding.nextDeadline(), hal::minutes(15));
  runUntil(hal::minutes(12));
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  EXPECT_EQ(events.changes.size(), 1u);  // no second "entry"
}

TEST_F(OnboardingTest, S6_2_2_RadioRefusingTheApLeavesStateUnchanged) {
  // A radio that cannot host the AP: reported, and nothing changes.
  struct RefusingRadio : sim::SimRadio {
    using sim::SimRadio::SimRadio;
    bool startSoftAp(std::string_view, std::string_view) override { return false; }
  } radio{board.clock(), board.net()};
  WifiManager refusingWifi{radio, logs, wifiListener};
  Onboarding refused{refusingWifi, radio, identity, logs, events};
  EXPECT_FALSE(refused.enterSoftAp(0));
  EXPECT_EQ(refused.state(), State::Off);
  EXPECT_TRUE(events.changes.empty());
  EXPECT_TRUE(captured.contains("refused the SoftAP"));
}

TEST_F(OnboardingTest, S6_2_3_TenMinutesWithoutConfigEntersNoNetworkMode) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  EXPECT_EQ(onboarding.nextDeadline(), hal::minutes(10));
  runUntil(hal::minutes(10) - 1);
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  runUntil(hal::minutes(10));
  EXPECT_EQ(onboarding.state(), State::SoftApExpired);
  ASSERT_EQ(events.changes.size(), 2u);
  EXPECT_EQ(events.changes[1],
            (Change{State::SoftAp, State::SoftApExpired, hal::minutes(10), true, false, false}));
  EXPECT_FALSE(onboarding.acceptsOnboardingPackets());  // no more UDP 0001 nor WebConfig
  EXPECT_FALSE(onboarding.onboardingOn());
  EXPECT_FALSE(onboarding.onCredentials("HomeNet", "password1", ConfigSource::SoftAp, now()));
  EXPECT_TRUE(events.configured.empty());
  // No more scanning for an SDK that is no longer served, and no further deadline of its own.
  const std::size_t scans = radioEventTimes("scan").size();
  runUntil(hal::minutes(12));
  EXPECT_EQ(radioEventTimes("scan").size(), scans);
  EXPECT_EQ(onboarding.nextDeadline(), hal::kNever);
  EXPECT_TRUE(captured.contains("no-network mode"));
  // The MCU can ask again: onboarding listens again for a fresh 10 minutes.
  ASSERT_TRUE(onboarding.enterSoftAp(now()));
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  EXPECT_EQ(onboarding.nextDeadline(), hal::minutes(22));
}

TEST_F(OnboardingTest, S6_2_3_CredentialsLeaveSoftAp) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  runUntil(hal::seconds(20));
  ASSERT_TRUE(onboarding.onCredentials("HomeNet", "password1", ConfigSource::SoftAp, now()));
  EXPECT_EQ(onboarding.state(), State::Off);
  EXPECT_FALSE(onboarding.softApOn());  // configuration mode is left
  EXPECT_FALSE(onboarding.acceptsOnboardingPackets());
  // The radio's AP goes with the reboot the agent schedules: stopping it here would flush the 0002 queued
  // for the phone (S6.2.5 "acknowledge it"; measured for S6.1.2).
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_EQ(events.configured,
            (std::vector<Configured>{{"HomeNet", "password1", ConfigSource::SoftAp, hal::seconds(20)}}));
  EXPECT_EQ(onboarding.nextDeadline(), hal::kNever);
  const std::size_t scans = radioEventTimes("scan").size();
  runUntil(hal::minutes(1));
  EXPECT_EQ(radioEventTimes("scan").size(), scans);
}

TEST_F(OnboardingTest, S6_2_4_ScansEvery15sInSoftAp) {
  board.radio().addAccessPoint("HomeNet", "password1", 70);
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  runUntil(hal::seconds(60));
  EXPECT_EQ(radioEventTimes("scan"),
            (std::vector<Millis>{0, hal::seconds(15), hal::seconds(30), hal::seconds(45), hal::seconds(60)}));
  // The cache the SDK's AP-list request is answered from.
  ASSERT_EQ(wifi.lastScan().size(), 1u);
  EXPECT_EQ(wifi.lastScan()[0].ssidView(), "HomeNet");
  EXPECT_EQ(wifi.lastScan()[0].signal, 70);
}

TEST_F(OnboardingTest, S6_2_5_CredentialsSavedWithoutChecks) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  // A short password, characters WebConfig would refuse and escape-like sequences all pass unchanged.
  ASSERT_TRUE(onboarding.onCredentials("My Net%20+", "p%41ss \\n\"1", ConfigSource::SoftAp, 5));
  ASSERT_EQ(events.configured.size(), 1u);
  EXPECT_EQ(events.configured[0].ssid, "My Net%20+");
  EXPECT_EQ(events.configured[0].password, "p%41ss \\n\"1");

  // An open network (empty password) and a 32-byte SSID are fine too.
  const std::string ssid32(32, 'x');
  ASSERT_TRUE(onboarding.enterSoftAp(10));
  ASSERT_TRUE(onboarding.onCredentials(ssid32, "", ConfigSource::SoftAp, 15));
  EXPECT_EQ(events.configured.back(), (Configured{ssid32, "", ConfigSource::SoftAp, 15}));
}

TEST_F(OnboardingTest, S6_2_5_CredentialsThatCannotBeStoredAreRefused) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  EXPECT_FALSE(onboarding.onCredentials("", "password1", ConfigSource::SoftAp, 1));
  EXPECT_FALSE(onboarding.onCredentials(std::string(33, 'x'), "password1", ConfigSource::SoftAp, 2));
  EXPECT_FALSE(onboarding.onCredentials("HomeNet", std::string(65, 'p'), ConfigSource::SoftAp, 3));
  EXPECT_TRUE(events.configured.empty());
  EXPECT_EQ(onboarding.state(), State::SoftAp);  // still listening for a usable packet
}

TEST_F(OnboardingTest, S6_2_5_CredentialsIgnoredOutsideSoftApOnboarding) {
  EXPECT_FALSE(onboarding.onCredentials("HomeNet", "password1", ConfigSource::SoftAp, 0));
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 0));
  EXPECT_FALSE(onboarding.acceptsOnboardingPackets());
  EXPECT_FALSE(onboarding.onCredentials("HomeNet", "password1", ConfigSource::WebConfig, 1));
  EXPECT_TRUE(events.configured.empty());
  EXPECT_TRUE(captured.contains("credentials ignored"));
}

TEST_F(OnboardingTest, S6_2_6_EntryAndExitNotified) {
  ASSERT_TRUE(onboarding.enterSoftAp(100));
  ASSERT_TRUE(onboarding.onCredentials("HomeNet", "password1", ConfigSource::SoftAp, 200));
  EXPECT_EQ(events.changes, (std::vector<Change>{{State::Off, State::SoftAp, 100, true, true, true},
                                                 {State::SoftAp, State::Off, 200, false, false, false}}));
  // The exit is notified before the credentials go to be saved (status synced before the reboot).
  ASSERT_EQ(events.configured.size(), 1u);
}

TEST_F(OnboardingTest, S6_4_3_OneShotEntryAndExitNotified) {
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 0));
  runUntil(hal::seconds(60));
  // Onboarding on without SoftAP (protocol §1.9: bit 2 with bit 0 clear = AirLink).
  EXPECT_EQ(events.changes,
            (std::vector<Change>{{State::Off, State::OneShot, 0, false, true, false},
                                 {State::OneShot, State::Off, hal::seconds(60), false, false, false}}));
}

TEST_F(OnboardingTest, S6_4_1_AirLinkNotEnteredWhenConnected) {
  EXPECT_FALSE(onboarding.enterOneShot(hal::OneShotKind::AirLink, true, 0));
  EXPECT_EQ(onboarding.state(), State::Off);
  EXPECT_FALSE(radioDid("oneshot airlink"));
  EXPECT_TRUE(events.changes.empty());
  EXPECT_TRUE(captured.contains("station mode and connected"));
  // Without a router connection it is entered.
  EXPECT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 10));
  EXPECT_TRUE(radioDid("oneshot airlink"));
}

TEST_F(OnboardingTest, S6_4_1_AirLinkFromSoftApIsNotStationMode) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  EXPECT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, true, 10));
  EXPECT_EQ(onboarding.state(), State::OneShot);
  EXPECT_FALSE(board.radio().softApOn());  // the sniffer has the radio to itself
}

TEST_F(OnboardingTest, S6_4_2_AirLinkTimesOutAfter60sAndRestores) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  runUntil(hal::seconds(5));
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, now()));
  EXPECT_FALSE(board.radio().softApOn());
  EXPECT_TRUE(onboarding.onboardingOn());
  runUntil(hal::seconds(65) - 1);
  EXPECT_EQ(onboarding.state(), State::OneShot);
  runUntil(hal::seconds(65));
  // Back to SoftAP, listening again for a fresh 10 minutes.
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_EQ(radioEventTimes("oneshot stop"), std::vector<Millis>{hal::seconds(65)});
  EXPECT_EQ(radioEventTimes("softap on XPG-GAgent-A1F3"), (std::vector<Millis>{0, hal::seconds(65)}));
  EXPECT_EQ(onboarding.nextDeadline(), hal::seconds(65) + hal::minutes(10));
  EXPECT_TRUE(events.configured.empty());
  // The 15 s scans resume with the SoftAP.
  runUntil(hal::seconds(81));
  EXPECT_EQ(radioEventTimes("scan").back(), hal::seconds(80));
}

TEST_F(OnboardingTest, S6_4_2_AirLinkTimeoutFromStationRestoresStation) {
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 0));
  runUntil(hal::seconds(60));
  EXPECT_EQ(onboarding.state(), State::Off);
  EXPECT_FALSE(board.radio().softApOn());
  EXPECT_EQ(onboarding.nextDeadline(), hal::kNever);
}

TEST_F(OnboardingTest, S6_4_2_AirLinkTimeoutFromNoNetworkModeRestoresIt) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  runUntil(hal::minutes(10));
  ASSERT_EQ(onboarding.state(), State::SoftApExpired);
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, now()));
  runUntil(hal::minutes(11));
  EXPECT_EQ(onboarding.state(), State::SoftApExpired);
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_FALSE(onboarding.acceptsOnboardingPackets());
}

TEST_F(OnboardingTest, S6_4_2_AirLinkResultConfigures) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 0));
  runUntil(hal::seconds(30));
  ASSERT_TRUE(board.radio().deliverOneShot("HomeNet", "password1"));
  runUntil(hal::seconds(31));
  EXPECT_EQ(events.configured,
            (std::vector<Configured>{{"HomeNet", "password1", ConfigSource::AirLink, hal::seconds(30)}}));
  EXPECT_EQ(onboarding.state(), State::Off);  // configured: the SoftAP does not come back
  EXPECT_FALSE(board.radio().softApOn());
  EXPECT_TRUE(radioDid("oneshot stop"));
  EXPECT_EQ(onboarding.nextDeadline(), hal::kNever);
}

TEST_F(OnboardingTest, S6_4_2_EmptyOneShotResultKeepsListening) {
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 0));
  ASSERT_TRUE(board.radio().deliverOneShot("", "password1"));
  runUntil(hal::seconds(1));
  EXPECT_TRUE(events.configured.empty());
  EXPECT_EQ(onboarding.state(), State::OneShot);
  EXPECT_EQ(board.radio().oneShotState(), hal::OneShotState::Listening);
  runUntil(hal::seconds(60));
  EXPECT_EQ(onboarding.state(), State::Off);  // the window is not extended
}

TEST_F(OnboardingTest, S6_4_UnsupportedRadioLeavesAtOnce) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  board.radio().setOneShotSupported(false);
  EXPECT_FALSE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 10));
  EXPECT_EQ(onboarding.state(), State::SoftAp);  // nothing changed: the AP was never taken down
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_EQ(events.changes.size(), 1u);
  EXPECT_TRUE(captured.contains("no one-shot listener"));
}

TEST_F(OnboardingTest, S6_4_RadioDroppingOneShotSupportMidwayRestores) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirKiss, false, 0));
  board.radio().setOneShotSupported(false);
  runUntil(hal::seconds(1));
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  EXPECT_TRUE(board.radio().softApOn());
  EXPECT_TRUE(captured.contains("unsupported by the radio"));
}

TEST_F(OnboardingTest, S6_5_1_AirKissSameRules) {
  // Not entered while connected in station mode.
  EXPECT_FALSE(onboarding.enterOneShot(hal::OneShotKind::AirKiss, true, 0));
  EXPECT_FALSE(radioDid("oneshot airkiss"));
  // 60 s window, then the previous state.
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirKiss, false, 0));
  EXPECT_EQ(board.radio().oneShotKind(), hal::OneShotKind::AirKiss);
  EXPECT_EQ(onboarding.oneShotKind(), hal::OneShotKind::AirKiss);
  runUntil(hal::seconds(60));
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  // A result configures with the AirKiss source.
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirKiss, false, now()));
  ASSERT_TRUE(board.radio().deliverOneShot("WeChatNet", "wechat123"));
  runUntil(hal::seconds(61));
  ASSERT_EQ(events.configured.size(), 1u);
  EXPECT_EQ(events.configured[0].source, ConfigSource::AirKiss);
  EXPECT_EQ(events.configured[0].ssid, "WeChatNet");
  EXPECT_EQ(events.configured[0].password, "wechat123");
}

TEST_F(OnboardingTest, S6_2_2_SoftApRequestedDuringOneShotSwitches) {
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 0));
  ASSERT_TRUE(onboarding.enterSoftAp(hal::seconds(10)));
  EXPECT_EQ(onboarding.state(), State::SoftAp);
  EXPECT_EQ(board.radio().oneShotState(), hal::OneShotState::Idle);
  EXPECT_EQ(onboarding.nextDeadline(), hal::seconds(10) + hal::minutes(10));
}

TEST_F(OnboardingTest, S6_4_2_SecondAirLinkRequestRestartsTheWindow) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 0));
  runUntil(hal::seconds(40));
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirKiss, false, now()));
  runUntil(hal::seconds(99));
  EXPECT_EQ(onboarding.state(), State::OneShot);
  runUntil(hal::seconds(100));
  EXPECT_EQ(onboarding.state(), State::SoftAp);  // still restores what ran before the first request
}

TEST_F(OnboardingTest, LeaveStopsEverything) {
  ASSERT_TRUE(onboarding.enterSoftAp(0));
  onboarding.leave(5);
  EXPECT_EQ(onboarding.state(), State::Off);
  EXPECT_FALSE(board.radio().softApOn());
  EXPECT_EQ(onboarding.nextDeadline(), hal::kNever);
  ASSERT_TRUE(onboarding.enterOneShot(hal::OneShotKind::AirLink, false, 10));
  onboarding.leave(20);
  EXPECT_EQ(board.radio().oneShotState(), hal::OneShotState::Idle);
  EXPECT_EQ(events.changes.back().to, State::Off);
}

// S6.3.4: WebConfig enters, exits and reports like S6.2. The agent's wiring: the server runs while
// acceptsOnboardingPackets(), and its credentials go to onCredentials with the WebConfig source.
TEST_F(OnboardingTest, S6_3_4_WebConfigFollowsSoftApOnboarding) {
  struct Glue : OnboardingListener, WebConfigListener {
    Onboarding* onboarding = nullptr;
    WebConfigServer* server = nullptr;
    std::vector<Configured> configured;
    void onModeChanged(State, State, Millis now) override {
      if (onboarding->acceptsOnboardingPackets()) {
        server->start(now);
      } else {
        server->stop();
      }
    }
    void onConfigured(std::string_view ssid, std::string_view password, ConfigSource source,
                      Millis now) override {
      configured.push_back({std::string(ssid), std::string(password), source, now});
    }
    void onWebCredentials(std::string_view ssid, std::string_view password, Millis now) override {
      onboarding->onCredentials(ssid, password, ConfigSource::WebConfig, now);
    }
  } glue;
  constexpr std::uint16_t kPort = 8080;
  WebConfigServer server{board.net(), logs, glue, kPort};
  Onboarding withWeb{wifi, board.radio(), identity, logs, glue};
  glue.onboarding = &withWeb;
  glue.server = &server;

  ASSERT_TRUE(withWeb.enterSoftAp(0));
  EXPECT_TRUE(server.running());
  const hal::Endpoint phone{hal::ipv4(10, 10, 100, 240), 50000};
  sim::PeerTcpConnection* browser = board.net().connectPeer(phone, {sim::SimNet::kSoftApAddress, kPort});
  ASSERT_NE(browser, nullptr);
  browser->send(
      proto::asBytes("GET /web_config.cgi?ssid=HomeNet&pass=password1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  server.poll(hal::seconds(3));

  proto::HttpSmallResponse<2048> reply;
  const auto bytes = browser->receiveAll();
  ASSERT_EQ(reply.feed(bytes), proto::ParseStatus::Ok);
  EXPECT_EQ(reply.statusCode(), 200);
  EXPECT_EQ(glue.configured,
            (std::vector<Configured>{{"HomeNet", "password1", ConfigSource::WebConfig, hal::seconds(3)}}));
  EXPECT_FALSE(server.running());  // left SoftAP onboarding: WebConfig stopped
  EXPECT_FALSE(board.net().moduleListening(kPort));

  // After the 10-minute window WebConfig is not served either.
  ASSERT_TRUE(withWeb.enterSoftAp(hal::seconds(10)));
  EXPECT_TRUE(server.running());
  withWeb.poll(hal::seconds(10) + hal::minutes(10));
  EXPECT_EQ(withWeb.state(), State::SoftApExpired);
  EXPECT_FALSE(server.running());
}
