#pragma once
// The virtual air of the lab, without any I/O: access points with their client tables and per-module signal,
// and the modules' radios (station, SoftAP, one-shot listener). The operations follow the air protocol table
// of docs/virtual-lab.md; what a module must be told (link lost, one-shot heard) comes back as AirEvents for
// the caller to deliver.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gagent::air {

// Names a module's connection; one module per connection.
using ModuleId = std::uint64_t;

inline constexpr std::uint8_t kDefaultSignal = 70;
inline constexpr std::uint8_t kMaxSignal = 100;

enum class OneShotKind : std::uint8_t { AirLink, AirKiss };
enum class JoinResult : std::uint8_t { Ok, NoAp, WrongPassword };

struct AccessPoint {
  std::string ssid;
  std::string password;  // empty: an open AP; otherwise WPA2 and checked on join
  bool powered = true;
  std::uint8_t defaultSignal = kDefaultSignal;
  std::map<std::string, std::uint8_t> signalByMac;  // per-module overrides (RSSI <ssid> <mac> <signal>)
  std::set<ModuleId> clients;                       // the client table
};

struct ModuleRadio {
  std::string mac;          // 12 lower-case hex digits
  std::string ip;           // dotted quad, where a phone on its SoftAP sends UDP 0001
  std::string stationSsid;  // empty when not joined
  std::optional<std::string> softApSsid;
  std::string softApPassword;
  std::optional<OneShotKind> oneShot;  // listening for this kind
};

struct AirEvent {
  enum class Kind : std::uint8_t { LinkDown, OneShot };
  ModuleId module = 0;
  Kind kind = Kind::LinkDown;
  std::string ssid;
  std::string password;  // OneShot only
  friend bool operator==(const AirEvent&, const AirEvent&) = default;
};
using AirEvents = std::vector<AirEvent>;

struct ScanEntry {
  std::string ssid;
  std::uint8_t signal = 0;
  friend bool operator==(const ScanEntry&, const ScanEntry&) = default;
};

struct SoftApJoinResult {
  JoinResult result = JoinResult::NoAp;
  std::string moduleIp;
};

class AirModel {
 public:
  // --- module side (the radio of one gagent-sim) ---
  // False when the id is already known (one HELLO per connection).
  bool addModule(ModuleId id, std::string mac, std::string ip);
  // The module's connection closed: its client-table entries and SoftAP disappear.
  void removeModule(ModuleId id);
  [[nodiscard]] bool hasModule(ModuleId id) const { return modules_.contains(id); }

  // Powered APs, in the order they were added, with this module's signal.
  [[nodiscard]] std::vector<ScanEntry> scan(ModuleId id) const;
  // Leaves the current station first (the module asked, so no link-down); a failed join leaves it unjoined.
  JoinResult join(ModuleId id, std::string_view ssid, std::string_view password);
  void leave(ModuleId id);
  // Signal of the joined AP for this module, 0 when not joined.
  [[nodiscard]] std::uint8_t stationSignal(ModuleId id) const;
  void startSoftAp(ModuleId id, std::string ssid, std::string password);
  void stopSoftAp(ModuleId id);
  void startOneShot(ModuleId id, OneShotKind kind);
  void stopOneShot(ModuleId id);

  // --- control side (the rig, the lab) ---
  // Replaces an AP of the same SSID; that AP's clients lose their link.
  void addAccessPoint(std::string ssid, std::string password, std::uint8_t signal, AirEvents& events);
  // The following return false when no AP has that SSID.
  bool removeAccessPoint(std::string_view ssid, AirEvents& events);
  // Powering off drops every client; powering on lets modules find and join it again.
  bool setPower(std::string_view ssid, bool on, AirEvents& events);
  // S5.7: a reboot clears the client table (the AP stays in its power state).
  bool reboot(std::string_view ssid, AirEvents& events);
  // New SSID and password for the same AP (its signals stay); clients are dropped. An other AP that already
  // has the new SSID is replaced, as with addAccessPoint.
  bool rename(std::string_view ssid, std::string newSsid, std::string newPassword, AirEvents& events);
  // mac nullopt: the AP's default signal for every module without an override.
  bool setSignal(std::string_view ssid, const std::optional<std::string>& mac, std::uint8_t signal);

  [[nodiscard]] const std::vector<AccessPoint>& accessPoints() const { return aps_; }
  [[nodiscard]] const AccessPoint* findAccessPoint(std::string_view ssid) const;
  // MACs of the AP's clients in connection order; nullopt when no AP has that SSID.
  [[nodiscard]] std::optional<std::vector<std::string>> clientMacs(std::string_view ssid) const;
  [[nodiscard]] const std::map<ModuleId, ModuleRadio>& modules() const { return modules_; }

  // A phone joins a module's SoftAP (the first module offering that SSID).
  [[nodiscard]] SoftApJoinResult softApJoin(std::string_view ssid, std::string_view password) const;
  // A phone's AirLink/AirKiss broadcast: every listening module hears it once (its listener then stops, as a
  // radio that has received credentials does). Returns how many modules were reached.
  std::size_t sendOneShot(std::string_view ssid, std::string_view password, AirEvents& events);

 private:
  AccessPoint* find(std::string_view ssid);
  ModuleRadio* findModule(ModuleId id);
  [[nodiscard]] std::uint8_t signalFor(const AccessPoint& ap, const std::string& mac) const;
  // Empties the AP's client table; every client is told `link-down <ssid>`.
  void dropClients(AccessPoint& ap, AirEvents& events);
  void eraseAccessPoint(std::string_view ssid, AirEvents& events);

  std::vector<AccessPoint> aps_;
  std::map<ModuleId, ModuleRadio> modules_;
};

}  // namespace gagent::air
