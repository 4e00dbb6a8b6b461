# Compiler settings shared by every target: warnings as errors, ccache, sanitizers.

find_program(GAGENT_CCACHE ccache)
if(GAGENT_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${GAGENT_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${GAGENT_CCACHE})
endif()

set(GAGENT_SANITIZE "" CACHE STRING "Sanitizers to enable, e.g. address,undefined")

add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror)

if(GAGENT_SANITIZE)
  # -fno-sanitize=vptr: UBSan's dynamic-type check needs RTTI, which the firmware targets are built without.
  add_compile_options(-fsanitize=${GAGENT_SANITIZE} -fno-sanitize=vptr -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${GAGENT_SANITIZE})
endif()

# The firmware layers (proto, core) must build without exceptions or RTTI, as on a small module.
function(gagent_firmware_target target)
  target_compile_options(${target} PRIVATE -fno-exceptions -fno-rtti)
endfunction()
