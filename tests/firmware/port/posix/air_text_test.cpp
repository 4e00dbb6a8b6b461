// The air protocol's text conventions (docs/virtual-lab.md): percent-encoding, "-" for empty, tokens.
#include "gagent/posix/air_text.h"

#include <gtest/gtest.h>

using namespace gagent::posix;

TEST(AirText, EncodesWhatWouldBreakATokenAndRoundTrips) {
  EXPECT_EQ(air::encodeText("Home Net"), "Home%20Net");
  EXPECT_EQ(air::encodeText("100%\n"), "100%25%0A");
  EXPECT_EQ(air::encodeText(""), "-");
  EXPECT_EQ(air::encodeText("-"), "%2D");
  EXPECT_EQ(air::encodeText("a-b"), "a-b");
  for (const std::string text : {"", "-", "Home Net", "p%a\ns\x01\xff", "GIZWITS_TEST_1"}) {
    EXPECT_EQ(air::decodeText(air::encodeText(text)), text);
  }
}

TEST(AirText, MalformedEscapesAreRejected) {
  EXPECT_EQ(air::decodeText("%"), std::nullopt);
  EXPECT_EQ(air::decodeText("%2"), std::nullopt);
  EXPECT_EQ(air::decodeText("%G0"), std::nullopt);
  EXPECT_EQ(air::decodeText("%2d"), "-");  // lower-case hex is fine
}

TEST(AirText, SplitsAtSingleSpaces) {
  EXPECT_EQ(air::splitTokens("OK 2 a 70 b 30"),
            (std::vector<std::string_view>{"OK", "2", "a", "70", "b", "30"}));
  EXPECT_EQ(air::splitTokens("OK"), (std::vector<std::string_view>{"OK"}));
  EXPECT_TRUE(air::splitTokens("").empty());
  EXPECT_EQ(air::splitTokens("a  b"), (std::vector<std::string_view>{"a", "", "b"}));
}
