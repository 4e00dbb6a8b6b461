#pragma once
// LAN ("small loop") packets between the app/SDK and the module (protocol §2.1-2.3):
//   00 00 00 03 | LEN varint (1-4 bytes, least-significant group first) | FLAG u8 | CMD u16 BE | payload
// LEN = 3 + payload size. UDP datagrams carry exactly one packet (parseLanDatagram); TCP is a byte stream
// that LanStreamDecoder frames by LEN (v4.2.6 assumed one recv() = one packet, §2.2; we do not). Encoders
// write into caller buffers, the stream decoder into a fixed member buffer. Nothing here allocates.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gagent/proto/bytes.h"
#include "gagent/proto/varint.h"

namespace gagent::proto {

// §2.1 ports.
inline constexpr std::uint16_t kLanUdpConfigPort = 12414;  // module listens: discovery 0003, onboarding 0001
inline constexpr std::uint16_t kLanAnnouncePort = 2415;    // broadcasts 0005 / 0019 (source and destination)
inline constexpr std::uint16_t kLanTcpPort = 12416;        // module listens: app sessions

// §2.2 framing.
inline constexpr std::array<std::uint8_t, 4> kLanMagic = {0x00, 0x00, 0x00, 0x03};
inline constexpr std::size_t kLanMagicSize = kLanMagic.size();
inline constexpr std::size_t kLanFixedLen = 3;  // FLAG + CMD, counted by LEN
// Largest payload we send or accept: a 1024-byte P0 (§1.2's MCU buffer) plus the 4-byte sn of 0093/0094 and
// room for the extra bytes newer firmware inserts (§2.3 0094), with margin.
inline constexpr std::size_t kLanMaxPayload = 1100;
inline constexpr std::size_t kLanMaxLen = kLanFixedLen + kLanMaxPayload;            // 1103: a 2-byte varint
inline constexpr std::size_t kLanMinPacketSize = kLanMagicSize + 1 + kLanFixedLen;  // 00 00 00 03 03 00 00 15
// The most encodeLanPacket writes (minimal varint: 2 bytes for kLanMaxLen).
inline constexpr std::size_t kLanMaxPacketSize = kLanMagicSize + 2 + kLanMaxLen;  // 1109
// The largest packet a decoder accepts: LEN in its shortest form only (issue 16; v4.2.6 writes no other).
inline constexpr std::size_t kLanMaxWireSize = kLanMaxPacketSize;  // 1109
inline constexpr std::uint8_t kLanFlagNone =
    0x00;  // everything v4.2.6 sends; FLAG is ignored on receive (§2.2)

// Wire size of a packet with `payloadSize` bytes (minimal varint), 0 when the payload exceeds kLanMaxPayload.
[[nodiscard]] std::size_t lanPacketSize(std::size_t payloadSize);

// Writes one packet; returns its size, or 0 (nothing usable written) when `out` is too small or the payload
// exceeds kLanMaxPayload.
[[nodiscard]] std::size_t encodeLanPacket(std::uint16_t cmd, Bytes payload, MutableBytes out,
                                          std::uint8_t flag = kLanFlagNone);

namespace detail {
inline constexpr std::size_t kLanShortHeaderSize = kLanMagicSize + 1 + kLanFixedLen;  // 1-byte varint
// encodeLanPacketWith's second half: the payload was built at out[kLanShortHeaderSize...]; writes the header
// (moving the payload one byte on when LEN needs two varint bytes). Returns the packet size or 0.
[[nodiscard]] std::size_t finishLanPacket(std::uint16_t cmd, std::size_t payloadSize, MutableBytes out,
                                          std::uint8_t flag);
}  // namespace detail

// Builds the payload in place (no temporary buffer): `build(ByteWriter&)` appends the payload, e.g.
//   encodeLanPacketWith(cmd, [&](ByteWriter& w) { buildLanPasscodeReply(passcode, w); }, out);
// Returns the packet size, or 0 when the writer failed (too small, over kLanMaxPayload, or a builder
// refused).
template <typename BuildPayload>
[[nodiscard]] std::size_t encodeLanPacketWith(std::uint16_t cmd, BuildPayload&& build, MutableBytes out,
                                              std::uint8_t flag = kLanFlagNone) {
  if (out.size() < detail::kLanShortHeaderSize) return 0;
  MutableBytes room = out.subspan(detail::kLanShortHeaderSize);
  if (room.size() > kLanMaxPayload) room = room.first(kLanMaxPayload);
  ByteWriter payload(room);
  build(payload);
  if (!payload.ok()) return 0;
  return detail::finishLanPacket(cmd, payload.size(), out, flag);
}

struct LanPacketView {
  std::uint8_t flag = kLanFlagNone;
  std::uint16_t cmd = 0;
  Bytes payload;  // views the input (datagram) or the decoder's buffer (stream)
};

enum class LanPacketError : std::uint8_t {
  None,
  BadMagic,       // the first four bytes are not 00 00 00 03
  BadVarint,      // LEN does not end within 4 varint bytes
  LongVarint,     // LEN in more varint bytes than its value needs (`83 80 00` for 3)
  BadLength,      // LEN < 3 (no room for FLAG + CMD)
  Oversize,       // LEN > kLanMaxLen
  Truncated,      // datagram only: it ends before 4 + lenbytes + LEN
  TrailingBytes,  // datagram only: bytes after 4 + lenbytes + LEN
};
[[nodiscard]] std::string_view lanPacketErrorName(LanPacketError error);

struct [[nodiscard]] LanDecode {
  ParseStatus status = ParseStatus::NeedMore;
  LanPacketError error = LanPacketError::None;  // status == Malformed
  LanPacketView packet;                         // status == Ok
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
};

// §2.2 UDP: the datagram must be exactly one packet, 4 + lenbytes + LEN == datagram size. Ok or Malformed,
// never NeedMore (a datagram arrives whole); the payload views `datagram`.
LanDecode parseLanDatagram(Bytes datagram);

// A stream packet's size from its first bytes, for a reader that takes one packet at a time off a TCP stream:
// Ok (size = magic + varint + LEN), NeedMore, or Malformed (BadMagic, BadVarint, LongVarint, BadLength,
// Oversize).
// Every valid packet has at least kLanMinPacketSize bytes and they hold the whole LEN varint, so a reader
// that reads kLanMinPacketSize bytes first never reads into the next packet.
struct [[nodiscard]] LanPacketExtent {
  ParseStatus status = ParseStatus::NeedMore;
  LanPacketError error = LanPacketError::None;  // status == Malformed
  std::size_t size = 0;                         // status == Ok
};
LanPacketExtent lanPacketExtent(Bytes start);

// TCP framing by LEN, for split and coalesced segments. Usage:
//   while (!data.empty()) {
//     data = data.subspan(decoder.feed(data));
//     for (LanDecode d = decoder.next(); d.status != ParseStatus::NeedMore; d = decoder.next()) handle(d);
//   }
// A malformed packet (bad magic, bad varint, LEN < 3 or > kLanMaxLen) yields one Malformed result; the
// decoder then drops bytes until the next 00 00 00 03 and carries on (the rig keeps reading this way).
// Payload bytes of a dropped packet may contain a magic, so what follows an error is best effort: the
// firmware closes a client on any error anyway (an unauthenticated or confused peer gets no second chance,
// §2.3).
class LanStreamDecoder {
 public:
  static constexpr std::size_t kCapacity = kLanMaxWireSize;

  // Appends as much of `in` as fits; returns how many bytes were taken. Invalidates packets returned before.
  std::size_t feed(Bytes in);
  // The next packet: Ok (payload views this decoder's buffer, valid until the next feed() or reset()),
  // Malformed (one per bad packet or run of junk), or NeedMore when no whole packet is buffered.
  LanDecode next();
  // Drops everything buffered (a new connection).
  void reset();

  [[nodiscard]] std::size_t buffered() const { return end_ - begin_; }

 private:
  LanDecode fail(LanPacketError error);
  bool hunt();  // true once a magic starts the buffer

  std::array<std::uint8_t, kCapacity> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool hunting_ = false;  // after an error: discarding until the next magic
};

}  // namespace gagent::proto
