// S6.1.2 "lab configuration success rate >= 99 %", held in CI: a few hundred seeded onboardings per method
// at a home router's loss (2 %, with its delay, duplicates and reordering: homeWifi) must succeed in
// >= 99 % (deterministic: every seed is fixed). The model is onboarding_trial.h / phone_apps.h /
// oneshot_air.h; scripts/bench runs the thousands (onboarding_bench). Plus checks that the impairment bites,
// and the fixes the measurement found (S6.2.5: the 0002 must leave the radio; a repeat is acknowledged).
#include <gtest/gtest.h>

#include "onboarding_trial.h"
#include "sim_lab.h"

namespace gagent::sim {
namespace {

constexpr double kHomeRouterLoss = 0.02;
constexpr std::size_t kTrials = 400;

struct Tally {
  std::size_t successes = 0;
  std::size_t acknowledged = 0;
};

Tally run(OnboardingMethod method, const UdpImpairment& impairment, std::size_t trials, std::uint64_t base) {
  Tally tally;
  for (std::size_t t = 0; t < trials; ++t) {
    const OnboardingTrialResult r = runOnboardingTrial(method, impairment, mixSeed(base, t));
    tally.successes += r.success ? 1 : 0;
    tally.acknowledged += r.acknowledged ? 1 : 0;
  }
  return tally;
}

// >= 99 % of `trials`, in whole trials.
std::size_t ninetyNinePercentOf(std::size_t trials) {
  return (trials * 99 + 99) / 100;
}

TEST(OnboardingRate, S6_1_2_SoftApAtAHomeRoutersLossSucceedsInAtLeast99Percent) {
  const Tally tally = run(OnboardingMethod::SoftAp, homeWifi(kHomeRouterLoss), kTrials, 0x50F7A9);
  EXPECT_GE(tally.successes, ninetyNinePercentOf(kTrials));
  // S6.2.5 "acknowledge it": the app hears the 0002 (it did in none before the AP was kept to the reboot).
  EXPECT_GE(tally.acknowledged, ninetyNinePercentOf(kTrials));
}

TEST(OnboardingRate, S6_1_2_WebConfigAtAHomeRoutersLossSucceedsInAtLeast99Percent) {
  const Tally tally = run(OnboardingMethod::WebConfig, homeWifi(kHomeRouterLoss), kTrials, 0x3EBC0F);
  EXPECT_GE(tally.successes, ninetyNinePercentOf(kTrials));
  EXPECT_GE(tally.acknowledged, ninetyNinePercentOf(kTrials));  // the success page (S6.3.3)
}

TEST(OnboardingRate, S6_1_2_AirLinkAtAHomeRoutersLossSucceedsInAtLeast99Percent) {
  const Tally tally = run(OnboardingMethod::AirLink, homeWifi(kHomeRouterLoss), kTrials, 0xA1B71C);
  EXPECT_GE(tally.successes, ninetyNinePercentOf(kTrials));
}

TEST(OnboardingRate, S6_1_2_AnIdealNetworkConfiguresEveryTime) {
  for (const OnboardingMethod method :
       {OnboardingMethod::SoftAp, OnboardingMethod::WebConfig, OnboardingMethod::AirLink}) {
    EXPECT_EQ(run(method, UdpImpairment{}, 20, 1).successes, 20u) << onboardingMethodName(method);
    EXPECT_EQ(run(method, homeWifi(0.0), 20, 2).successes, 20u) << onboardingMethodName(method);
  }
}

TEST(OnboardingRate, S6_1_2_WhenEveryDatagramIsLostNothingIsConfigured) {
  const UdpImpairment silence{.loss = 1.0};
  // SoftAP: no 0001 reaches the module; AirLink: no symbol reaches the sniffer. (WebConfig runs over TCP,
  // which the model makes slow under loss, never lossy: at 100 % no handshake completes either.)
  for (const OnboardingMethod method : {OnboardingMethod::SoftAp, OnboardingMethod::AirLink}) {
    const Tally tally = run(method, silence, 10, 3);
    EXPECT_EQ(tally.successes, 0u) << onboardingMethodName(method);
    EXPECT_EQ(tally.acknowledged, 0u) << onboardingMethodName(method);
  }
}

TEST(OnboardingRate, S6_1_2_LossSlowsTheAirLinkDecodeDown) {
  // The sniffer needs every symbol: at 50 % loss it takes more rounds than on a clean air.
  const auto medianAfter = [](double loss) {
    std::vector<Millis> heard;
    for (std::uint64_t t = 0; t < 40; ++t) {
      const auto r = runOnboardingTrial(OnboardingMethod::AirLink, homeWifi(loss), mixSeed(9, t));
      if (r.heardAfter) heard.push_back(*r.heardAfter);
    }
    std::sort(heard.begin(), heard.end());
    return heard.empty() ? hal::kNever : heard[heard.size() / 2];
  };
  EXPECT_GT(medianAfter(0.5), medianAfter(0.0));
}

// ---- what the measurement found (S6.2.5), on the whole module --------------------------------------------

class SoftApAck : public SimLab {
 protected:
  SoftApAck() {
    // Only delay: the module's share of it is its radio's transmit queue (SimNet drops what is still queued
    // when the interface goes).
    board.net().setUdpImpairment({.minDelay = 5}, {.minDelay = 5}, 1);
  }
  PeerUdpSocket& phone = board.net().openPeerUdp({kPhoneOnSoftAp, 0});
  void sendOnboarding() {
    phone.send({SimNet::kSoftApAddress, proto::kLanUdpConfigPort},
               lanPacketWith(proto::LanCmd::OnboardingRequest, [&](proto::ByteWriter& w) {
                 proto::buildLanOnboardingRequest({kHomeSsid, kHomePassword}, w);
               }));
  }
  std::size_t acks() {
    std::size_t n = 0;
    for (const auto& d : phone.receiveAll()) {
      const proto::LanDecode decoded = proto::parseLanDatagram(d.bytes);
      n += decoded.ok() && decoded.packet.cmd == proto::toU16(proto::LanCmd::OnboardingReply) ? 1 : 0;
    }
    return n;
  }
};

TEST_F(SoftApAck, S6_2_5_The0002LeavesTheRadioBeforeTheSoftApGoes) {
  powerOn();
  runFor(hal::seconds(1));
  sendOnboarding();
  runFor(100);
  EXPECT_EQ(acks(), 1u);
  EXPECT_FALSE(statusBit(2));             // S6.2.6: onboarding left at once (nothing more is accepted)...
  EXPECT_TRUE(board.radio().softApOn());  // ...while the AP, and status bit 0, last until the reboot
  EXPECT_TRUE(statusBit(0));
  runFor(hal::seconds(2));
  EXPECT_EQ(module.boots(), 2u);
  EXPECT_FALSE(board.radio().softApOn());
  EXPECT_EQ(agent().config().ssid.view(), kHomeSsid);
}

TEST_F(SoftApAck, S6_2_5_ARepeatBeforeTheRebootIsAcknowledgedAgainAndActedOnOnce) {
  powerOn();
  runFor(hal::seconds(1));
  sendOnboarding();
  runFor(100);
  (void)acks();  // this 0002 is lost on the way to the phone, which sends again
  sendOnboarding();
  runFor(100);
  EXPECT_EQ(acks(), 1u);
  runFor(hal::seconds(2));
  EXPECT_EQ(module.boots(), 2u);  // one reboot: configured once
  EXPECT_EQ(agent().config().ssid.view(), kHomeSsid);
}

}  // namespace
}  // namespace gagent::sim
