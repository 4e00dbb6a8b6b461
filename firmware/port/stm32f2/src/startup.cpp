// Vector table and reset handler of the STM32F205: copy .data, zero .bss, paint the stack, run the static
// constructors, then main(). Every fault ends in the fault reporter (S12.3: a crash restarts the module).
#include <cstdint>

#include "gagent/stm32f2/memory_map.h"

extern "C" {
void __libc_init_array();
void _init() {}  // -nostartfiles: newlib's __libc_init_array still calls it
void _fini() {}

void Reset_Handler();
void HardFault_Handler();
void SysTick_Handler();
void USART1_IRQHandler();
void USART2_IRQHandler();
void gagentFault(const std::uint32_t* frame, std::uint32_t kind);
}

namespace {

// The handler for everything unexpected: a fault, or an interrupt no driver enabled.
[[gnu::naked]] void unexpected() {
  asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "mrs r1, ipsr\n"
      "b gagentFault\n");
}

using Handler = void (*)();
constexpr unsigned kIrqCount = 81;  // STM32F205: IRQ 0-80 (RM0033 table 20)

struct VectorTable {
  std::uint32_t* stack;
  Handler core[15];
  Handler irq[kIrqCount];
};

constexpr VectorTable makeTable() {
  VectorTable t{&_stack_top, {}, {}};
  for (Handler& h : t.core) h = unexpected;
  for (Handler& h : t.irq) h = unexpected;
  t.core[0] = Reset_Handler;
  t.core[2] = HardFault_Handler;
  t.core[6] = nullptr;  // reserved words
  t.core[7] = nullptr;
  t.core[8] = nullptr;
  t.core[9] = nullptr;
  t.core[12] = nullptr;
  t.core[14] = SysTick_Handler;
  t.irq[37] = USART1_IRQHandler;
  t.irq[38] = USART2_IRQHandler;
  return t;
}

}  // namespace

[[gnu::section(".vectors"), gnu::used]] const VectorTable gVectors = makeTable();

[[gnu::naked]] void HardFault_Handler() {
  asm volatile("b %0" ::"i"(unexpected));
}

void Reset_Handler() {
  for (std::uint32_t *src = &_data_load, *dst = &_data_start; dst < &_data_end;) *dst++ = *src++;
  for (std::uint32_t* dst = &_bss_start; dst < &_bss_end;) *dst++ = 0;
  // Paint the stack up to a little below where this function's own frame lives.
  std::uint32_t* sp = nullptr;
  asm volatile("mov %0, sp" : "=r"(sp));
  for (std::uint32_t* word = &_stack_bottom; word < sp - 16;) *word++ = gagent::stm32f2::kStackPaint;
  __libc_init_array();
  asm volatile("bl main");  // C++ forbids naming main in a call
  for (;;) {
  }
}
