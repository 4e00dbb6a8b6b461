#include "gagent/proto/slip.h"

namespace gagent::proto {

std::size_t slipEncodedSize(Bytes payload) {
  std::size_t size = 2;
  for (const std::uint8_t b : payload) size += (b == kSlipEnd || b == kSlipEsc) ? 2 : 1;
  return size;
}

std::size_t slipEncode(Bytes payload, MutableBytes out) {
  if (out.size() < slipEncodedSize(payload)) return 0;
  std::size_t at = 0;
  out[at++] = kSlipEnd;
  for (const std::uint8_t b : payload) {
    if (b == kSlipEnd) {
      out[at++] = kSlipEsc;
      out[at++] = kSlipEscEnd;
    } else if (b == kSlipEsc) {
      out[at++] = kSlipEsc;
      out[at++] = kSlipEscEsc;
    } else {
      out[at++] = b;
    }
  }
  out[at++] = kSlipEnd;
  return at;
}

void SlipDecoder::reset() {
  size_ = 0;
  state_ = State::Outside;
  frameReady_ = false;
}

SlipDecoder::Event SlipDecoder::feed(std::uint8_t byte) {
  if (frameReady_) {  // the previous frame was handed out: start afresh
    frameReady_ = false;
    size_ = 0;
  }
  switch (state_) {
    case State::Outside:
      if (byte == kSlipEnd) {
        state_ = State::Inside;
        size_ = 0;
      } else {
        ++stray_;
      }
      return Event::None;
    case State::Discard:
      // Resynchronise on the next delimiter, which may also open the next frame.
      if (byte == kSlipEnd) {
        state_ = State::Inside;
        size_ = 0;
      }
      return Event::None;
    case State::Escape:
      if (byte != kSlipEscEnd && byte != kSlipEscEsc) {
        state_ = byte == kSlipEnd ? State::Inside : State::Discard;
        size_ = 0;
        return Event::BadEscape;
      }
      byte = byte == kSlipEscEnd ? kSlipEnd : kSlipEsc;
      state_ = State::Inside;
      break;
    case State::Inside:
      if (byte == kSlipEnd) {
        // Back-to-back delimiters (0xC0 0xC0) are an empty frame: the end of one and the start of the next.
        if (size_ == 0) return Event::None;
        state_ = State::Outside;
        frameReady_ = true;
        return Event::Frame;
      }
      if (byte == kSlipEsc) {
        state_ = State::Escape;
        return Event::None;
      }
      break;
  }
  if (size_ == storage_.size()) {
    state_ = State::Discard;
    size_ = 0;
    return Event::Overflow;
  }
  storage_[size_++] = byte;
  return Event::None;
}

}  // namespace gagent::proto
