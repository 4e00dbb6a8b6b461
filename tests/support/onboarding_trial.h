#pragma once
// One onboarding (S6) of a factory-new module by a phone app, end to end in virtual time, under a seeded
// UDP impairment on the LAN and the air: the measurement unit of S6.1.2 (onboarding_bench, the sim test
// onboarding_rate_test). A trial is a fresh world: a SimModule with its scripted MCU, the stand-in cloud,
// the home router in the air (join 2 s, scans 1.5 s) and one phone app (phone_apps.h).
//
// Per method:
// - SoftAP, WebConfig: the module comes up in SoftAP (nothing stored, S6.2.2); the user opens the app
//   0.5-5 s after power-on (uniform).
// - AirLink: the user presses the device's key at 2 s (the MCU sends 0x09 type 2) and starts the app's
//   AirLink 2 s before to 3 s after that (uniform).
// Success: the app heard a 0019 with the module's MAC and product key within its deadline (PhoneTimings).

#include <cstdint>
#include <memory>
#include <optional>
#include <random>

#include "gagent/core/agent.h"
#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_cloud.h"
#include "gagent/sim/sim_module.h"
#include "phone_apps.h"
#include "scripted_mcu.h"
#include "sim_uart_mcu_link.h"

namespace gagent::sim {

enum class OnboardingMethod : std::uint8_t { SoftAp, WebConfig, AirLink };

inline const char* onboardingMethodName(OnboardingMethod method) {
  switch (method) {
    case OnboardingMethod::SoftAp:
      return "SoftAP";
    case OnboardingMethod::WebConfig:
      return "WebConfig";
    case OnboardingMethod::AirLink:
      return "AirLink";
  }
  return "?";
}

// The same impairment on the LAN (both directions) and the air, with `loss` and the delay, duplication and
// reordering of a busy home WiFi: 2-40 ms per datagram, 1 % duplicated, 2 % held back 150 ms more.
inline UdpImpairment homeWifi(double loss) {
  return {.loss = loss, .duplicate = 0.01, .reorder = 0.02, .minDelay = 2, .jitter = 38, .reorderDelay = 150};
}

struct OnboardingTrialResult {
  bool success = false;
  Millis simulated = 0;              // virtual time the trial ran
  std::optional<Millis> heardAfter;  // from the app's start to the first 0019 it took
  std::size_t boots = 0;
  bool acknowledged = false;  // the app got 0002 (SoftAP) or the success page (WebConfig)
};

// splitmix64: independent streams (board, LAN, air, TCP, timings) from one trial seed.
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline OnboardingTrialResult runOnboardingTrial(OnboardingMethod method, const UdpImpairment& impairment,
                                                std::uint64_t seed, const PhoneTimings& timings = {}) {
  static constexpr const char* kSsid = "HomeNet";
  static constexpr const char* kPassword = "password1";
  static constexpr Millis kKeyPressAt = hal::seconds(2);

  SimBoard board(SimBoardOptions{.randomSeed = mixSeed(seed, 0)});
  board.radio().addAccessPoint(kSsid, kPassword, 72);
  board.radio().setJoinLatency(hal::seconds(2));
  board.radio().setScanTime(1500);
  board.net().setUdpImpairment(impairment, impairment, mixSeed(seed, 1));
  core::LogHub logs;
  SimCloud cloud(board.net(), board.dns());
  test::ScriptedMcu mcu = test::scriptedMcuOn(board.uart());
  SimModule module(board, logs);
  ConfigSuccessListener success(board.net(), board.system().mac(), mcu.productKey);

  SplitMix64 timing(mixSeed(seed, 2));
  std::unique_ptr<PhoneApp> phone;
  std::optional<Millis> keyPress;
  switch (method) {
    case OnboardingMethod::SoftAp:
      phone = std::make_unique<SoftApPhone>(board, success, timings,
                                            std::uniform_int_distribution<Millis>(500, 5000)(timing), kSsid,
                                            kPassword);
      break;
    case OnboardingMethod::WebConfig:
      phone = std::make_unique<WebConfigPhone>(board, success, timings,
                                               std::uniform_int_distribution<Millis>(500, 5000)(timing),
                                               kSsid, kPassword, impairment.loss, mixSeed(seed, 3));
      break;
    case OnboardingMethod::AirLink:
      keyPress = kKeyPressAt;
      phone = std::make_unique<AirLinkPhone>(
          board, success, timings,
          kKeyPressAt - hal::seconds(2) + std::uniform_int_distribution<Millis>(0, 5000)(timing), kSsid,
          kPassword, impairment, mixSeed(seed, 4));
      break;
  }
  const Millis phoneStart = phone->nextDeadline();

  module.addPeer({[&](Millis now) {
                    if (keyPress && now >= *keyPress) {
                      keyPress.reset();
                      mcu.send(proto::McuCmd::ConfigMode, {0x02});  // S6.4.1: the user pressed the key
                    }
                    return mcu.service(now);
                  },
                  [&] { return keyPress.value_or(hal::kNever); }});
  module.addPeer({[&](Millis now) { return cloud.service(now); }, [&] { return cloud.nextDeadline(); }});
  module.addPeer({[&](Millis now) { return phone->service(now); }, [&] { return phone->nextDeadline(); }});

  module.powerOn();
  while (!phone->finished()) module.runFor(hal::seconds(1));

  OnboardingTrialResult result;
  result.success = phone->succeeded();
  result.simulated = board.clock().now();
  if (auto heard = success.heardAt()) result.heardAfter = *heard - phoneStart;
  result.boots = module.boots();
  result.acknowledged = phone->acknowledged();
  return result;
}

}  // namespace gagent::sim
