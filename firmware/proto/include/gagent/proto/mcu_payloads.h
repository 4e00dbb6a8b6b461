#pragma once
// Typed payloads of the MCU serial commands (protocol §1.8-1.10, §1.12-1.13). Builders append to a ByteWriter
// (check writer.ok() once afterwards: a field that does not fit its width also fails the writer); parsers
// take the payload of a decoded frame and return views into it plus a status (Ok or Malformed; payloads
// arrive whole, so never NeedMore).
//
// Fixed-width text fields: a builder pads a shorter value with zero bytes and refuses a longer one. Parsers
// return the version / key fields as the raw 8 / 32 bytes (they are not NUL-padded on the wire) and trim the
// zero padding of the fields that are zero-padded by definition (MAC and IP in 0x22).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gagent/proto/bytes.h"
#include "gagent/proto/mcu_frame.h"

namespace gagent::proto {

template <typename T>
struct [[nodiscard]] McuParsed {
  ParseStatus status = ParseStatus::Malformed;
  T value{};
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
};

// §1.12 flags values.
inline constexpr std::uint16_t kMcuFlagHexFirmware = 0x0001;  // 0x1B from the MCU: wants Intel-HEX lines
inline constexpr std::uint16_t kMcuFlagHexLine = 0x0001;      // 0x1D in HEX mode: a line
inline constexpr std::uint16_t kMcuFlagHexLastLine = 0x0003;  // 0x1D in HEX mode: the last line
inline constexpr std::uint16_t kMcuFlagSubDevice = 0x0001;    // 0x03/0x04: P0 has a sub-device DID prefix

// ---- 0x02 device info (§1.8) ----------------------------------------------------------------------------

inline constexpr std::size_t kMcuVersionSize = 8;
inline constexpr std::size_t kProductKeySize = 32;
inline constexpr std::size_t kDevAttrSize = 8;
inline constexpr std::size_t kProductSecretSize = 32;
// Payload sizes of the §1.8 forms; the frame's len field is 5 more (71, 79, 111; with data 113 + data_len).
inline constexpr std::size_t kDeviceInfoBasicSize = 4 * kMcuVersionSize + kProductKeySize + 2;          // 66
inline constexpr std::size_t kDeviceInfoWithAttrSize = kDeviceInfoBasicSize + kDevAttrSize;             // 74
inline constexpr std::size_t kDeviceInfoWithSecretSize = kDeviceInfoWithAttrSize + kProductSecretSize;  // 106

struct DeviceInfo {
  std::string_view protocolVer;  // "00000004"
  std::string_view p0Ver;
  std::string_view hardVer;
  std::string_view softVer;
  std::string_view productKey;
  std::uint16_t bindTimeout = 0;  // seconds; 0 = always bindable
  // Optional tails, each present only with the ones before it (§1.8 fields 7-10).
  Bytes devAttr;                   // empty = absent, else 8 bytes
  std::string_view productSecret;  // empty = absent, else 32 bytes
  bool hasData = false;            // data_len (+ data) present
  std::string_view data;           // "key=value&key=value"
};

// Writes the fields present (a tail without the tails before it fails the writer).
void buildDeviceInfo(const DeviceInfo& info, ByteWriter& out);
// Accepts 66, 74, 106 and 108 + data_len bytes; a truncated tail is Malformed. Bytes after the data are
// ignored (fields were appended over time; v4.2.6 likewise ignores what it does not know).
McuParsed<DeviceInfo> parseDeviceInfo(Bytes payload);
// The value of `key` in the `key=value&...` data string (first match), nullopt when absent.
[[nodiscard]] std::optional<std::string_view> deviceInfoDataValue(std::string_view data,
                                                                  std::string_view key);

// ---- 0x0D WiFi status word (§1.9) ---------------------------------------------------------------------

struct WifiStatus {
  bool softAp = false;           // bit 0
  bool station = false;          // bit 1
  bool onboarding = false;       // bit 2
  bool bindable = false;         // bit 3
  bool routerConnected = false;  // bit 4
  bool cloudConnected = false;   // bit 5
  std::uint8_t rssiLevel = 0;    // bits 8-10, 0..7 (higher bits are dropped on encode)
  bool appOnline = false;        // bit 11
  bool productionTest = false;   // bit 12

  // Reserved bits (6-7, 13-15) are zero.
  [[nodiscard]] std::uint16_t toWord() const;
  // Reserved bits are ignored.
  [[nodiscard]] static WifiStatus fromWord(std::uint16_t word);
  friend bool operator==(const WifiStatus&, const WifiStatus&) = default;
};

void buildWifiStatus(const WifiStatus& status, ByteWriter& out);
McuParsed<WifiStatus> parseWifiStatus(Bytes payload);  // exactly 2 bytes

// ---- 0x09 config mode (§1.8) --------------------------------------------------------------------------

enum class ConfigMethod : std::uint8_t { SoftAp = 1, AirLink = 2, Direct = 4 };
// §1.8 newer doc: any value other than 1 or 4 means AirLink.
[[nodiscard]] ConfigMethod configMethodFor(std::uint8_t mode);

struct ConfigModeRequest {
  std::uint8_t mode = static_cast<std::uint8_t>(ConfigMethod::AirLink);  // the wire byte, kept raw
  // Direct (4) only:
  std::string_view ssid;
  std::string_view password;
  std::string_view bssid;  // ASCII hex, e.g. "1ccf7fb6bbff"; may be empty
  [[nodiscard]] ConfigMethod method() const { return configMethodFor(mode); }
};

// Writes the mode byte, and for 4 the `len u8 + text` triple (a text over 255 bytes fails the writer).
void buildConfigMode(const ConfigModeRequest& request, ByteWriter& out);
// One byte, or for mode 4 the whole triple; anything missing or left over is Malformed.
McuParsed<ConfigModeRequest> parseConfigMode(Bytes payload);

// ---- 0x11 / 0x12 illegal-message notice (§1.10) -------------------------------------------------------

void buildIllegalNotice(IllegalCode code, ByteWriter& out);
// Exactly one byte; the code is kept raw (values outside 1..4 are passed on, not judged).
McuParsed<IllegalCode> parseIllegalNotice(Bytes payload);

// ---- 0x17 / 0x18 network time (§1.8) --------------------------------------------------------------------

inline constexpr std::size_t kNetworkTimeSize = 11;

struct NetworkTime {
  std::uint16_t year = 1970;  // local civil time
  std::uint8_t month = 1;
  std::uint8_t day = 1;
  std::uint8_t hour = 0;
  std::uint8_t minute = 0;
  std::uint8_t second = 0;
  std::uint32_t ntp = 0;  // UTC epoch seconds
  friend bool operator==(const NetworkTime&, const NetworkTime&) = default;
};

// Local civil fields of `utcEpoch` shifted by `tzOffsetSeconds` (e.g. +28800 for UTC+8), ntp = utcEpoch.
[[nodiscard]] NetworkTime networkTimeFromEpoch(std::uint32_t utcEpoch, std::int32_t tzOffsetSeconds);
// Proleptic Gregorian calendar <-> days since 1970-01-01 (the "days from civil" algorithm; no libc time).
[[nodiscard]] std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day);
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};
[[nodiscard]] CivilDate civilFromDays(std::int64_t days);

void buildNetworkTime(const NetworkTime& time, ByteWriter& out);
McuParsed<NetworkTime> parseNetworkTime(Bytes payload);  // exactly 11 bytes; field ranges are not judged

// ---- 0x21 / 0x22 module info (§1.8, WiFi layout) --------------------------------------------------------

inline constexpr std::uint8_t kModuleTypeWifi = 0x01;
inline constexpr std::uint8_t kModuleTypeGprs = 0x02;
inline constexpr std::size_t kModuleAddressSize = 16;  // MAC and IP ASCII fields
inline constexpr std::size_t kModuleInfoWifiSize =
    1 + 3 * kMcuVersionSize + 2 * kModuleAddressSize + kDevAttrSize;

// 0x21 request: one type byte (the MCU sends 0).
void buildModuleInfoRequest(std::uint8_t type, ByteWriter& out);
McuParsed<std::uint8_t> parseModuleInfoRequest(Bytes payload);  // exactly 1 byte

struct ModuleInfo {
  std::string_view protocolVer;  // the MCU's protocol_ver (§1.8)
  std::string_view hardVer;
  std::string_view softVer;
  std::string_view mac;  // ASCII, e.g. "AABBCCDDEEFF"; zero padding trimmed
  std::string_view ip;   // ASCII dotted quad; zero padding trimmed
  Bytes devAttr;         // 8 bytes
};

// Writes type 01 and the WiFi layout (devAttr must be 8 bytes or empty = zeros).
void buildModuleInfo(const ModuleInfo& info, ByteWriter& out);
// Only the WiFi layout (type 01, exactly 65 bytes); the GPRS layout is Malformed here.
McuParsed<ModuleInfo> parseModuleInfo(Bytes payload);

// The GPRS layout (type 02). It has no MAC and no IP; the Linux port of GAgent v4.2.6 answers with it, all
// cellular fields zero.
inline constexpr std::size_t kGprsIdentitySize = 16;    // IMEI, IMSI (ASCII, zero-padded)
inline constexpr std::size_t kGprsNetworkCodeSize = 8;  // MCC, MNC (ASCII, zero-padded)
inline constexpr std::size_t kGprsCellSize = 5;         // LAC u16, cell id u16, RSSI u8
inline constexpr std::size_t kModuleInfoGprsFixedSize =
    1 + 3 * kMcuVersionSize + kDevAttrSize + 2 * kGprsIdentitySize + 2 * kGprsNetworkCodeSize + 2;

struct GprsCell {
  std::uint16_t lac = 0;
  std::uint16_t cellId = 0;
  std::uint8_t rssi = 0;
};

struct GprsModuleInfo {
  std::string_view protocolVer;
  std::string_view hardVer;
  std::string_view softVer;
  Bytes devAttr;          // 8 bytes
  std::string_view imei;  // zero padding trimmed
  std::string_view imsi;
  std::string_view mcc;
  std::string_view mnc;
  std::uint8_t cellInfoLen = 0;  // as sent; its meaning is not defined (v4.2.6 sends 0), the cells follow
  Bytes cells;                   // cellCount() x kGprsCellSize
  [[nodiscard]] std::size_t cellCount() const { return cells.size() / kGprsCellSize; }
  [[nodiscard]] GprsCell cell(std::size_t index) const;  // index < cellCount()
};

// Writes type 02 and the GPRS layout (devAttr 8 bytes or empty; cells a multiple of kGprsCellSize).
void buildGprsModuleInfo(const GprsModuleInfo& info, ByteWriter& out);
// Type 02, the fixed part, then exactly CellNum cells.
McuParsed<GprsModuleInfo> parseGprsModuleInfo(Bytes payload);

// A 0x22 payload of either layout, told apart by its type byte.
struct AnyModuleInfo {
  std::uint8_t type = 0;
  std::optional<ModuleInfo> wifi;
  std::optional<GprsModuleInfo> gprs;
};
// Malformed when the type byte is unknown or the layout it names does not parse.
McuParsed<AnyModuleInfo> parseAnyModuleInfo(Bytes payload);

// ---- 0x19 / 0x1B / 0x1D big-data transfer (§1.13) -------------------------------------------------------

inline constexpr std::uint16_t kBigDataDefaultPieceSize = 256;

struct BigDataRequest {
  std::uint32_t fileSize = 0;
  std::string_view md5;  // 32 ASCII hex for MCU OTA; any check string for uploads
};
void buildBigDataRequest(const BigDataRequest& request, ByteWriter& out);
McuParsed<BigDataRequest> parseBigDataRequest(Bytes payload);  // md5len must match what follows exactly

struct BigDataReady {
  std::string_view md5;
  std::uint16_t pieceSize = 0;  // 0 means 256
  [[nodiscard]] std::uint16_t effectivePieceSize() const {
    return pieceSize == 0 ? kBigDataDefaultPieceSize : pieceSize;
  }
};
void buildBigDataReady(const BigDataReady& ready, ByteWriter& out);
McuParsed<BigDataReady> parseBigDataReady(Bytes payload);  // exactly md5len u16 + md5 + piece_size u16

struct BigDataPiece {
  std::uint16_t index = 1;  // 1-based
  std::uint16_t count = 0;  // v4.2.6 sends 0 in HEX mode
  Bytes data;
};
void buildBigDataPiece(const BigDataPiece& piece, ByteWriter& out);
McuParsed<BigDataPiece> parseBigDataPiece(Bytes payload);  // at least the 4 header bytes; data = the rest

}  // namespace gagent::proto
