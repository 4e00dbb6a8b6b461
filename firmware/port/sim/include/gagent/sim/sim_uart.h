#pragma once
// The module's serial line to the MCU, both ends in one object: the module side is hal::Uart, the test side
// (the "MCU") injects and drains bytes. Every transfer is captured with its send and arrival times.
//
// Pacing is off by default (bytes arrive the instant they are sent) so protocol tests stay exact and short.
// setPacing(9600) models the real wire (S3.2, 8N1: 10 bit times = 1.04 ms per byte, one byte at a time per
// direction), so benchmarks see wire time. A byte becomes readable at the millisecond its stop bit ends
// (rounded up); the clock gets a wake-up event at each such millisecond so a world loop polls the reader.

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "gagent/hal/uart.h"
#include "gagent/sim/virtual_clock.h"

namespace gagent::sim {

class SimUart : public hal::Uart {
 public:
  enum class Direction : std::uint8_t { McuToModule, ModuleToMcu };
  struct Transfer {
    Millis sentAt = 0;
    Millis arrivedAt = 0;  // when the last byte was readable at the other end
    Direction direction = Direction::McuToModule;
    std::vector<std::uint8_t> bytes;
  };

  explicit SimUart(VirtualClock& clock) : clock_(clock) {}
  ~SimUart() override { clock_.cancelOwnedBy(this); }
  SimUart(const SimUart&) = delete;
  SimUart& operator=(const SimUart&) = delete;

  // 0 = no pacing (the default).
  void setPacing(std::uint32_t baud) { baud_ = baud; }
  // Bytes the module may have on the wire before write() takes fewer than offered; 0 = unlimited.
  void setModuleTxLimit(std::size_t bytes) { moduleTxLimit_ = bytes; }

  // hal::Uart, the module side.
  hal::IoResult read(std::span<std::uint8_t> out) override;
  hal::IoResult write(std::span<const std::uint8_t> data) override;

  // The MCU side.
  void mcuSend(std::span<const std::uint8_t> bytes);
  // Every byte that has reached the MCU by now.
  std::vector<std::uint8_t> mcuReceive();
  [[nodiscard]] std::size_t mcuReadable() const { return toMcu_.readable(clock_.now()); }
  [[nodiscard]] std::size_t moduleReadable() const { return toModule_.readable(clock_.now()); }

  [[nodiscard]] const std::vector<Transfer>& capture() const { return capture_; }
  void clearCapture() { capture_.clear(); }
  // Drops bytes in flight or unread both ways (a module restart); the capture is kept.
  void flush();

 private:
  // One direction of the wire: bytes in order with the time each becomes readable.
  struct Line {
    struct TimedByte {
      Millis readableAt;
      std::uint8_t value;
    };
    std::deque<TimedByte> bytes;
    std::uint64_t freeAtNs = 0;  // when the previous byte's stop bit ends
    Millis lastWake = 0;
    [[nodiscard]] std::size_t readable(Millis now) const;
    [[nodiscard]] std::size_t inFlight(Millis now) const { return bytes.size() - readable(now); }
  };

  Transfer send(Line& line, Direction direction, std::span<const std::uint8_t> bytes);
  std::size_t take(Line& line, std::span<std::uint8_t> out);

  VirtualClock& clock_;
  std::uint32_t baud_ = 0;
  std::size_t moduleTxLimit_ = 0;
  Line toModule_;
  Line toMcu_;
  std::vector<Transfer> capture_;
};

}  // namespace gagent::sim
