#pragma once
// A few equal buffers lent out and given back: RAM for what only some of many users need at a time (a LAN
// client assembling a large packet, or one whose peer has not taken a reply yet). A user holds a Handle;
// acquire() gives kNone when every buffer is lent, and the caller refuses or waits: it never blocks.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace gagent::core {

template <std::size_t Count, std::size_t Size>
class BufferPool {
 public:
  using Handle = std::uint8_t;
  static constexpr Handle kNone = 0xFF;
  static constexpr std::size_t kSize = Size;
  static_assert(Count < kNone);

  [[nodiscard]] Handle acquire() {
    for (std::size_t i = 0; i < Count; ++i) {
      if (!lent_[i]) {
        lent_[i] = true;
        return static_cast<Handle>(i);
      }
    }
    return kNone;
  }
  // Gives the buffer back (no-op for kNone) and clears the handle.
  void release(Handle& handle) {
    if (handle < Count) lent_[handle] = false;
    handle = kNone;
  }
  [[nodiscard]] std::span<std::uint8_t, Size> buffer(Handle handle) { return buffers_[handle]; }
  [[nodiscard]] std::size_t available() const {
    std::size_t free = 0;
    for (bool lent : lent_) free += lent ? 0 : 1;
    return free;
  }

 private:
  std::array<std::array<std::uint8_t, Size>, Count> buffers_{};
  std::array<bool, Count> lent_{};
};

}  // namespace gagent::core
