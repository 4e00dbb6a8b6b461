#include "gagent/stm32f2/usart_log_sink.h"

#include <cstdio>

#include "gagent/stm32f2/system_clock.h"

namespace gagent::stm32f2 {

void UsartLogSink::write(core::LogLevel level, std::string_view module, std::string_view message) {
  char line[core::LogHub::kMaxMessage + 48];
  const auto now = static_cast<unsigned long>(millis());
  const std::string_view name = core::logLevelName(level);
  const int n = std::snprintf(line, sizeof line, "%6lu.%03lu %-5.*s %.*s: %.*s\r\n", now / 1000, now % 1000,
                              static_cast<int>(name.size()), name.data(), static_cast<int>(module.size()),
                              module.data(), static_cast<int>(message.size()), message.data());
  if (n <= 0) return;
  const auto length =
      static_cast<std::size_t>(n) < sizeof line ? static_cast<std::size_t>(n) : sizeof line - 1;
  // At 115200 baud the ring drains a line in ~20 ms: wait that long for room, then drop rather than stall.
  for (std::uint32_t i = 0; i < 2'000'000 && port_.transmitSpace() < length; ++i) port_.service();
  if (port_.transmitSpace() < length) {
    ++dropped_;
    return;
  }
  port_.write({reinterpret_cast<const std::uint8_t*>(line), length});
}

void UsartLogSink::flush() {
  for (std::uint32_t i = 0; i < 10'000'000 && !port_.transmitIdle(); ++i) port_.service();
}

}  // namespace gagent::stm32f2
