#include "gagent/posix/inflate_stream.h"

#include <zlib.h>

#include <array>

namespace gagent::posix {

struct InflateStream::State {
  z_stream stream{};
  bool ready = false;
};

InflateStream::InflateStream() : state_(std::make_unique<State>()) {
  state_->ready = inflateInit(&state_->stream) == Z_OK;
  failed_ = !state_->ready;
}

InflateStream::~InflateStream() {
  if (state_->ready) inflateEnd(&state_->stream);
}

bool InflateStream::push(std::span<const std::uint8_t> input, std::vector<std::uint8_t>& out,
                         std::size_t limit) {
  if (failed_) return false;
  if (finished_) return input.empty();  // bytes after the end of the stream
  z_stream& z = state_->stream;
  z.next_in = const_cast<Bytef*>(input.data());  // zlib's API is not const-correct; it does not write
  z.avail_in = static_cast<uInt>(input.size());
  std::array<std::uint8_t, 16 * 1024> chunk{};
  while (z.avail_in > 0 || z.avail_out == 0) {
    z.next_out = chunk.data();
    z.avail_out = static_cast<uInt>(chunk.size());
    const int result = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = chunk.size() - z.avail_out;
    if (result != Z_OK && result != Z_STREAM_END && !(result == Z_BUF_ERROR && produced == 0)) {
      failed_ = true;
      return false;
    }
    if (totalOut_ + produced > limit) {
      failed_ = true;
      return false;
    }
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(produced));
    totalOut_ += produced;
    if (result == Z_STREAM_END) {
      finished_ = true;
      return z.avail_in == 0;
    }
    if (produced == 0 && z.avail_in == 0) break;
    if (result == Z_BUF_ERROR) break;
  }
  return true;
}

}  // namespace gagent::posix
