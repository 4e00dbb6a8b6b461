#pragma once
// What the linker script (stm32f205.ld) laid out, and what the start-up code measured: the stack painting
// and the start-up-only heap.

#include <cstddef>
#include <cstdint>

extern "C" {
extern std::uint32_t _data_start, _data_end, _data_load, _bss_start, _bss_end;
extern std::uint32_t _heap_start, _heap_end, _stack_bottom, _stack_top;
extern std::uint8_t _storage_start;
}

namespace gagent::stm32f2 {

inline constexpr std::uint32_t kStackPaint = 0xC0FFEE55;

// Bytes of .data + .bss (the firmware's static RAM).
std::size_t staticRamBytes();
// The stack window (everything above the heap) and its deepest use since reset: the first word from the
// bottom that no longer holds the paint the reset handler left there.
std::size_t stackWindowBytes();
std::size_t stackPeakBytes();

// After this, any heap allocation traps (the core must not allocate after start-up).
void sealHeap();
[[nodiscard]] bool heapSealed();
[[nodiscard]] std::size_t heapUsedAtSeal();

}  // namespace gagent::stm32f2
