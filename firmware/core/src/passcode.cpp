#include "gagent/core/passcode.h"

#include <array>

namespace gagent::core {

StoredText<kPasscodeMaxLength> generatePasscode(hal::Random& random) {
  std::array<char, kPasscodeLength> chars{};
  std::size_t filled = 0;
  while (filled < chars.size()) {
    std::array<std::uint8_t, 16> entropy{};
    random.fill(entropy);
    for (std::uint8_t byte : entropy) {
      // Rejection sampling keeps the 26 letters equally likely (234 = 9 * 26).
      if (byte >= 234 || filled == chars.size()) continue;
      chars[filled++] = static_cast<char>('A' + byte % 26);
    }
  }
  return StoredText<kPasscodeMaxLength>(std::string_view(chars.data(), chars.size()));
}

bool isValidStoredPasscode(std::string_view passcode) {
  if (passcode.size() < kPasscodeMinLength || passcode.size() > kPasscodeMaxLength) return false;
  for (char c : passcode) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace gagent::core
