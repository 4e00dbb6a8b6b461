#pragma once
// The radio and the air around it: test-controlled access points (ssid, password, signal 0-100, power),
// station join, scans, SoftAP and the one-shot listener. The radio tells SimNet the module's address:
// 10.10.100.254 while the SoftAP is on, the station address while the link is Up, unset otherwise (one
// address at a time: with both on, the SoftAP's wins, as the configuration phone is then the peer).
//
// Timings: a scan completes after the scan time, a join after the join latency (both default 0: at once,
// inside the call). The join outcome and the scan results are taken from the air when the time ends. A
// joined AP powered off or removed drops the link at that instant; it does not come back by itself.
//
// Event log vocabulary (time, what): "scan", "scan done N", "scan failed", "join SSID", "leave",
// "link up SSID", "link down SSID", "wrong password SSID", "no access point SSID", "softap on SSID",
// "softap off", "oneshot airlink" / "oneshot airkiss", "oneshot unsupported", "oneshot received SSID",
// "oneshot stop", "reset".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/hal/radio.h"
#include "gagent/sim/sim_net.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class SimRadio : public hal::Radio {
 public:
  struct Event {
    Millis time = 0;
    std::string what;
    friend bool operator==(const Event&, const Event&) = default;
  };
  // WPA2 needs 8 to 64 characters; an empty password is an open network.
  static constexpr std::size_t kMinWpaPassword = 8;

  SimRadio(VirtualClock& clock, SimNet& net) : clock_(clock), net_(net) {}
  ~SimRadio() override { clock_.cancelOwnedBy(this); }
  SimRadio(const SimRadio&) = delete;
  SimRadio& operator=(const SimRadio&) = delete;

  // The air. Scans list the powered APs in the order they were added; adding an SSID again replaces it
  // (dropping the link if joined to it).
  void addAccessPoint(std::string_view ssid, std::string_view password, std::uint8_t signal,
                      bool powered = true);
  void removeAccessPoint(std::string_view ssid);
  void setPowered(std::string_view ssid, bool powered);
  void setSignal(std::string_view ssid, std::uint8_t signal);  // clamped to 100

  void setScanTime(Millis time) { scanTime_ = time; }
  void setScanFailing(bool failing) { scanFailing_ = failing; }
  void setJoinLatency(Millis latency) { joinLatency_ = latency; }
  void setStationAddress(hal::Ipv4 address) { stationAddress_ = address; }
  void setOneShotSupported(bool supported) { oneShotSupported_ = supported; }
  // The phone app's one-shot broadcast; false (ignored) unless the radio is listening.
  bool deliverOneShot(std::string_view ssid, std::string_view password);

  // hal::Radio, the module side.
  bool startScan() override;
  hal::ScanState scanState() override { return scanState_; }
  std::size_t scanResults(std::span<hal::AccessPoint> out) override;
  bool joinStation(std::string_view ssid, std::string_view password) override;
  void leaveStation() override;
  hal::LinkState stationLink() override { return link_; }
  std::uint8_t stationSignal() override;
  hal::Ipv4 stationAddress() override;
  bool startSoftAp(std::string_view ssid, std::string_view password) override;
  void stopSoftAp() override;
  bool startOneShot(hal::OneShotKind kind) override;
  hal::OneShotState oneShotState() override;
  bool oneShotResult(hal::WifiCredentials& out) override;
  void stopOneShot() override;

  // Inspection.
  [[nodiscard]] const std::vector<Event>& events() const { return events_; }
  void clearEvents() { events_.clear(); }
  [[nodiscard]] bool softApOn() const { return softAp_; }
  [[nodiscard]] const std::string& softApSsid() const { return softApSsid_; }
  [[nodiscard]] const std::string& softApPassword() const { return softApPassword_; }
  [[nodiscard]] const std::string& stationSsid() const { return stationSsid_; }  // the last join asked
  [[nodiscard]] hal::OneShotKind oneShotKind() const { return oneShotKind_; }
  // A module restart: station left, SoftAP and one-shot off, no scan. The air is kept.
  void resetModuleState();

 private:
  struct Ap {
    std::string ssid;
    std::string password;
    std::uint8_t signal = 0;
    bool powered = true;
  };
  Ap* findAp(std::string_view ssid);
  void finishScan();
  void finishJoin(std::uint64_t attempt);
  void dropLinkIfJoinedTo(std::string_view ssid);
  void updateAddress();
  void log(std::string what) { events_.push_back({clock_.now(), std::move(what)}); }

  VirtualClock& clock_;
  SimNet& net_;
  std::vector<Ap> aps_;
  Millis scanTime_ = 0;
  bool scanFailing_ = false;
  Millis joinLatency_ = 0;
  hal::Ipv4 stationAddress_ = SimNet::kStationAddress;
  bool oneShotSupported_ = true;

  hal::ScanState scanState_ = hal::ScanState::Idle;
  std::vector<hal::AccessPoint> scanResults_;
  hal::LinkState link_ = hal::LinkState::Down;
  std::string stationSsid_;
  std::string stationPassword_;
  std::uint64_t joinAttempt_ = 0;  // a join finishing after a newer join or a leave is ignored
  bool softAp_ = false;
  std::string softApSsid_;
  std::string softApPassword_;
  hal::OneShotState oneShot_ = hal::OneShotState::Idle;
  hal::OneShotKind oneShotKind_ = hal::OneShotKind::AirLink;
  hal::WifiCredentials oneShotCredentials_;
  std::vector<Event> events_;
};

}  // namespace gagent::sim
