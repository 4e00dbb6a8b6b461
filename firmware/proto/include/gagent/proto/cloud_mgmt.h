#pragma once
// The M2M management ("cli2ser"/"ser2cli") framing of §3.7: `00 00 00 03 | cmd u16 BE | payload`. Unlike the
// LAN "Hi" framing (§2.2) it has no LEN and no FLAG; the payload runs to the end of the PUBLISH payload.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gagent/proto/bytes.h"

namespace gagent::proto {

inline constexpr std::uint32_t kMgmtVersion = 0x00000003;
inline constexpr std::size_t kMgmtHeaderSize = 6;  // version word + cmd

enum class MgmtCmd : std::uint16_t {
  OtaPushV4 = 0x020E,        // srv->dev: OTA v4 push (ignored by v4.1)
  AppCountRequest = 0x020F,  // dev->srv on cli2ser_req: payload empty
  AppCount = 0x0210,         // srv->dev: u16 app count at offset 6; non-zero sets status bit 11
  OtaPush = 0x0211,          // srv->dev: OTA v4.1 push, firmware type u8 at offset 6
};

// §3.7 0x0211 firmware type.
enum class OtaFirmwareType : std::uint8_t { Wifi = 1, Mcu = 2 };

enum class MgmtError : std::uint8_t {
  None,
  TooShort,      // fewer than the 6 header bytes, or than the fields the command needs
  BadVersion,    // first word is not 00 00 00 03
  WrongCommand,  // a typed parser was given another command
  BadFirmwareType,
};
[[nodiscard]] std::string_view mgmtErrorName(MgmtError error);

struct MgmtPacket {
  std::uint16_t cmd = 0;
  Bytes payload;  // everything after the cmd
};

// A PUBLISH payload arrives whole, so results are Ok or Malformed, never NeedMore.
template <typename T>
struct [[nodiscard]] MgmtParse {
  ParseStatus status = ParseStatus::Malformed;
  MgmtError error = MgmtError::None;
  T value{};
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
};

// Encoders return the size written, 0 if it does not fit.
[[nodiscard]] std::size_t encodeMgmt(MutableBytes out, std::uint16_t cmd, Bytes payload);
[[nodiscard]] std::size_t encodeMgmtAppCountRequest(MutableBytes out);  // 00 00 00 03 02 0F
[[nodiscard]] std::size_t encodeMgmtAppCount(MutableBytes out, std::uint16_t appCount);
[[nodiscard]] std::size_t encodeMgmtOtaPush(MutableBytes out, OtaFirmwareType type);

// Any command, the payload being the rest of the input.
MgmtParse<MgmtPacket> decodeMgmt(Bytes in);
// Like v4.2.6, the typed parsers read their field at offset 6 and ignore bytes after it.
MgmtParse<std::uint16_t> parseMgmtAppCount(const MgmtPacket& packet);
MgmtParse<OtaFirmwareType> parseMgmtOtaPush(const MgmtPacket& packet);

}  // namespace gagent::proto
