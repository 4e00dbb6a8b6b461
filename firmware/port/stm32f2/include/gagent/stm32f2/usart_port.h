#pragma once
// A USART at 8N1 with interrupt-driven ring buffers: the receive interrupt fills the receive ring, the
// transmit-empty interrupt drains the transmit ring. The MCU line (S3.2: 9600 8N1) and the log line are both
// one of these.

#include <cstdint>
#include <span>

#include "gagent/hal/uart.h"
#include "gagent/stm32f2/byte_ring.h"

namespace gagent::stm32f2 {

class UsartPort : public hal::Uart {
 public:
  static constexpr std::size_t kRingBytes =
      256;  // > 200 ms of 9600 baud either way: a loop pass never lags that

  UsartPort(std::uint32_t base, unsigned irq) : base_(base), irq_(irq) {}

  // Clocks must already run; `peripheralHz` is the bus clock of this USART.
  void start(std::uint32_t peripheralHz, std::uint32_t baud);

  hal::IoResult read(std::span<std::uint8_t> out) override;
  hal::IoResult write(std::span<const std::uint8_t> data) override;

  // From the USART's interrupt handler only.
  void onInterrupt();

  // From the loop, every pass: moves queued bytes to the wire while the transmitter is free. On the chip
  // the transmit-empty interrupt does this on its own; QEMU 7.2's USART model raises only the receive
  // interrupt, so there the loop is what sends.
  void service();

  [[nodiscard]] bool receivePending() const { return !rx_.empty(); }
  [[nodiscard]] bool transmitIdle() const { return tx_.empty(); }
  [[nodiscard]] std::size_t transmitSpace() const { return tx_.space(); }
  [[nodiscard]] std::uint32_t droppedBytes() const { return dropped_; }

 private:
  void enableTransmitInterrupt();
  void sendWhileFree();  // interrupts masked

  std::uint32_t base_;
  unsigned irq_;
  ByteRing<kRingBytes> rx_;
  ByteRing<kRingBytes> tx_;
  volatile std::uint32_t dropped_ = 0;  // received while the ring was full, or overrun in the hardware
};

}  // namespace gagent::stm32f2
