#pragma once
// The LAN command table and typed payloads (protocol §2.3, §2.4, §5.2, Appendix B). Builders append a payload
// to a ByteWriter (check writer.ok() once afterwards: a value the format cannot carry also fails the writer);
// encodeLanPacketWith() builds one straight into a packet. Parsers take a decoded packet's payload and return
// views into it plus a status (Ok or Malformed; payloads arrive whole, so never NeedMore). Strings are the
// raw bytes of the wire (no terminators, no unescaping: S6.2.5).
//
// Exact formats (0001, 0007, 0008, 0009, 0019) reject truncation and trailing bytes. 0004/0005 and 0014
// ignore bytes after their last known field (newer firmware appends fields, §2.3, §7.6). Empty-body commands
// (0002, 0003, 0006, 000C, 0013, 0015-0018) need no builder: encodeLanPacket with an empty payload. 0090 /
// 0091 carry the P0 as is; 0093 / 0094 prefix it with a sequence number (LanSequencedP0).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "gagent/proto/bytes.h"
#include "gagent/proto/lan_packet.h"

namespace gagent::proto {

// §2.3 (and §2.4, §5.1-5.3). A LanCmd holds unknown values too (see isKnownLanCommand).
enum class LanCmd : std::uint16_t {
  OnboardingRequest = 0x0001,  // UDP 12414, AP + onboarding mode only
  OnboardingReply = 0x0002,
  DiscoveryRequest = 0x0003,  // UDP 12414
  DiscoveryReply = 0x0004,
  StartupAnnounce = 0x0005,  // UDP broadcast :2415, same body as 0004
  PasscodeRequest = 0x0006,  // TCP from here on
  PasscodeReply = 0x0007,
  Login = 0x0008,
  LoginResult = 0x0009,
  WifiVersionRequest = 0x000A,  // old GAgent only
  WifiVersionReply = 0x000B,
  ApListRequest = 0x000C,
  ApList = 0x000D,
  Log = 0x0010,  // no-op in v4.2.6; newer: set log level
  LogAck = 0x0011,
  LogToServer = 0x0012,
  DeviceInfoRequest = 0x0013,
  DeviceInfoReply = 0x0014,
  Ping = 0x0015,
  Pong = 0x0016,
  ExitProductionTest = 0x0017,
  ExitProductionTestReply = 0x0018,
  ConfigSuccess = 0x0019,   // UDP broadcast :2415
  AppBroadcast1B = 0x001B,  // seen from the Android app, purpose unknown
  P0ToDevice = 0x0090,      // app -> device: P0
  P0FromDevice = 0x0091,    // device -> app: reply to 0090 and every MCU report
  P0ToDeviceSn = 0x0093,    // app -> device: sn u32 + P0
  P0FromDeviceSn = 0x0094,  // device -> app: echoed sn + the MCU's reply P0
};

[[nodiscard]] constexpr std::uint16_t toU16(LanCmd cmd) {
  return static_cast<std::uint16_t>(cmd);
}
// One of the §2.3 codes above.
[[nodiscard]] bool isKnownLanCommand(LanCmd cmd);
// "0x0006 passcode request"; an unknown code gives "unknown" (the caller prints the number). Static storage.
[[nodiscard]] std::string_view lanCommandName(LanCmd cmd);
// §2.3 "Login and timeouts", §9: the commands an unauthenticated TCP client may send (0006, 0008, 0013, 000C,
// 0017); anything else from it makes the module close the socket.
[[nodiscard]] constexpr bool isPreLoginCommand(LanCmd cmd) {
  return cmd == LanCmd::PasscodeRequest || cmd == LanCmd::Login || cmd == LanCmd::DeviceInfoRequest ||
         cmd == LanCmd::ApListRequest || cmd == LanCmd::ExitProductionTest;
}

// lan_packet.h's encoders, taking a LanCmd.
[[nodiscard]] inline std::size_t encodeLanPacket(LanCmd cmd, Bytes payload, MutableBytes out,
                                                 std::uint8_t flag = kLanFlagNone) {
  return encodeLanPacket(toU16(cmd), payload, out, flag);
}
template <typename BuildPayload>
[[nodiscard]] std::size_t encodeLanPacketWith(LanCmd cmd, BuildPayload&& build, MutableBytes out,
                                              std::uint8_t flag = kLanFlagNone) {
  return encodeLanPacketWith(toU16(cmd), std::forward<BuildPayload>(build), out, flag);
}

template <typename T>
struct [[nodiscard]] LanParsed {
  ParseStatus status = ParseStatus::Malformed;
  T value{};
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
};

// Field sizes.
inline constexpr std::size_t kLanMaxSsid = 32;      // §2.3 0001 / 000D
inline constexpr std::size_t kLanMaxPassword = 32;  // §2.3 0001
inline constexpr std::size_t kLanMaxPasscode = 32;  // S7.2.1: 10-32 characters
inline constexpr std::size_t kLanMacSize = 6;       // raw bytes, not hex text
inline constexpr std::size_t kLanProductKeySize = 32;
inline constexpr std::size_t kLanDidSize = 22;  // what a registered module sends; 0 before registration
inline constexpr std::size_t kLanMcuAttrSize = 8;
inline constexpr std::size_t kLanVersionSize = 8;  // the fixed fields of 0014
inline constexpr std::uint8_t kLanMaxApPower = 100;
inline constexpr std::size_t kLanSnSize = 4;  // 0093 / 0094

// Empty-body commands: Ok iff the payload is empty. (v4.2.6 never looks at these payloads; the firmware may
// choose to ignore extra bytes on requests.)
[[nodiscard]] ParseStatus parseLanEmpty(Bytes payload);

// ---- 0001 onboarding request (§2.3, §2.4 SoftAP, S6.2.5)
// -----------------------------------------------------

struct LanOnboardingRequest {
  std::string_view ssid;      // <= kLanMaxSsid
  std::string_view password;  // <= kLanMaxPassword; not checked (S6.2.5); empty = open network
};
void buildLanOnboardingRequest(const LanOnboardingRequest& request, ByteWriter& out);
// Exactly ssidLen u16, ssid, pwdLen u16, pwd; either text over 32 bytes is Malformed.
LanParsed<LanOnboardingRequest> parseLanOnboardingRequest(Bytes payload);

// ---- 0004 discovery reply / 0005 startup announce (§2.3, S7.1)
// ----------------------------------------------

struct LanDeviceAnnounce {
  std::string_view did;              // 22 chars, or empty before registration (any length is carried)
  Bytes mac;                         // exactly 6 raw bytes
  std::string_view firmwareVersion;  // the latest version the cloud reported at the last OTA check; often ""
  std::string_view productKey;       // exactly 32
  Bytes mcuAttr;                     // exactly 8, or empty when building = eight zero bytes
  // Newer firmware appends `apiServer \0 gagentVersion \0` (e.g. "api.gizwits.com:80", "4.0.8").
  std::optional<std::string_view> apiServer;      // no NUL inside
  std::optional<std::string_view> gagentVersion;  // only after an apiServer; no NUL inside
};
// Writes the v4.2.6 body, then the optional tail strings, each NUL-terminated.
void buildLanDeviceAnnounce(const LanDeviceAnnounce& announce, ByteWriter& out);
// macLen must be 6 and pkLen 32; the 8 mcu_attr bytes must be there. After them: if any byte remains,
// apiServer is the text up to the first NUL (or the end); if bytes remain after that NUL, gagentVersion
// likewise. Bytes after that are ignored.
LanParsed<LanDeviceAnnounce> parseLanDeviceAnnounce(Bytes payload);

// ---- 0007 passcode reply / 0008 login (§2.3, S7.2.3)
// ----------------------------------------------------------

// len u16 + passcode (<= kLanMaxPasscode). An empty passcode in 0007 = the bind window is closed (S7.2.3).
void buildLanPasscodeReply(std::string_view passcode, ByteWriter& out);
LanParsed<std::string_view> parseLanPasscodeReply(Bytes payload);  // exact
void buildLanLogin(std::string_view passcode, ByteWriter& out);
LanParsed<std::string_view> parseLanLogin(Bytes payload);  // exact

// ---- 0009 login result (§2.3)
// --------------------------------------------------------------------------------

enum class LanLoginResult : std::uint8_t { Ok = 0x00, Fail = 0x01 };
void buildLanLoginResult(LanLoginResult result, ByteWriter& out);
// Exactly one byte, kept raw: only Ok (00) means logged in.
LanParsed<LanLoginResult> parseLanLoginResult(Bytes payload);

// ---- 000D AP list (§2.3, S6.2.4)
// -----------------------------------------------------------------------------

struct LanApEntry {
  std::string_view ssid;   // <= kLanMaxSsid
  std::uint8_t power = 0;  // 0..kLanMaxApPower
};

// Walks a validated list without copying: `for (LanApEntry e; cursor.next(e);)`.
class LanApListCursor {
 public:
  explicit LanApListCursor(Bytes entries) : reader_(entries) {}
  bool next(LanApEntry& out);

 private:
  ByteReader reader_;
};

struct LanApList {
  Bytes entries;  // the whole payload, every entry well formed
  [[nodiscard]] LanApListCursor cursor() const { return LanApListCursor(entries); }
  [[nodiscard]] std::size_t count() const;
};

template <typename Visit>
void forEachLanAp(const LanApList& list, Visit&& visit) {
  LanApListCursor cursor = list.cursor();
  for (LanApEntry entry; cursor.next(entry);) visit(entry);
}

// Repeated {ssidLen u16, ssid, power u8}; an SSID over 32 bytes or a power over 100 fails the writer.
void buildLanApList(std::span<const LanApEntry> entries, ByteWriter& out);
// Every entry complete (no partial entry at the end), SSIDs <= 32, powers <= 100; an empty list is Ok.
LanParsed<LanApList> parseLanApList(Bytes payload);

// ---- 0014 device info (§2.3)
// ---------------------------------------------------------------------------------

struct LanDeviceInfo {
  // Fixed 8-byte fields: the builder pads shorter values with zero bytes and refuses longer ones; the parser
  // returns the raw 8 bytes.
  std::string_view wifiHardVer;
  std::string_view wifiSoftVer;
  std::string_view mcuHardVer;
  std::string_view mcuSoftVer;
  std::string_view p0Ver;
  std::string_view firmwareId;       // zeros in v4.2.6
  std::string_view firmwareVersion;  // fwLen u16 + fw (v4.2.6 fills it from the wrong buffer)
  std::string_view productKey;       // pkLen u16 (= 32) + pk
};
void buildLanDeviceInfo(const LanDeviceInfo& info, ByteWriter& out);
// pkLen must be 32; bytes after the product key are ignored.
LanParsed<LanDeviceInfo> parseLanDeviceInfo(Bytes payload);

// ---- 0019 config success (§2.3, §2.4, §5.2)
// -------------------------------------------------------------------

struct LanConfigSuccess {
  Bytes mac;                    // exactly 6 raw bytes
  std::string_view productKey;  // exactly 32
  std::string_view did;         // 22, or empty before registration
};
void buildLanConfigSuccess(const LanConfigSuccess& success, ByteWriter& out);
// Exactly macLen u16 (= 6), mac, pkLen u16 (= 32), pk, didLen u16, did.
LanParsed<LanConfigSuccess> parseLanConfigSuccess(Bytes payload);

// ---- 0093 / 0094 sequenced P0 (§2.3)
// --------------------------------------------------------------------------

struct LanSequencedP0 {
  std::uint32_t sn = 0;
  Bytes p0;  // may be empty (0094 after the MCU's bare ACK)
};
void buildLanSequencedP0(const LanSequencedP0& message, ByteWriter& out);
// At least the 4 sn bytes; the P0 is the rest.
LanParsed<LanSequencedP0> parseLanSequencedP0(Bytes payload);

}  // namespace gagent::proto
