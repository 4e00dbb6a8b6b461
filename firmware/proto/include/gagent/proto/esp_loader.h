#pragma once
// The ESP ROM serial loader's packets (the protocol esptool speaks; Espressif's "Serial Protocol" page),
// shared by the rig's flasher (rig/flash) and the virtual module's ROM loader (gagent-sim --boot rom).
// Inside a SLIP frame (slip.h), little-endian:
//   request:  direction 0x00 | command u8 | size u16 | checksum u32 | data[size]
//   response: direction 0x01 | command u8 | size u16 | value u32    | data[size]
// The response data ends with status bytes: status (0 ok, 1 failed) and error; 2 bytes from the ESP8266 ROM
// and from the flasher stub, 4 from the ESP32 ROM (two reserved). The checksum covers only the payload of
// the *_DATA commands: 0xEF XOR every byte.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gagent/proto/bytes.h"

namespace gagent::proto::esp {

enum class Command : std::uint8_t {
  FlashBegin = 0x02,
  FlashData = 0x03,
  FlashEnd = 0x04,
  MemBegin = 0x05,
  MemEnd = 0x06,
  MemData = 0x07,
  Sync = 0x08,
  WriteReg = 0x09,
  ReadReg = 0x0A,
  SpiSetParams = 0x0B,
  SpiAttach = 0x0D,
  ChangeBaudrate = 0x0F,
  FlashDeflBegin = 0x10,
  FlashDeflData = 0x11,
  FlashDeflEnd = 0x12,
  SpiFlashMd5 = 0x13,
  GetSecurityInfo = 0x14,
  // The flasher stub's own commands (a ROM loader does not know them).
  EraseFlash = 0xD0,
  EraseRegion = 0xD1,
  ReadFlash = 0xD2,
  RunUserCode = 0xD3,
};
[[nodiscard]] std::string_view commandName(std::uint8_t command);

inline constexpr std::uint8_t kDirectionRequest = 0x00;
inline constexpr std::uint8_t kDirectionResponse = 0x01;
inline constexpr std::size_t kHeaderSize = 8;
inline constexpr std::uint8_t kChecksumSeed = 0xEF;
// The *_DATA payload: size u32 | sequence u32 | 0 u32 | 0 u32 | data.
inline constexpr std::size_t kDataHeaderSize = 16;

// The register whose value names the chip family (esptool's CHIP_DETECT_MAGIC_REG_ADDR).
inline constexpr std::uint32_t kChipMagicRegister = 0x40001000;
inline constexpr std::uint32_t kEsp8266Magic = 0xFFF0C101;
inline constexpr std::uint32_t kEsp32Magic = 0x00F01D83;

// ROM loader error codes (second status byte) this project uses.
inline constexpr std::uint8_t kErrorInvalidMessage = 0x05;  // also: command not supported by this ROM
inline constexpr std::uint8_t kErrorChecksum = 0x07;
inline constexpr std::uint8_t kErrorFlashWrite = 0x08;
inline constexpr std::uint8_t kErrorDeflate = 0x0B;
inline constexpr std::uint8_t kErrorInvalidParameter = 0x01;
// The flasher stub's.
inline constexpr std::uint8_t kStubErrorBadDataLen = 0xC0;
inline constexpr std::uint8_t kStubErrorBadDataChecksum = 0xC1;
inline constexpr std::uint8_t kStubErrorInflate = 0xC7;
inline constexpr std::uint8_t kStubErrorNotEnoughData = 0xC8;
inline constexpr std::uint8_t kStubErrorTooMuchData = 0xC9;
inline constexpr std::uint8_t kStubErrorUnsupported = 0xFF;

// The SYNC payload: 07 07 12 20 then 32 x 0x55 (it also lets the chip measure the baud rate).
inline constexpr std::size_t kSyncPayloadSize = 36;
[[nodiscard]] std::array<std::uint8_t, kSyncPayloadSize> syncPayload();
[[nodiscard]] bool isSyncPayload(Bytes data);
// The flasher stub's greeting, sent as one SLIP frame when it starts.
inline constexpr std::string_view kStubGreeting = "OHAI";

[[nodiscard]] std::uint8_t checksum(Bytes data, std::uint8_t seed = kChecksumSeed);

struct Request {
  std::uint8_t command = 0;
  std::uint32_t checksum = 0;
  Bytes data;
};
struct Response {
  std::uint8_t command = 0;
  std::uint32_t value = 0;
  Bytes data;
};

// Header + data into `out`; the packet size, 0 when it does not fit or data is over 65535 bytes.
[[nodiscard]] std::size_t encodeRequest(std::uint8_t command, Bytes data, std::uint32_t checksum,
                                        MutableBytes out);
[[nodiscard]] std::size_t encodeResponse(std::uint8_t command, std::uint32_t value, Bytes data,
                                         MutableBytes out);
// A whole packet (one SLIP frame's content): nullopt unless the direction matches and the size field equals
// the data that follows the header.
[[nodiscard]] std::optional<Request> parseRequest(Bytes packet);
[[nodiscard]] std::optional<Response> parseResponse(Bytes packet);

// The status at the end of a response's data (`statusSize` 2 or 4); `body` is what precedes it.
struct Status {
  bool ok = false;
  std::uint8_t error = 0;
  Bytes body;
};
[[nodiscard]] std::optional<Status> parseStatus(Bytes data, std::size_t statusSize);

// Little-endian u32 words at the start of a command's data (the begin/end/register commands are words).
[[nodiscard]] std::optional<std::uint32_t> word(Bytes data, std::size_t index);
void putWord(ByteWriter& out, std::uint32_t value);  // little-endian

// A *_DATA payload: the declared size must equal the bytes that follow the 16-byte header.
struct DataBlock {
  std::uint32_t sequence = 0;
  Bytes data;
};
[[nodiscard]] std::optional<DataBlock> parseDataBlock(Bytes payload);

}  // namespace gagent::proto::esp
