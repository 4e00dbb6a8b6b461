#include "gagent/stm32f2/memory_map.h"

#include <cerrno>
#include <cstdlib>
#include <new>

namespace gagent::stm32f2 {
namespace {
std::uint8_t* gBreak = reinterpret_cast<std::uint8_t*>(&_heap_start);
bool gSealed = false;
std::size_t gUsedAtSeal = 0;
}  // namespace

std::size_t staticRamBytes() {
  return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(&_bss_end) -
                                  reinterpret_cast<std::uintptr_t>(&_data_start));
}

std::size_t stackWindowBytes() {
  return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(&_stack_top) -
                                  reinterpret_cast<std::uintptr_t>(&_stack_bottom));
}

std::size_t stackPeakBytes() {
  const std::uint32_t* word = &_stack_bottom;
  while (word < &_stack_top && *word == kStackPaint) ++word;
  return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(&_stack_top) -
                                  reinterpret_cast<std::uintptr_t>(word));
}

void sealHeap() {
  gSealed = true;
  gUsedAtSeal = static_cast<std::size_t>(gBreak - reinterpret_cast<std::uint8_t*>(&_heap_start));
}
bool heapSealed() {
  return gSealed;
}
std::size_t heapUsedAtSeal() {
  return gUsedAtSeal;
}

}  // namespace gagent::stm32f2

// newlib's allocator grows through _sbrk: it may do so only before the heap is sealed, and only inside the
// small start-up heap of the linker script.
extern "C" void* _sbrk(std::ptrdiff_t increment) {
  using namespace gagent::stm32f2;
  if (gSealed) __builtin_trap();  // an allocation after start-up: HardFault, logged, module restarts
  std::uint8_t* previous = gBreak;
  if (increment < 0 || gBreak + increment > reinterpret_cast<std::uint8_t*>(&_heap_end)) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  gBreak += increment;
  return previous;
}

// malloc itself traps once sealed, also when a freed block could serve it without _sbrk.
extern "C" void* __real_malloc(std::size_t size);
extern "C" void* __wrap_malloc(std::size_t size) {
  if (gagent::stm32f2::heapSealed()) __builtin_trap();
  return __real_malloc(size);
}
struct _reent;
extern "C" void* __real__malloc_r(_reent* reent, std::size_t size);
extern "C" void* __wrap__malloc_r(_reent* reent, std::size_t size) {
  if (gagent::stm32f2::heapSealed()) __builtin_trap();
  return __real__malloc_r(reent, size);
}

// The core never uses new; if anything does, it goes through the same guard.
void* operator new(std::size_t size) {
  void* block = std::malloc(size);
  if (block == nullptr) __builtin_trap();
  return block;
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void operator delete(void* block) noexcept {
  std::free(block);
}
void operator delete[](void* block) noexcept {
  std::free(block);
}
void operator delete(void* block, std::size_t) noexcept {
  std::free(block);
}
void operator delete[](void* block, std::size_t) noexcept {
  std::free(block);
}
