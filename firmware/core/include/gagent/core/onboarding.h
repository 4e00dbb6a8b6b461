#pragma once
// S6 configuration mode: which way the module is listening for the router's credentials, and for how long.
// - SoftAP (S6.2): the module's own AP `XPG-GAgent-XXXX`; the app's UDP 0001 packet and the WebConfig form
//   (S6.3) arrive through the agent (LanDiscovery, WebConfigServer) and end here in onCredentials(). Scans
//   every 15 s feed the SDK's AP-list request (S6.2.4). 10 minutes without credentials -> "no-network mode"
//   (S6.2.3).
// - One-shot (S6.4 AirLink, S6.5 AirKiss): the radio's sniffer listens for 60 s, then the previous state
//   comes back (S6.4.2).
// The agent owns the consequences: status bits and LEDs on onModeChanged() (S6.2.6, S6.3.4, S6.4.3), the
// WebConfig server while acceptsOnboardingPackets(), saving and rebooting on onConfigured() (S6.2.5).

#include <array>
#include <cstdint>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/module_identity.h"
#include "gagent/core/timer.h"
#include "gagent/core/wifi_manager.h"
#include "gagent/hal/radio.h"
#include "gagent/proto/mcu_payloads.h"

namespace gagent::core {

enum class OnboardingState : std::uint8_t {
  Off,            // station mode (or nothing configured yet and nobody asked)
  SoftAp,         // S6.2: own AP up, UDP 0001 and WebConfig accepted, scanning every 15 s
  SoftApExpired,  // S6.2.3 "no-network mode": AP still up, nothing accepted, only serial events matter
  OneShot,        // S6.4/S6.5: radio sniffing for AirLink/AirKiss, AP down
};
[[nodiscard]] std::string_view onboardingStateName(OnboardingState state);

class OnboardingListener {
 public:
  virtual ~OnboardingListener() = default;
  // Entry, exit, and the SoftAP window's expiry. The agent re-reads softApOn()/onboardingOn() into the status
  // word and syncs it to the MCU, sets the LEDs (S6.2.6, S6.3.4, S6.4.3), and runs WebConfig while
  // acceptsOnboardingPackets().
  virtual void onModeChanged(OnboardingState previous, OnboardingState current, Millis now) = 0;
  // Credentials arrived (S6.2.5, S6.3.3, S6.4.2); onboarding has already been left (state Off). The agent
  // saves them with `source` (for S6.1.3) and reboots. The views are valid during the call only.
  virtual void onConfigured(std::string_view ssid, std::string_view password, ConfigSource source,
                            Millis now) = 0;
};

class Onboarding {
 public:
  using State = OnboardingState;

  static constexpr std::string_view kSoftApSsidPrefix = "XPG-GAgent-";  // S6.2.1
  static constexpr std::size_t kSoftApSsidMacDigits = 4;  // S6.2.1: last 4 hex digits of the MAC
  static constexpr std::size_t kSoftApSsidLength = kSoftApSsidPrefix.size() + kSoftApSsidMacDigits;
  static constexpr std::string_view kSoftApPassword = "123456789";  // S6.2.1
  static constexpr Millis kSoftApWindow = hal::minutes(10);         // S6.2.3
  static constexpr Millis kSoftApScanInterval = hal::seconds(15);   // S6.2.4
  static constexpr Millis kOneShotWindow = hal::seconds(60);        // S6.4.2, S6.5.1
  // The one-shot result is radio state, not an I/O event: poll it this often while listening.
  static constexpr Millis kOneShotPollInterval = 250;
  // What the credentials must fit to be stored and joined (DeviceConfig, hal::Radio); S6.2.5 checks nothing
  // else.
  static constexpr std::size_t kMaxSsid = hal::kMaxSsidLength;
  static constexpr std::size_t kMaxPassword = hal::kMaxPasswordLength;

  Onboarding(WifiManager& wifi, hal::Radio& radio, const ModuleIdentity& identity, LogHub& logs,
             OnboardingListener& listener);

  // S6.2.2: the MCU's 0x09 type 1, or the agent's default when no router SSID is stored. Again while in
  // SoftAP: a fresh 10-minute window. False when the radio refuses the AP (state unchanged).
  bool enterSoftAp(Millis now);
  // S6.4.1, S6.5.1: not entered in station mode while connected to the router (false, logged), nor when the
  // radio has no one-shot listener. Again while listening: restarts with `kind`, same state to restore.
  bool enterOneShot(hal::OneShotKind kind, bool stationConnected, Millis now);
  // The MCU's 0x09 (protocol §1.8): SoftAp -> enterSoftAp, AirLink (and unknown values) -> AirLink one-shot.
  // Direct (4) carries the credentials itself and is the agent's business: false here.
  bool onConfigModeCommand(proto::ConfigMethod method, bool stationConnected, Millis now);
  // S6.2.3, S6.2.5: credentials from the SoftAP UDP 0001 packet or WebConfig. Taken as they are (no password
  // check, no unescaping) when acceptsOnboardingPackets(); false (and logged) otherwise or when they cannot
  // be stored. Taking them leaves configuration mode, but the AP stays up for the reboot that follows
  // (Agent::kConfiguredRebootDelay), so the acknowledgement queued for the phone leaves the radio.
  bool onCredentials(std::string_view ssid, std::string_view password, ConfigSource source, Millis now);
  // The agent ends configuration mode by itself (factory reset, production test): back to Off, AP down.
  void leave(Millis now);

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;

  [[nodiscard]] State state() const { return state_; }
  // The module's AP is up for configuration (SoftAP or no-network mode). After credentials the radio's AP
  // stays until the reboot, but this is false (status bit 0 follows the radio: WifiManager::softApOn).
  [[nodiscard]] bool softApOn() const { return state_ == State::SoftAp || state_ == State::SoftApExpired; }
  // Status word bit 2: listening for credentials (SoftAP within its window, or one-shot).
  [[nodiscard]] bool onboardingOn() const { return state_ == State::SoftAp || state_ == State::OneShot; }
  // S6.2.3: the SoftAP UDP 0001 packet and the WebConfig form are accepted now.
  [[nodiscard]] bool acceptsOnboardingPackets() const { return state_ == State::SoftAp; }
  // The listener's kind while in OneShot.
  [[nodiscard]] hal::OneShotKind oneShotKind() const { return kind_; }
  // S6.2.1: "XPG-GAgent-" + the last 4 upper-case hex digits of the MAC.
  [[nodiscard]] std::string_view softApSsid(std::array<char, kSoftApSsidLength>& out) const;

 private:
  bool startAccessPoint();
  void stopAccessPoint(Millis now);
  void pollOneShot(Millis now);
  void oneShotReceived(Millis now);
  // S6.4.2: back to what was running before the one-shot.
  void restoreAfterOneShot(Millis now);
  void setState(State next, Millis now);

  WifiManager& wifi_;
  hal::Radio& radio_;
  const ModuleIdentity& identity_;
  Logger log_;
  OnboardingListener& listener_;

  State state_ = State::Off;
  State beforeOneShot_ = State::Off;
  hal::OneShotKind kind_ = hal::OneShotKind::AirLink;
  Timer window_;       // SoftAP 10 min or one-shot 60 s
  Timer oneShotPoll_;  // next look at the radio's one-shot state
};

}  // namespace gagent::core
