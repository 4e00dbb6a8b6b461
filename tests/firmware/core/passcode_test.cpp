#include "gagent/core/passcode.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

using namespace gagent::core;

namespace {
// Counts up through every byte value so rejection sampling is exercised deterministically.
struct CountingRandom : gagent::hal::Random {
  std::uint8_t next = 0;
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next++;
  }
};
struct SeededRandom : gagent::hal::Random {
  std::mt19937 engine{42};
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(engine());
  }
};
}  // namespace

TEST(Passcode, S7_2_1_TenUpperCaseLetters) {
  SeededRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto passcode = generatePasscode(random);
    ASSERT_EQ(passcode.size(), 10u);
    for (char c : passcode.view()) ASSERT_TRUE(c >= 'A' && c <= 'Z') << passcode.view();
    seen.insert(std::string(passcode.view()));
  }
  EXPECT_EQ(seen.size(), 100u);  // 26^10 possibilities: no repeats expected
}

TEST(Passcode, S7_2_1_FirstBytesMapToLettersAndHighBytesAreSkipped) {
  CountingRandom random;
  EXPECT_EQ(generatePasscode(random).view(), "ABCDEFGHIJ");
  random.next = 230;  // 230..233 -> W X Y Z, 234..255 rejected, then 0.. -> A B ...
  EXPECT_EQ(generatePasscode(random).view(), "WXYZABCDEF");
}

TEST(Passcode, S7_2_1_StoredPasscodesOfTenToThirtyTwoCharacters) {
  EXPECT_TRUE(isValidStoredPasscode("ABCDEFGHIJ"));
  EXPECT_TRUE(isValidStoredPasscode(std::string(32, 'x')));
  EXPECT_FALSE(isValidStoredPasscode("ABCDEFGHI"));
  EXPECT_FALSE(isValidStoredPasscode(std::string(33, 'x')));
  EXPECT_FALSE(isValidStoredPasscode("ABCDE FGHIJ"));
}
