#pragma once
// A byte queue between one interrupt handler and the loop: one side only pushes, the other only pops, so
// neither needs to mask interrupts (single producer, single consumer; indices are written by one side each).

#include <array>
#include <cstddef>
#include <cstdint>

namespace gagent::stm32f2 {

template <std::size_t N>
class ByteRing {
  static_assert(N >= 2 && (N & (N - 1)) == 0, "a power of two, so the free-running indices wrap cleanly");

 public:
  bool push(std::uint8_t byte) {
    const std::uint32_t head = head_;
    if (head - tail_ == N) return false;  // full
    bytes_[head % N] = byte;
    head_ = head + 1;
    return true;
  }
  bool pop(std::uint8_t& byte) {
    const std::uint32_t tail = tail_;
    if (head_ == tail) return false;  // empty
    byte = bytes_[tail % N];
    tail_ = tail + 1;
    return true;
  }
  [[nodiscard]] std::size_t size() const { return head_ - tail_; }
  [[nodiscard]] std::size_t space() const { return N - size(); }
  [[nodiscard]] bool empty() const { return head_ == tail_; }

 private:
  std::array<std::uint8_t, N> bytes_{};
  volatile std::uint32_t head_ = 0;
  volatile std::uint32_t tail_ = 0;
};

}  // namespace gagent::stm32f2
