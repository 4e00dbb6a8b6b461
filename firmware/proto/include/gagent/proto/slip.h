#pragma once
// SLIP framing (RFC 1055) as the ESP ROM serial loader uses it: every packet starts and ends with 0xC0;
// inside, 0xC0 is sent as 0xDB 0xDC and 0xDB as 0xDB 0xDD. Both sides of the loader protocol share this
// (rig/flash and gagent-sim's ROM loader), so it lives with the other sans-I/O codecs: no heap, no
// exceptions, caller-owned buffers.

#include <cstddef>
#include <cstdint>

#include "gagent/proto/bytes.h"

namespace gagent::proto {

inline constexpr std::uint8_t kSlipEnd = 0xC0;
inline constexpr std::uint8_t kSlipEsc = 0xDB;
inline constexpr std::uint8_t kSlipEscEnd = 0xDC;
inline constexpr std::uint8_t kSlipEscEsc = 0xDD;

// Bytes `payload` takes once framed (both delimiters included).
[[nodiscard]] std::size_t slipEncodedSize(Bytes payload);
// Frames `payload` into `out`; returns the bytes written, 0 when `out` is too small.
[[nodiscard]] std::size_t slipEncode(Bytes payload, MutableBytes out);

// Incremental decoder over a caller-owned frame buffer. Bytes outside a frame (boot chatter, noise) are
// skipped and counted; a frame longer than the buffer or with a bad escape is dropped whole and reported,
// then the decoder waits for the next 0xC0.
class SlipDecoder {
 public:
  enum class Event : std::uint8_t {
    None,       // byte consumed, no frame yet
    Frame,      // frame() holds a whole packet (valid until the next feed)
    Overflow,   // a frame longer than the buffer was dropped
    BadEscape,  // 0xDB followed by something other than 0xDC / 0xDD: the frame was dropped
  };

  explicit SlipDecoder(MutableBytes storage) : storage_(storage) {}

  Event feed(std::uint8_t byte);
  [[nodiscard]] Bytes frame() const { return storage_.first(size_); }
  // Bytes seen outside any frame since construction (the host shows them as noise).
  [[nodiscard]] std::size_t strayBytes() const { return stray_; }
  void reset();

 private:
  enum class State : std::uint8_t { Outside, Inside, Escape, Discard };
  MutableBytes storage_;
  std::size_t size_ = 0;
  std::size_t stray_ = 0;
  State state_ = State::Outside;
  bool frameReady_ = false;
};

}  // namespace gagent::proto
