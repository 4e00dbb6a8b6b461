#pragma once
// The serial line to the device's MCU (S3.2: 9600 8N1). Non-blocking both ways.

#include <cstddef>
#include <cstdint>
#include <span>

#include "gagent/hal/types.h"

namespace gagent::hal {

class Uart {
 public:
  virtual ~Uart() = default;
  // Copies up to out.size() received bytes; WouldBlock when nothing is waiting.
  virtual IoResult read(std::span<std::uint8_t> out) = 0;
  // Queues bytes for sending; may take fewer than offered (the caller keeps the rest).
  virtual IoResult write(std::span<const std::uint8_t> data) = 0;
};

}  // namespace gagent::hal
