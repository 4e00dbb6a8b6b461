#pragma once
// gagent-sim --pace on: the module's serial line at its baud rate in real time, as the wire paces a real
// module (S3.2, 8N1: 10 bit times a byte, one byte at a time each way). A pty carries bytes at once; through
// this, a byte the MCU wrote becomes readable when its stop bit would have ended, and a byte the module
// writes reaches the pty when its own would. Benchmarks of real-time runs then include wire time (issue 12,
// P2). The ROM loader paces itself (rom_loader_runner.h).

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

#include "gagent/hal/uart.h"

namespace gagent::posix {

class PacedUart final : public hal::Uart {
 public:
  using Micros = std::uint64_t;
  using Clock = std::function<Micros()>;
  // Bytes the module may have waiting for the wire (GAgent's UART ring, §1.2); beyond it write takes fewer.
  static constexpr std::size_t kTxCapacity = 1024;

  // `line` carries the bytes (the pty) and must outlive this; `clock` is a monotonic time in microseconds.
  PacedUart(hal::Uart& line, std::uint32_t baud, Clock clock);

  hal::IoResult read(std::span<std::uint8_t> out) override;
  hal::IoResult write(std::span<const std::uint8_t> data) override;

  // Takes what arrived on the line (timing it from now) and sends what is due. Run on every loop pass.
  void service();
  // When service() next has work (a byte becomes readable or due to go out); nullopt: nothing waits.
  [[nodiscard]] std::optional<Micros> nextDue() const;

 private:
  struct TimedByte {
    Micros at;  // readable (received) or due on the line (sent)
    std::uint8_t value;
  };
  void receive(Micros now);
  void transmit(Micros now);

  hal::Uart& line_;
  Micros byteTime_;
  Clock clock_;
  std::deque<TimedByte> rx_;
  std::deque<TimedByte> tx_;
  Micros rxFree_ = 0;  // when the previous byte's stop bit ends, each way
  Micros txFree_ = 0;
};

}  // namespace gagent::posix
