# Cross toolchain for the module-class MCU (preset cortex-m3): Debian's gcc-arm-none-eabi with newlib-nano.
# Bare metal: no OS, no exceptions, no RTTI, unused sections dropped at link time.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")
# The compiler checks cannot link a bare-metal executable without a board's start-up code.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(GAGENT_MCU_FLAGS "-mcpu=cortex-m3 -mthumb -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${GAGENT_MCU_FLAGS}")
# No thread-safe statics (one loop, no threads) and no atexit registration (a module never exits).
set(CMAKE_CXX_FLAGS_INIT "${GAGENT_MCU_FLAGS} -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nano.specs -nostartfiles -Wl,--gc-sections")
# GCC 12 at -Os reports chained std::optional reads (proto/product.cpp) as maybe-uninitialized where each is
# guarded by the one before; the host build keeps the warning and catches the real ones.
string(APPEND CMAKE_CXX_FLAGS_INIT " -Wno-maybe-uninitialized")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -g")
set(CMAKE_CXX_FLAGS_MINSIZEREL_INIT "-Os -g")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
