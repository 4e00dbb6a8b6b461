#pragma once
// S7.2.1 / S8.1 / protocol §9: the module's passcode, 10 characters A-Z from the board's secure random
// source.

#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/hal/system.h"

namespace gagent::core {

inline constexpr std::size_t kPasscodeLength = 10;
inline constexpr std::size_t kPasscodeMinLength = 10;  // S7.2.1: 10-32 accepted from storage
inline constexpr std::size_t kPasscodeMaxLength = 32;

StoredText<kPasscodeMaxLength> generatePasscode(hal::Random& random);
bool isValidStoredPasscode(std::string_view passcode);

}  // namespace gagent::core
