// The last words of a crashed module: written by polling the log USART (the interrupt-driven ring cannot be
// trusted any more), then a system reset (S12.3: restart at once).
#include <cstdint>

#include "gagent/stm32f2/registers.h"

namespace {

using namespace gagent::stm32f2;

void put(char c) {
  for (std::uint32_t i = 0; i < 100'000 && (reg(usart::kUsart2 + usart::kSr) & usart::kSrTxe) == 0; ++i) {
  }
  reg(usart::kUsart2 + usart::kDr) = static_cast<std::uint8_t>(c);
}
void put(const char* text) {
  while (*text != 0) put(*text++);
}
void putHex(std::uint32_t value) {
  for (int shift = 28; shift >= 0; shift -= 4) put("0123456789abcdef"[(value >> shift) & 0xF]);
}

}  // namespace

extern "C" [[noreturn]] void gagentFault(const std::uint32_t* frame, std::uint32_t exception) {
  constexpr std::uint32_t kCfsr = 0xE000ED28, kHfsr = 0xE000ED2C;
  put("\r\nFAULT exception=");
  putHex(exception);
  put(" pc=");
  putHex(frame[6]);
  put(" lr=");
  putHex(frame[5]);
  put(" cfsr=");
  putHex(reg(kCfsr));
  put(" hfsr=");
  putHex(reg(kHfsr));
  put(" (a trap here after start-up is a heap allocation); restarting\r\n");
  systemReset();
}
