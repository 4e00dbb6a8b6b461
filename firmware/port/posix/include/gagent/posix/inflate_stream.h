#pragma once
// A zlib stream (RFC 1950, what esptool's FLASH_DEFL_DATA carries) inflated piece by piece, as the blocks
// arrive; a thin wrapper over zlib's inflate that never throws.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace gagent::posix {

class InflateStream {
 public:
  InflateStream();
  ~InflateStream();
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;

  // Appends what `input` inflates to to `out`. False on corrupt data or when the output would pass
  // `limit` bytes in total (nothing more is accepted after that).
  bool push(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out, std::size_t limit);
  [[nodiscard]] bool finished() const { return finished_; }
  [[nodiscard]] std::size_t totalOut() const { return totalOut_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool failed_ = false;
  bool finished_ = false;
  std::size_t totalOut_ = 0;
};

}  // namespace gagent::posix
