#pragma once
// What the module keeps in flash (issue 3 "Storage"): network credentials, cloud identity, firmware identity
// and flags. Serialized field by field (not a raw struct dump) so the layout is portable and versioned.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace gagent::core {

// A fixed-capacity string for stored values: no heap, silently refuses text longer than N.
template <std::size_t N>
class StoredText {
 public:
  static constexpr std::size_t kCapacity = N;
  StoredText() = default;
  StoredText(std::string_view text) { assign(text); }  // NOLINT(google-explicit-constructor): value type

  StoredText& operator=(std::string_view text) {
    assign(text);
    return *this;
  }

  bool assign(std::string_view text) {
    if (text.size() > N) return false;
    for (std::size_t i = 0; i < text.size(); ++i) chars_[i] = text[i];
    length_ = static_cast<std::uint8_t>(text.size());
    return true;
  }
  void clear() { length_ = 0; }
  [[nodiscard]] std::string_view view() const { return {chars_.data(), length_}; }
  [[nodiscard]] bool empty() const { return length_ == 0; }
  [[nodiscard]] std::size_t size() const { return length_; }
  friend bool operator==(const StoredText& a, const StoredText& b) { return a.view() == b.view(); }

 private:
  std::array<char, N> chars_{};
  std::uint8_t length_ = 0;
};

// How the stored credentials arrived; S6.1.3 sends the config-success broadcast only after such a reboot.
enum class ConfigSource : std::uint8_t {
  None = 0,
  SoftAp = 1,
  WebConfig = 2,
  AirLink = 3,
  AirKiss = 4,
  Production = 5
};

inline constexpr std::string_view kDefaultFirmwareVersion = "00000000";  // S2.3

struct DeviceConfig {
  static constexpr std::uint16_t kLayoutVersion = 1;

  StoredText<32> ssid;        // S6.3.2: at most 32 bytes
  StoredText<64> password;    // WPA2 allows 63; onboarding packets carry at most 32
  StoredText<22> did;         // S8.1
  StoredText<32> passcode;    // S7.2.1: 10-32 characters
  StoredText<32> productKey;  // S8.1
  std::uint32_t fid = 0;      // S9.4: 0 = none
  StoredText<8> firmwareVersion{kDefaultFirmwareVersion};  // S2.3
  StoredText<22> oldDid;  // to unregister after a product-key change (protocol §1.8 side effect)
  StoredText<32> oldPasscode;
  StoredText<16> thirdPartyCloud;  // S8.4.5
  StoredText<48> thirdPartyProduct;
  ConfigSource pendingConfigSuccess =
      ConfigSource::None;      // set at a configuration reboot, cleared after 0x0019
  bool startInSoftAp = false;  // a reset (0x0B) comes back up in SoftAP

  // S7.7.1: reset clears DNS cache (not stored), third-party info, DID, passcode, SSID and password; keeps
  // FID.
  void clearForReset();
  // S7.8.1: a product-key change clears DID, passcode, FID, firmware version and third-party info.
  void clearForProductKeyChange();

  friend bool operator==(const DeviceConfig&, const DeviceConfig&) = default;
};

inline constexpr std::size_t kDeviceConfigMaxBytes = 512;

// Serializes into `out`; returns the byte count or 0 if `out` is too small.
std::size_t encodeDeviceConfig(const DeviceConfig& config, std::span<std::uint8_t> out);
// Fills `config` from stored bytes. False (and `config` left at defaults) for an unknown layout or bad field.
bool decodeDeviceConfig(std::span<const std::uint8_t> in, DeviceConfig& config);

}  // namespace gagent::core
