#include "gagent/posix/posix_random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace gagent::posix {

std::uint64_t PosixRandom::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void PosixRandom::fill(std::span<std::uint8_t> out) {
  if (seeded_) {
    for (auto& byte : out) byte = static_cast<std::uint8_t>(next() >> 56);
    return;
  }
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (errno != EINTR) {
      // No kernel entropy at all is not a state a module can run in: secrets would be guessable.
      std::abort();
    }
  }
}

}  // namespace gagent::posix
