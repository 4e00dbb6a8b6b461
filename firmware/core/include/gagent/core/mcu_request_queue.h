#pragma once
// The module's requests waiting for the MCU (McuLink sends one at a time, protocol §1.4): a FIFO of at most
// MaxRequests entries whose payloads share one byte buffer of PayloadBytes, instead of a maximum payload per
// entry. Payloads are kept in queue order from the buffer's start, so a request's payload starts where the
// ones before it end (derived, not stored) and the front one is always contiguous; popping moves the rest
// down. The buffer is sized for one maximum P0 plus the small requests (status, heartbeat): a second large
// P0 while one waits is refused, and the caller answers the app.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "gagent/proto/bytes.h"
#include "gagent/proto/mcu_frame.h"

namespace gagent::core {

template <std::size_t MaxRequests, std::size_t PayloadBytes>
class McuRequestQueue {
 public:
  struct Entry {
    proto::McuCmd cmd = proto::McuCmd::GetDeviceInfo;
    std::uint32_t tag = 0;
    std::uint16_t length = 0;
  };

  // All or nothing: false when MaxRequests wait already or the payload does not fit the free bytes.
  [[nodiscard]] bool push(proto::McuCmd cmd, std::uint32_t tag, proto::Bytes payload) {
    if (size_ == MaxRequests || payload.size() > PayloadBytes - used_) return false;
    entries_[size_++] = Entry{cmd, tag, static_cast<std::uint16_t>(payload.size())};
    if (!payload.empty()) std::memcpy(payloads_.data() + used_, payload.data(), payload.size());
    used_ += payload.size();
    return true;
  }
  void pop() {
    if (size_ == 0) return;
    const std::size_t length = entries_[0].length;
    std::memmove(payloads_.data(), payloads_.data() + length, used_ - length);
    used_ -= length;
    for (std::size_t i = 1; i < size_; ++i) entries_[i - 1] = entries_[i];
    --size_;
  }
  [[nodiscard]] const Entry& at(std::size_t index) const { return entries_[index]; }
  [[nodiscard]] const Entry& front() const { return entries_[0]; }
  [[nodiscard]] proto::Bytes payload(std::size_t index) const {
    return {payloads_.data() + offsetOf(index), entries_[index].length};
  }
  // The payload bytes of a waiting entry, to overwrite in place (a newer status word).
  [[nodiscard]] proto::MutableBytes mutablePayload(std::size_t index) {
    return {payloads_.data() + offsetOf(index), entries_[index].length};
  }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t freeBytes() const { return PayloadBytes - used_; }
  void clear() { size_ = used_ = 0; }

 private:
  [[nodiscard]] std::size_t offsetOf(std::size_t index) const {
    std::size_t offset = 0;
    for (std::size_t i = 0; i < index; ++i) offset += entries_[i].length;
    return offset;
  }

  std::array<Entry, MaxRequests> entries_{};
  std::array<std::uint8_t, PayloadBytes> payloads_{};
  std::size_t size_ = 0;
  std::size_t used_ = 0;
};

}  // namespace gagent::core
