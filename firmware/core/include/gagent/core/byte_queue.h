#pragma once
// A fixed-capacity FIFO of bytes: what the core has produced but a non-blocking HAL channel has not taken
// yet.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace gagent::core {

template <std::size_t Capacity>
class ByteQueue {
 public:
  // All or nothing: a message is never half queued.
  [[nodiscard]] bool push(std::span<const std::uint8_t> data) {
    if (data.size() > Capacity - size_) return false;
    for (std::uint8_t byte : data) {
      buffer_[(head_ + size_) % Capacity] = byte;
      ++size_;
    }
    return true;
  }
  // The longest contiguous run at the front, for a single write call.
  [[nodiscard]] std::span<const std::uint8_t> front() const {
    const std::size_t run = head_ + size_ <= Capacity ? size_ : Capacity - head_;
    return {buffer_.data() + head_, run};
  }
  void pop(std::size_t n) {
    if (n > size_) n = size_;
    head_ = (head_ + n) % Capacity;
    size_ -= n;
  }
  void clear() { head_ = size_ = 0; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t space() const { return Capacity - size_; }

 private:
  std::array<std::uint8_t, Capacity> buffer_{};
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace gagent::core
