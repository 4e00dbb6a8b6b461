// What newlib-nano and libstdc++ expect from an OS, on a board with none: abort (a failed library check,
// a pure virtual call) is a crash like any other, reported and followed by a reset (S12.3).
#include <cstdlib>

extern "C" void abort() {
  __builtin_trap();
}

extern "C" void _exit(int) {
  __builtin_trap();
}

extern "C" void __cxa_pure_virtual() {
  __builtin_trap();
}
