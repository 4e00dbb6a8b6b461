#pragma once
// The WiFi radio: scanning, station join, SoftAP and the vendor one-shot (AirLink/AirKiss) listener.
// Every operation is asynchronous; the core polls state on its ticks.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "gagent/hal/types.h"

namespace gagent::hal {

inline constexpr std::size_t kMaxSsidLength = 32;
inline constexpr std::size_t kMaxPasswordLength = 64;

struct AccessPoint {
  std::array<char, kMaxSsidLength> ssid{};
  std::uint8_t ssidLength = 0;
  std::uint8_t signal = 0;  // 0-100 (S4.3 works on this percentage)
  [[nodiscard]] std::string_view ssidView() const { return {ssid.data(), ssidLength}; }
};

struct WifiCredentials {
  std::array<char, kMaxSsidLength> ssid{};
  std::uint8_t ssidLength = 0;
  std::array<char, kMaxPasswordLength> password{};
  std::uint8_t passwordLength = 0;
};

enum class ScanState : std::uint8_t { Idle, Running, Done, Failed };
enum class LinkState : std::uint8_t { Down, Joining, Up, WrongPassword, NoAccessPoint };
enum class OneShotState : std::uint8_t { Idle, Listening, Received, Unsupported };
enum class OneShotKind : std::uint8_t { AirLink, AirKiss };

class Radio {
 public:
  virtual ~Radio() = default;

  virtual bool startScan() = 0;
  virtual ScanState scanState() = 0;
  // After Done: copies up to out.size() results, returns how many.
  virtual std::size_t scanResults(std::span<AccessPoint> out) = 0;

  virtual bool joinStation(std::string_view ssid, std::string_view password) = 0;
  virtual void leaveStation() = 0;
  virtual LinkState stationLink() = 0;
  virtual std::uint8_t stationSignal() = 0;  // 0-100 of the joined AP
  virtual Ipv4 stationAddress() = 0;

  virtual bool startSoftAp(std::string_view ssid, std::string_view password) = 0;
  virtual void stopSoftAp() = 0;

  virtual bool startOneShot(OneShotKind kind) = 0;
  virtual OneShotState oneShotState() = 0;
  virtual bool oneShotResult(WifiCredentials& out) = 0;
  virtual void stopOneShot() = 0;
};

}  // namespace gagent::hal
