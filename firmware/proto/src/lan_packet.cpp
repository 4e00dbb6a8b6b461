#include "gagent/proto/lan_packet.h"

#include <algorithm>
#include <cstring>

namespace gagent::proto {

namespace {

// The header of the packet at the start of `in`, as far as it is there.
struct LanHeader {
  ParseStatus status = ParseStatus::NeedMore;
  LanPacketError error = LanPacketError::None;
  std::size_t size = 0;  // magic + varint + LEN: the whole packet (status == Ok)
};

LanHeader readHeader(Bytes in) {
  LanHeader header;
  // A mismatch is reported as soon as the first wrong byte is seen, so a stream does not wait for 4 bytes.
  const std::size_t magicSeen = std::min(in.size(), kLanMagicSize);
  if (!std::equal(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(magicSeen), kLanMagic.begin())) {
    header.status = ParseStatus::Malformed;
    header.error = LanPacketError::BadMagic;
    return header;
  }
  if (magicSeen < kLanMagicSize) return header;
  const VarintDecode len = decodeVarint(in.subspan(kLanMagicSize));
  if (len.status == ParseStatus::NeedMore) return header;
  header.status = ParseStatus::Malformed;
  if (len.status == ParseStatus::Malformed) {
    header.error = LanPacketError::BadVarint;
  } else if (!len.shortest) {
    header.error = LanPacketError::LongVarint;
  } else if (len.value < kLanFixedLen) {
    header.error = LanPacketError::BadLength;
  } else if (len.value > kLanMaxLen) {
    header.error = LanPacketError::Oversize;
  } else {
    header.status = ParseStatus::Ok;
    header.size = kLanMagicSize + len.consumed + len.value;
  }
  return header;
}

// The packet of `size` bytes (a header read Ok) at the start of `in`.
LanPacketView viewPacket(Bytes in, std::size_t size) {
  const VarintDecode len = decodeVarint(in.subspan(kLanMagicSize));
  ByteReader reader(in.first(size).subspan(kLanMagicSize + len.consumed));
  LanPacketView view;
  view.flag = reader.u8();
  view.cmd = reader.u16();
  view.payload = reader.rest();
  return view;
}

LanDecode malformed(LanPacketError error) {
  LanDecode result;
  result.status = ParseStatus::Malformed;
  result.error = error;
  return result;
}

}  // namespace

std::size_t lanPacketSize(std::size_t payloadSize) {
  if (payloadSize > kLanMaxPayload) return 0;
  const auto len = static_cast<std::uint32_t>(kLanFixedLen + payloadSize);
  return kLanMagicSize + varintSize(len) + len;
}

std::size_t encodeLanPacket(std::uint16_t cmd, Bytes payload, MutableBytes out, std::uint8_t flag) {
  const std::size_t size = lanPacketSize(payload.size());
  if (size == 0 || out.size() < size) return 0;
  ByteWriter writer(out);
  writer.bytes(kLanMagic);
  encodeVarint(writer, static_cast<std::uint32_t>(kLanFixedLen + payload.size()));
  writer.u8(flag);
  writer.u16(cmd);
  writer.bytes(payload);
  return writer.ok() ? writer.size() : 0;
}

namespace detail {

std::size_t finishLanPacket(std::uint16_t cmd, std::size_t payloadSize, MutableBytes out, std::uint8_t flag) {
  const std::size_t size = lanPacketSize(payloadSize);
  if (size == 0 || out.size() < size || out.size() < kLanShortHeaderSize + payloadSize) return 0;
  const std::size_t headerSize = size - payloadSize;
  if (headerSize != kLanShortHeaderSize) {
    std::memmove(out.data() + headerSize, out.data() + kLanShortHeaderSize, payloadSize);
  }
  ByteWriter writer(out.first(headerSize));
  writer.bytes(kLanMagic);
  encodeVarint(writer, static_cast<std::uint32_t>(kLanFixedLen + payloadSize));
  writer.u8(flag);
  writer.u16(cmd);
  return writer.ok() && writer.size() == headerSize ? size : 0;
}

}  // namespace detail

std::string_view lanPacketErrorName(LanPacketError error) {
  switch (error) {
    case LanPacketError::None:
      return "none";
    case LanPacketError::BadMagic:
      return "bad magic (not 00 00 00 03)";
    case LanPacketError::BadVarint:
      return "LEN varint longer than 4 bytes";
    case LanPacketError::LongVarint:
      return "LEN varint not in its shortest form";
    case LanPacketError::BadLength:
      return "LEN below 3";
    case LanPacketError::Oversize:
      return "LEN over the maximum";
    case LanPacketError::Truncated:
      return "datagram shorter than LEN";
    case LanPacketError::TrailingBytes:
      return "datagram longer than LEN";
  }
  return "unknown";
}

LanPacketExtent lanPacketExtent(Bytes start) {
  const LanHeader header = readHeader(start);
  return LanPacketExtent{header.status, header.error, header.size};
}

LanDecode parseLanDatagram(Bytes datagram) {
  const LanHeader header = readHeader(datagram);
  if (header.status == ParseStatus::Malformed) return malformed(header.error);
  // §2.2: 4 + lenbytes + LEN must be the datagram size exactly, both ways.
  if (header.status == ParseStatus::NeedMore || header.size > datagram.size()) {
    return malformed(LanPacketError::Truncated);
  }
  if (header.size < datagram.size()) return malformed(LanPacketError::TrailingBytes);
  LanDecode result;
  result.status = ParseStatus::Ok;
  result.packet = viewPacket(datagram, header.size);
  return result;
}

std::size_t LanStreamDecoder::feed(Bytes in) {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t taken = std::min(in.size(), kCapacity - end_);
  if (taken > 0) std::memcpy(buffer_.data() + end_, in.data(), taken);
  end_ += taken;
  return taken;
}

bool LanStreamDecoder::hunt() {
  const auto first = buffer_.begin() + static_cast<std::ptrdiff_t>(begin_);
  const auto last = buffer_.begin() + static_cast<std::ptrdiff_t>(end_);
  const auto found = std::search(first, last, kLanMagic.begin(), kLanMagic.end());
  if (found != last) {
    begin_ = static_cast<std::size_t>(found - buffer_.begin());
    hunting_ = false;
    return true;
  }
  // Keep a tail that may be the start of a magic split across segments (at most three 00 bytes).
  std::size_t keep = 0;
  while (keep < kLanMagicSize - 1 && keep < end_ - begin_ && buffer_[end_ - 1 - keep] == 0x00) ++keep;
  begin_ = end_ - keep;
  return false;
}

LanDecode LanStreamDecoder::fail(LanPacketError error) {
  // Step past the start of the bad packet and look for the next magic from there.
  ++begin_;
  hunting_ = true;
  return malformed(error);
}

LanDecode LanStreamDecoder::next() {
  if (hunting_ && !hunt()) return {};
  const Bytes pending(buffer_.data() + begin_, end_ - begin_);
  const LanHeader header = readHeader(pending);
  if (header.status == ParseStatus::Malformed) return fail(header.error);
  if (header.status == ParseStatus::NeedMore || header.size > pending.size()) return {};
  LanDecode result;
  result.status = ParseStatus::Ok;
  result.packet = viewPacket(pending, header.size);
  begin_ += header.size;
  return result;
}

void LanStreamDecoder::reset() {
  begin_ = 0;
  end_ = 0;
  hunting_ = false;
}

}  // namespace gagent::proto
