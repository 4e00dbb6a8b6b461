#pragma once
// MCU <-> WiFi-module serial frames (protocol §1.2-1.3, §1.7, §1.10):
//   FF FF | len u16 | cmd | sn | flags u16 | payload | checksum
// len = 5 + payload size and the checksum (low 8 bits of the sum of len..last payload byte) are computed over
// the unescaped bytes; after the two header bytes every FF on the wire is followed by a stuffed 55. The
// encoder writes into a caller buffer; the streaming decoder keeps one frame in a fixed member buffer.
// Nothing here allocates.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gagent/proto/bytes.h"

namespace gagent::proto {

// §1.7 command codes 0x01..0x2A (request = odd, its ACK/response = request + 1). Frames may carry any byte:
// a McuCmd holds unknown values too (see isKnownCommand).
enum class McuCmd : std::uint8_t {
  GetDeviceInfo = 0x01,
  DeviceInfo = 0x02,
  P0ToMcu = 0x03,
  P0ToMcuAck = 0x04,
  P0FromMcu = 0x05,
  P0FromMcuAck = 0x06,
  Heartbeat = 0x07,
  HeartbeatAck = 0x08,
  ConfigMode = 0x09,
  ConfigModeAck = 0x0A,
  ResetModule = 0x0B,
  ResetModuleAck = 0x0C,
  WifiStatus = 0x0D,
  WifiStatusAck = 0x0E,
  RebootMcu = 0x0F,
  RebootMcuAck = 0x10,
  IllegalMessage = 0x11,
  IllegalMessageAck = 0x12,
  ProductionTest = 0x13,
  ProductionTestAck = 0x14,
  BindWindow = 0x15,
  BindWindowAck = 0x16,
  GetNetworkTime = 0x17,
  NetworkTime = 0x18,
  BigDataRequest = 0x19,
  BigDataRequestAck = 0x1A,
  BigDataReady = 0x1B,
  BigDataReadyAck = 0x1C,
  BigDataPiece = 0x1D,
  BigDataPieceAck = 0x1E,
  BigDataSenderAbort = 0x1F,
  BigDataSenderAbortAck = 0x20,
  GetModuleInfo = 0x21,
  ModuleInfo = 0x22,
  TransactionRequest = 0x23,
  TransactionRequestAck = 0x24,
  TransactionResult = 0x25,
  TransactionResultAck = 0x26,
  BigDataReceiverAbort = 0x27,
  BigDataReceiverAbortAck = 0x28,
  RestartModule = 0x29,
  RestartModuleAck = 0x2A,
};

[[nodiscard]] constexpr std::uint8_t toByte(McuCmd cmd) {
  return static_cast<std::uint8_t>(cmd);
}

// One of the §1.7 codes 0x01..0x2A.
[[nodiscard]] constexpr bool isKnownCommand(McuCmd cmd) {
  return toByte(cmd) >= 0x01 && toByte(cmd) <= 0x2A;
}
// §1.4: a response/ACK (even codes 0x02..0x2A); these are never ACKed themselves.
[[nodiscard]] constexpr bool isAckType(McuCmd cmd) {
  return isKnownCommand(cmd) && toByte(cmd) % 2 == 0;
}
// §1.4: the ACK/response to `cmd` is cmd + 1 (echoing the sn).
[[nodiscard]] constexpr McuCmd ackFor(McuCmd cmd) {
  return static_cast<McuCmd>(toByte(cmd) + 1);
}
// "0x01 get device info"; an unknown code gives "0x60 unknown". Static storage, for decoder views and logs.
[[nodiscard]] std::string_view commandName(McuCmd cmd);

// Sizes. len counts cmd, sn, flags (2), payload and checksum.
inline constexpr std::size_t kMcuHeaderSize = 2;  // FF FF
inline constexpr std::size_t kMcuFixedLen = 5;    // cmd + sn + flags + checksum
// Largest payload accepted or built: GAgent's UART ring buffer is 1024 bytes (§1.2). Firmware buffers use it.
inline constexpr std::size_t kMcuMaxPayload = 1024;
inline constexpr std::size_t kMcuMaxLen = kMcuFixedLen + kMcuMaxPayload;  // largest acceptable len field
// Worst case on the wire: header + every byte of len..checksum stuffed.
inline constexpr std::size_t kMcuMaxWireSize = kMcuHeaderSize + 2 * (2 + kMcuMaxLen);
inline constexpr std::uint8_t kMcuHeaderByte = 0xFF;
inline constexpr std::uint8_t kMcuStuffByte = 0x55;

// The len field of a frame carrying `payloadSize` bytes (e.g. device info: 66 payload bytes -> len 71).
[[nodiscard]] constexpr std::size_t mcuFrameLen(std::size_t payloadSize) {
  return kMcuFixedLen + payloadSize;
}

struct McuHeader {
  McuCmd cmd = McuCmd::GetDeviceInfo;
  std::uint8_t sn = 0;
  std::uint16_t flags = 0;  // §1.12; normally 0
  friend bool operator==(const McuHeader&, const McuHeader&) = default;
};

struct McuFrame {
  McuHeader header;
  Bytes payload;
};

// Exact number of bytes encodeMcuFrame writes (stuffing included); 0 when the payload exceeds kMcuMaxPayload.
[[nodiscard]] std::size_t mcuWireSize(const McuHeader& header, Bytes payload);

// Writes one complete frame; returns its size, or 0 (nothing usable written) when `out` is too small or the
// payload exceeds kMcuMaxPayload.
[[nodiscard]] std::size_t encodeMcuFrame(const McuHeader& header, Bytes payload, MutableBytes out);

// §1.10 error byte of the 0x11/0x12 illegal-message notice.
enum class IllegalCode : std::uint8_t { Checksum = 1, Command = 2, Other = 3, FileType = 4 };

enum class McuFrameError : std::uint8_t {
  BadChecksum,  // a whole frame whose checksum does not match
  BadLength,    // len < 5 (0 included) or len > kMcuMaxLen
  BadStuffing,  // FF followed by a byte other than 55/FF inside a frame (§1.3: drop, hunt again)
  Interrupted,  // FF FF inside a frame: the partial frame is dropped and a new one starts (§1.3)
};

// A dropped frame. Fields are set once they had been read (cmd and sn for a bad checksum always are).
struct McuDecodeError {
  McuFrameError reason = McuFrameError::BadChecksum;
  std::optional<std::uint16_t> len;
  std::optional<McuCmd> cmd;
  std::optional<std::uint8_t> sn;
  friend bool operator==(const McuDecodeError&, const McuDecodeError&) = default;
};

// §9 + §1.10: the 0x11 notice the module sends for a dropped frame, if any.
//  - a frame whose cmd is an ACK type, or is itself a notice (0x11), never gets one: ACKs are not answered
//    (the request side retransmits on its own) and answering notices could ping-pong;
//  - bad checksum -> 01;
//  - any other malformation -> 03 when the sn had been read (the notice echoes it), otherwise nothing.
[[nodiscard]] std::optional<IllegalCode> illegalNoticeFor(const McuDecodeError& error);
// §9: a well-formed frame with a command outside §1.7's table -> 02; known commands -> nothing.
[[nodiscard]] std::optional<IllegalCode> illegalNoticeForCommand(McuCmd cmd);

enum class McuEventKind : std::uint8_t { None, Frame, Error };

struct McuDecodeEvent {
  McuEventKind kind = McuEventKind::None;
  McuFrame frame;        // kind == Frame; payload points into the decoder, valid until its next push()
  McuDecodeError error;  // kind == Error
  [[nodiscard]] bool isFrame() const { return kind == McuEventKind::Frame; }
  [[nodiscard]] bool isError() const { return kind == McuEventKind::Error; }
};

// The GAgent v4.2.6 receive state machine of §1.3, one byte at a time:
//  - hunt for FF FF, then read len (2 bytes) and len data bytes, de-stuffing both (FF 55 counts as one FF);
//  - FF FF inside a frame drops the partial frame (Interrupted, if any of its bytes was read), starts anew;
//  - FF + other byte right after a header (FF FF FF xx): the last FF FF is the header, xx the first len byte;
//    anywhere else it drops the frame (BadStuffing) and the hunt restarts;
//  - len < 5 (0 included) or > kMcuMaxLen is refused as soon as it is read (BadLength);
//  - a complete frame whose checksum fails is reported (BadChecksum) with its cmd and sn.
// At most one event per byte. Back-to-back frames ("sticky packets") need no gap.
class McuFrameDecoder {
 public:
  [[nodiscard]] McuDecodeEvent push(std::uint8_t byte);

  // Pushes every byte and calls onEvent(const McuDecodeEvent&) for each Frame or Error event.
  template <typename OnEvent>
  void feed(Bytes in, OnEvent&& onEvent) {
    for (std::uint8_t byte : in) {
      const McuDecodeEvent event = push(byte);
      if (event.kind != McuEventKind::None) onEvent(event);
    }
  }

  // Drops any partial frame and hunts for a header again.
  void reset();

 private:
  enum class State : std::uint8_t { Hunt, HuntSecondFF, InFrame };

  void startFrame();
  McuDecodeEvent accept(std::uint8_t value);
  McuDecodeEvent dropFrame(McuFrameError reason);

  State state_ = State::Hunt;
  bool escape_ = false;   // the previous in-frame byte was FF
  std::size_t read_ = 0;  // unescaped bytes of this frame read after the header (len bytes included)
  std::uint16_t len_ = 0;
  std::uint8_t sum_ = 0;
  std::array<std::uint8_t, kMcuMaxLen> body_{};  // cmd..checksum
};

}  // namespace gagent::proto
