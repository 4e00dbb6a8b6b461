#pragma once
// The radio as the rest of the core sees it: station join retried forever (S12.2), the connected router's
// signal read every 3 minutes (S4.4.3), SoftAP on/off, and one shared scanner whose results feed the SoftAP
// scan cache (S6.2.4, every 15 s) and production mode (S5.2, every 10 s).

#include <array>
#include <cstdint>
#include <span>

#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/timer.h"
#include "gagent/hal/radio.h"

namespace gagent::core {

class WifiListener {
 public:
  virtual ~WifiListener() = default;
  virtual void onRouterConnected(Millis now) = 0;
  virtual void onRouterLost(Millis now) = 0;
  virtual void onSignal(std::uint8_t raw, Millis now) = 0;
  virtual void onScanDone(std::span<const hal::AccessPoint> results, Millis now) = 0;
};

class WifiManager {
 public:
  static constexpr Millis kRejoinDelay = hal::seconds(10);      // S12.2: retry periodically, forever
  static constexpr Millis kSignalInterval = hal::minutes(3);    // S4.4.3
  static constexpr Millis kScanTimeout = hal::seconds(10);      // a scan the radio never finishes
  static constexpr Millis kRadioPollInterval = 100;             // while a join or scan is in progress
  static constexpr Millis kLinkPollInterval = hal::seconds(1);  // while joined: link loss shows up this fast
  static constexpr std::size_t kMaxScanResults = 24;

  WifiManager(hal::Radio& radio, LogHub& logs, WifiListener& listener);

  void joinStation(std::string_view ssid, std::string_view password, Millis now);
  void leaveStation();
  [[nodiscard]] bool stationWanted() const { return stationWanted_; }
  [[nodiscard]] bool routerConnected() const { return linkUp_; }
  [[nodiscard]] std::string_view stationSsid() const { return ssid_.view(); }

  bool startSoftAp(std::string_view ssid, std::string_view password);
  void stopSoftAp();
  [[nodiscard]] bool softApOn() const { return softAp_; }

  // Scans every `interval` until stopped (0 = stop). The SoftAP cache and production mode use this.
  void setPeriodicScan(Millis interval, Millis now);
  // One scan as soon as the radio is free.
  void requestScan(Millis now);
  // The last completed scan (S6.2.4: answered at once from this cache).
  [[nodiscard]] std::span<const hal::AccessPoint> lastScan() const { return {scan_.data(), scanCount_}; }

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;

 private:
  void pollLink(Millis now);
  void pollScan(Millis now);
  void startScanIfDue(Millis now);
  void reportSignalFromScan(Millis now);

  hal::Radio& radio_;
  Logger log_;
  WifiListener& listener_;

  StoredText<32> ssid_;
  StoredText<64> password_;
  bool stationWanted_ = false;
  bool joining_ = false;
  bool linkUp_ = false;
  bool softAp_ = false;
  Timer rejoin_;
  Timer signalCheck_;

  bool scanning_ = false;
  bool scanPending_ = false;
  bool signalScanPending_ = false;
  Millis scanInterval_ = 0;
  Millis lastPoll_ = 0;
  Timer periodicScan_;
  Timer scanTimeout_;
  std::array<hal::AccessPoint, kMaxScanResults> scan_{};
  std::size_t scanCount_ = 0;
};

}  // namespace gagent::core
