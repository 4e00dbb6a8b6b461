#pragma once
// The STM32F205 registers the port touches (ST RM0033) and the Cortex-M3 system registers (ARMv7-M ARM).
// Only addresses and bits; each driver owns its own sequence.

#include <cstdint>

namespace gagent::stm32f2 {

inline volatile std::uint32_t& reg(std::uint32_t address) {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}

// ---- Cortex-M3 system control space
namespace scb {
inline constexpr std::uint32_t kAircr = 0xE000ED0C;
inline constexpr std::uint32_t kAircrSysResetReq = (0x05FAu << 16) | (1u << 2);
inline constexpr std::uint32_t kShcsr = 0xE000ED24;
}  // namespace scb
namespace systick {
inline constexpr std::uint32_t kCtrl = 0xE000E010;
inline constexpr std::uint32_t kLoad = 0xE000E014;
inline constexpr std::uint32_t kVal = 0xE000E018;
inline constexpr std::uint32_t kEnable = 1u << 0;
inline constexpr std::uint32_t kTickInt = 1u << 1;
inline constexpr std::uint32_t kCoreClock = 1u << 2;
}  // namespace systick
namespace nvic {
inline constexpr std::uint32_t kIser0 = 0xE000E100;
inline constexpr std::uint32_t kIpr0 = 0xE000E400;
}  // namespace nvic

// ---- RCC (RM0033 §5.3)
namespace rcc {
inline constexpr std::uint32_t kBase = 0x40023800;
inline constexpr std::uint32_t kCr = kBase + 0x00;
inline constexpr std::uint32_t kPllCfgr = kBase + 0x04;
inline constexpr std::uint32_t kCfgr = kBase + 0x08;
inline constexpr std::uint32_t kAhb1Enr = kBase + 0x30;
inline constexpr std::uint32_t kAhb2Enr = kBase + 0x34;
inline constexpr std::uint32_t kApb1Enr = kBase + 0x40;
inline constexpr std::uint32_t kApb2Enr = kBase + 0x44;
inline constexpr std::uint32_t kCsr = kBase + 0x74;
inline constexpr std::uint32_t kCrHsiRdy = 1u << 1;
inline constexpr std::uint32_t kCrHseOn = 1u << 16;
inline constexpr std::uint32_t kCrHseRdy = 1u << 17;
inline constexpr std::uint32_t kCrPllOn = 1u << 24;
inline constexpr std::uint32_t kCrPllRdy = 1u << 25;
inline constexpr std::uint32_t kCfgrSwPll = 2u;
inline constexpr std::uint32_t kCfgrSwsMask = 3u << 2;
inline constexpr std::uint32_t kCfgrSwsPll = 2u << 2;
inline constexpr std::uint32_t kAhb1GpioA = 1u << 0;
inline constexpr std::uint32_t kAhb1GpioB = 1u << 1;
inline constexpr std::uint32_t kAhb2Rng = 1u << 6;
inline constexpr std::uint32_t kApb1Usart2 = 1u << 17;
inline constexpr std::uint32_t kApb2Usart1 = 1u << 4;
inline constexpr std::uint32_t kCsrLsiOn = 1u << 0;
inline constexpr std::uint32_t kCsrIwdgResetFlag = 1u << 29;
inline constexpr std::uint32_t kCsrRemoveFlags = 1u << 24;
}  // namespace rcc

// ---- Embedded flash interface (RM0033 §2.3)
namespace flash {
inline constexpr std::uint32_t kBase = 0x40023C00;
inline constexpr std::uint32_t kAcr = kBase + 0x00;
inline constexpr std::uint32_t kKeyr = kBase + 0x04;
inline constexpr std::uint32_t kSr = kBase + 0x0C;
inline constexpr std::uint32_t kCr = kBase + 0x10;
inline constexpr std::uint32_t kKey1 = 0x45670123;
inline constexpr std::uint32_t kKey2 = 0xCDEF89AB;
inline constexpr std::uint32_t kSrBsy = 1u << 16;
inline constexpr std::uint32_t kSrErrors = 0xF2;  // PGSERR PGPERR PGAERR WRPERR OPERR
inline constexpr std::uint32_t kCrPg = 1u << 0;
inline constexpr std::uint32_t kCrSer = 1u << 1;
inline constexpr std::uint32_t kCrSnbShift = 3;
inline constexpr std::uint32_t kCrPsizeX8 = 0u << 8;
inline constexpr std::uint32_t kCrPsizeX32 = 2u << 8;
inline constexpr std::uint32_t kCrStrt = 1u << 16;
inline constexpr std::uint32_t kCrLock = 1u << 31;
inline constexpr std::uint32_t kAcrLatency3 = 3u;
inline constexpr std::uint32_t kAcrCaches = (1u << 8) | (1u << 9) | (1u << 10);  // prefetch, I and D cache
}  // namespace flash

// ---- Independent watchdog (RM0033 §18)
namespace iwdg {
inline constexpr std::uint32_t kKr = 0x40003000;
inline constexpr std::uint32_t kPr = 0x40003004;
inline constexpr std::uint32_t kRlr = 0x40003008;
inline constexpr std::uint32_t kKeyFeed = 0xAAAA;
inline constexpr std::uint32_t kKeyUnlock = 0x5555;
inline constexpr std::uint32_t kKeyStart = 0xCCCC;
}  // namespace iwdg

// ---- USART (RM0033 §25.6)
namespace usart {
inline constexpr std::uint32_t kUsart1 = 0x40011000;  // APB2; QEMU netduino2: the first -serial
inline constexpr std::uint32_t kUsart2 = 0x40004400;  // APB1; QEMU netduino2: the second -serial
inline constexpr unsigned kUsart1Irq = 37;
inline constexpr unsigned kUsart2Irq = 38;
inline constexpr std::uint32_t kSr = 0x00;
inline constexpr std::uint32_t kDr = 0x04;
inline constexpr std::uint32_t kBrr = 0x08;
inline constexpr std::uint32_t kCr1 = 0x0C;
inline constexpr std::uint32_t kSrOre = 1u << 3;
inline constexpr std::uint32_t kSrRxne = 1u << 5;
inline constexpr std::uint32_t kSrTxe = 1u << 7;
inline constexpr std::uint32_t kCr1Re = 1u << 2;
inline constexpr std::uint32_t kCr1Te = 1u << 3;
inline constexpr std::uint32_t kCr1RxneIe = 1u << 5;
inline constexpr std::uint32_t kCr1TxeIe = 1u << 7;
inline constexpr std::uint32_t kCr1Ue = 1u << 13;
}  // namespace usart

// ---- GPIO (RM0033 §6.4)
namespace gpio {
inline constexpr std::uint32_t kPortA = 0x40020000;
inline constexpr std::uint32_t kPortB = 0x40020400;
inline constexpr std::uint32_t kModer = 0x00;
inline constexpr std::uint32_t kAfrl = 0x20;
inline constexpr std::uint32_t kAfrh = 0x24;
inline constexpr std::uint32_t kBsrr = 0x18;
}  // namespace gpio

// ---- True random number generator (RM0033 §20)
namespace rng {
inline constexpr std::uint32_t kCr = 0x50060800;
inline constexpr std::uint32_t kSr = 0x50060804;
inline constexpr std::uint32_t kDr = 0x50060808;
inline constexpr std::uint32_t kCrEnable = 1u << 2;
inline constexpr std::uint32_t kSrReady = 1u << 0;
inline constexpr std::uint32_t kSrErrors = (1u << 1) | (1u << 2);
}  // namespace rng

// 96-bit unique device ID (RM0033 §32.1): the module's MAC is derived from it.
inline constexpr std::uint32_t kUniqueId = 0x1FFF7A10;

inline void enableInterrupts() {
  asm volatile("cpsie i" ::: "memory");
}
inline void disableInterrupts() {
  asm volatile("cpsid i" ::: "memory");
}
// Sleeps until the next interrupt (SysTick wakes the loop every millisecond at the latest).
inline void waitForInterrupt() {
  asm volatile("wfi" ::: "memory");
}
inline void enableIrq(unsigned irq) {
  reg(nvic::kIser0 + 4 * (irq / 32)) = 1u << (irq % 32);
}
[[noreturn]] inline void systemReset() {
  asm volatile("dsb" ::: "memory");
  reg(scb::kAircr) = scb::kAircrSysResetReq;
  asm volatile("dsb" ::: "memory");
  for (;;) {
  }
}

// Saves PRIMASK and masks interrupts for the lifetime of the guard (the loop's view of ISR-shared state).
class InterruptGuard {
 public:
  InterruptGuard() {
    asm volatile("mrs %0, primask" : "=r"(primask_)::"memory");
    disableInterrupts();
  }
  ~InterruptGuard() { asm volatile("msr primask, %0" ::"r"(primask_) : "memory"); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  std::uint32_t primask_ = 0;
};

}  // namespace gagent::stm32f2
