#include "gagent/proto/mcu_frame.h"

namespace gagent::proto {

namespace {

// §1.7, indexed by code.
constexpr std::array<std::string_view, 0x2B> kKnownNames = {
    "0x00 unknown",
    "0x01 get device info",
    "0x02 device info",
    "0x03 P0 to MCU",
    "0x04 P0 to MCU ack",
    "0x05 P0 from MCU",
    "0x06 P0 from MCU ack",
    "0x07 heartbeat",
    "0x08 heartbeat ack",
    "0x09 enter config mode",
    "0x0A config mode ack",
    "0x0B reset module",
    "0x0C reset module ack",
    "0x0D WiFi status",
    "0x0E WiFi status ack",
    "0x0F reboot MCU",
    "0x10 reboot MCU ack",
    "0x11 illegal message",
    "0x12 illegal message ack",
    "0x13 enter production test",
    "0x14 production test ack",
    "0x15 open bind window",
    "0x16 bind window ack",
    "0x17 get network time",
    "0x18 network time",
    "0x19 big-data request",
    "0x1A big-data request ack",
    "0x1B big-data ready",
    "0x1C big-data ready ack",
    "0x1D big-data piece",
    "0x1E big-data piece ack",
    "0x1F big-data sender abort",
    "0x20 big-data sender abort ack",
    "0x21 get module info",
    "0x22 module info",
    "0x23 transaction request",
    "0x24 transaction request ack",
    "0x25 transaction result",
    "0x26 transaction result ack",
    "0x27 big-data receiver abort",
    "0x28 big-data receiver abort ack",
    "0x29 restart module",
    "0x2A restart module ack",
};

constexpr std::string_view kUnknownSuffix = " unknown";
constexpr std::size_t kUnknownNameSize = 4 + kUnknownSuffix.size();  // "0x60 unknown"

// "0xNN unknown" for every code, built at compile time so commandName can return static text.
constexpr auto kUnknownNames = [] {
  std::array<char, 256 * kUnknownNameSize> names{};
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (std::size_t code = 0; code < 256; ++code) {
    const std::size_t at = code * kUnknownNameSize;
    names[at] = '0';
    names[at + 1] = 'x';
    names[at + 2] = kHex[code >> 4];
    names[at + 3] = kHex[code & 0x0F];
    for (std::size_t i = 0; i < kUnknownSuffix.size(); ++i) names[at + 4 + i] = kUnknownSuffix[i];
  }
  return names;
}();

// Writes bytes after the header, inserting 55 after every FF (§1.3), and sums the unescaped bytes.
class StuffingWriter {
 public:
  explicit StuffingWriter(MutableBytes out) : out_(out) {}

  void raw(std::uint8_t byte) {
    if (size_ >= out_.size()) {
      ok_ = false;
      return;
    }
    out_[size_++] = byte;
  }
  void stuffed(std::uint8_t byte) {
    raw(byte);
    if (byte == kMcuHeaderByte) raw(kMcuStuffByte);
  }
  void summed(std::uint8_t byte) {
    sum_ = static_cast<std::uint8_t>(sum_ + byte);
    stuffed(byte);
  }

  [[nodiscard]] std::uint8_t sum() const { return sum_; }
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  MutableBytes out_;
  std::size_t size_ = 0;
  std::uint8_t sum_ = 0;
  bool ok_ = true;
};

std::size_t stuffedSize(std::uint8_t byte) {
  return byte == kMcuHeaderByte ? 2 : 1;
}

}  // namespace

std::string_view commandName(McuCmd cmd) {
  const std::uint8_t code = toByte(cmd);
  if (isKnownCommand(cmd)) return kKnownNames[code];
  return {&kUnknownNames[code * kUnknownNameSize], kUnknownNameSize};
}

std::size_t mcuWireSize(const McuHeader& header, Bytes payload) {
  if (payload.size() > kMcuMaxPayload) return 0;
  const auto len = static_cast<std::uint16_t>(mcuFrameLen(payload.size()));
  std::uint8_t sum = 0;
  std::size_t size = kMcuHeaderSize;
  const std::uint8_t fixed[] = {static_cast<std::uint8_t>(len >> 8),
                                static_cast<std::uint8_t>(len),
                                toByte(header.cmd),
                                header.sn,
                                static_cast<std::uint8_t>(header.flags >> 8),
                                static_cast<std::uint8_t>(header.flags)};
  for (std::uint8_t byte : fixed) {
    sum = static_cast<std::uint8_t>(sum + byte);
    size += stuffedSize(byte);
  }
  for (std::uint8_t byte : payload) {
    sum = static_cast<std::uint8_t>(sum + byte);
    size += stuffedSize(byte);
  }
  return size + stuffedSize(sum);
}

std::size_t encodeMcuFrame(const McuHeader& header, Bytes payload, MutableBytes out) {
  if (payload.size() > kMcuMaxPayload) return 0;
  const auto len = static_cast<std::uint16_t>(mcuFrameLen(payload.size()));
  StuffingWriter w(out);
  w.raw(kMcuHeaderByte);
  w.raw(kMcuHeaderByte);
  w.summed(static_cast<std::uint8_t>(len >> 8));
  w.summed(static_cast<std::uint8_t>(len));
  w.summed(toByte(header.cmd));
  w.summed(header.sn);
  w.summed(static_cast<std::uint8_t>(header.flags >> 8));
  w.summed(static_cast<std::uint8_t>(header.flags));
  for (std::uint8_t byte : payload) w.summed(byte);
  w.stuffed(w.sum());  // §1.3: the checksum is stuffed too
  return w.ok() ? w.size() : 0;
}

std::optional<IllegalCode> illegalNoticeFor(const McuDecodeError& error) {
  if (error.cmd && (isAckType(*error.cmd) || *error.cmd == McuCmd::IllegalMessage)) return std::nullopt;
  if (error.reason == McuFrameError::BadChecksum) return IllegalCode::Checksum;
  if (error.sn) return IllegalCode::Other;
  return std::nullopt;
}

std::optional<IllegalCode> illegalNoticeForCommand(McuCmd cmd) {
  if (isKnownCommand(cmd)) return std::nullopt;
  return IllegalCode::Command;
}

McuDecodeEvent McuFrameDecoder::push(std::uint8_t byte) {
  switch (state_) {
    case State::Hunt:
      if (byte == kMcuHeaderByte) state_ = State::HuntSecondFF;
      return {};
    case State::HuntSecondFF:
      if (byte == kMcuHeaderByte) {
        startFrame();
      } else {
        state_ = State::Hunt;
      }
      return {};
    case State::InFrame:
      break;
  }

  if (!escape_) {
    if (byte == kMcuHeaderByte) {
      escape_ = true;
      return {};
    }
    return accept(byte);
  }

  escape_ = false;
  if (byte == kMcuStuffByte) return accept(kMcuHeaderByte);  // FF 55 -> FF
  if (byte == kMcuHeaderByte) {
    // §1.3: FF FF inside a frame starts a new frame; report the old one only if it had begun.
    McuDecodeEvent event;
    if (read_ > 0) event = dropFrame(McuFrameError::Interrupted);
    startFrame();
    return event;
  }
  // §1.3: FF FF FF xx -> the last FF FF is the header and xx the first len byte.
  if (read_ == 0) return accept(byte);
  return dropFrame(McuFrameError::BadStuffing);
}

void McuFrameDecoder::reset() {
  state_ = State::Hunt;
  escape_ = false;
  read_ = 0;
}

void McuFrameDecoder::startFrame() {
  state_ = State::InFrame;
  escape_ = false;
  read_ = 0;
  len_ = 0;
  sum_ = 0;
}

McuDecodeEvent McuFrameDecoder::accept(std::uint8_t value) {
  if (read_ < 2) {
    len_ = static_cast<std::uint16_t>((len_ << 8) | value);
    sum_ = static_cast<std::uint8_t>(sum_ + value);
    ++read_;
    if (read_ == 2 && (len_ < kMcuFixedLen || len_ > kMcuMaxLen)) return dropFrame(McuFrameError::BadLength);
    return {};
  }

  const std::size_t at = read_ - 2;
  body_[at] = value;
  ++read_;
  if (at + 1 < len_) {
    sum_ = static_cast<std::uint8_t>(sum_ + value);
    return {};
  }

  // The checksum byte completes the frame.
  if (value != sum_) return dropFrame(McuFrameError::BadChecksum);
  state_ = State::Hunt;
  McuDecodeEvent event;
  event.kind = McuEventKind::Frame;
  event.frame.header.cmd = static_cast<McuCmd>(body_[0]);
  event.frame.header.sn = body_[1];
  event.frame.header.flags = static_cast<std::uint16_t>((body_[2] << 8) | body_[3]);
  event.frame.payload = Bytes(body_).subspan(4, len_ - kMcuFixedLen);
  return event;
}

McuDecodeEvent McuFrameDecoder::dropFrame(McuFrameError reason) {
  McuDecodeEvent event;
  event.kind = McuEventKind::Error;
  event.error.reason = reason;
  if (read_ >= 2) event.error.len = len_;
  if (read_ >= 3) event.error.cmd = static_cast<McuCmd>(body_[0]);
  if (read_ >= 4) event.error.sn = body_[1];
  state_ = State::Hunt;
  escape_ = false;
  return event;
}

}  // namespace gagent::proto
