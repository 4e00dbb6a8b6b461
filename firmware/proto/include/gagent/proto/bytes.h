#pragma once
// Bounds-checked big-endian byte reading and writing over caller-owned buffers.
// Every Gizwits protocol is big-endian; these never allocate and never throw: an overrun sets a sticky
// error flag that the caller checks once at the end (ok()).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace gagent::proto {

using Bytes = std::span<const std::uint8_t>;
using MutableBytes = std::span<std::uint8_t>;

// Result of feeding bytes to a parser: a whole message, not enough bytes yet, or bytes that can never parse.
enum class ParseStatus : std::uint8_t { Ok, NeedMore, Malformed };

inline Bytes asBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline std::string_view asText(Bytes bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

class ByteWriter {
 public:
  explicit ByteWriter(MutableBytes out) : out_(out) {}

  void u8(std::uint8_t value) {
    if (!reserve(1)) return;
    out_[size_++] = value;
  }
  void u16(std::uint16_t value) {
    if (!reserve(2)) return;
    u8(static_cast<std::uint8_t>(value >> 8));
    u8(static_cast<std::uint8_t>(value));
  }
  void u32(std::uint32_t value) {
    if (!reserve(4)) return;
    u16(static_cast<std::uint16_t>(value >> 16));
    u16(static_cast<std::uint16_t>(value));
  }
  void bytes(Bytes data) {
    if (!reserve(data.size())) return;
    for (std::uint8_t b : data) out_[size_++] = b;
  }
  void text(std::string_view data) { bytes(asBytes(data)); }
  // Writes `data` into exactly `width` bytes, padding with `pad` (fixed-width ASCII fields).
  void fixedText(std::string_view data, std::size_t width, std::uint8_t pad = 0) {
    for (std::size_t i = 0; i < width; ++i) u8(i < data.size() ? static_cast<std::uint8_t>(data[i]) : pad);
  }
  // u16 length prefix followed by the bytes (the LAN protocol's strings).
  void lengthPrefixed16(Bytes data) {
    u16(static_cast<std::uint16_t>(data.size()));
    bytes(data);
  }

  // Marks the output invalid (a value that cannot be encoded).
  void fail() { ok_ = false; }

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] Bytes written() const { return out_.first(size_); }
  // Patch a byte already written (e.g. a length computed after the body).
  void patch(std::size_t offset, std::uint8_t value) {
    if (offset < size_) out_[offset] = value;
  }

 private:
  bool reserve(std::size_t n) {
    if (!ok_ || out_.size() - size_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  MutableBytes out_;
  std::size_t size_ = 0;
  bool ok_ = true;
};

class ByteReader {
 public:
  explicit ByteReader(Bytes in) : in_(in) {}

  std::uint8_t u8() {
    if (!need(1)) return 0;
    return in_[pos_++];
  }
  std::uint16_t u16() {
    const auto hi = u8();
    const auto lo = u8();
    return static_cast<std::uint16_t>((hi << 8) | lo);
  }
  std::uint32_t u32() {
    const std::uint32_t hi = u16();
    const std::uint32_t lo = u16();
    return (hi << 16) | lo;
  }
  Bytes bytes(std::size_t n) {
    if (!need(n)) return {};
    Bytes view = in_.subspan(pos_, n);
    pos_ += n;
    return view;
  }
  std::string_view text(std::size_t n) { return asText(bytes(n)); }
  // u16 length prefix followed by that many bytes.
  Bytes lengthPrefixed16() { return bytes(u16()); }
  Bytes rest() { return bytes(remaining()); }

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::size_t remaining() const { return ok_ ? in_.size() - pos_ : 0; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  [[nodiscard]] bool atEnd() const { return ok_ && pos_ == in_.size(); }

 private:
  bool need(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  Bytes in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace gagent::proto
