#pragma once
// The firmware's log on the board's debug USART ("  12.345 info  mcu: message"). A line that does not fit
// the transmit ring is dropped whole and counted, so logging never stalls the loop.

#include "gagent/core/log.h"
#include "gagent/stm32f2/usart_port.h"

namespace gagent::stm32f2 {

class UsartLogSink : public core::LogSink {
 public:
  explicit UsartLogSink(UsartPort& port) : port_(port) {}
  void write(core::LogLevel level, std::string_view module, std::string_view message) override;

  // Waits (bounded) until the ring is on the wire: before a reset, so the last lines are not lost.
  void flush();
  [[nodiscard]] std::uint32_t droppedLines() const { return dropped_; }

 private:
  UsartPort& port_;
  std::uint32_t dropped_ = 0;
};

}  // namespace gagent::stm32f2
