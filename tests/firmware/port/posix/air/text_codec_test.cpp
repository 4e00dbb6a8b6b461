// The air protocol's text codec (docs/virtual-lab.md): exact tokens and round trips.
#include "gagent/air/text_codec.h"

#include <gtest/gtest.h>

#include <string>

using gagent::air::decodeText;
using gagent::air::encodeText;

TEST(TextCodec, EncodesTheSeparatorsThePercentAndTheEmptyText) {
  EXPECT_EQ(encodeText("GIZWITS_TEST_1"), "GIZWITS_TEST_1");
  EXPECT_EQ(encodeText("my home"), "my%20home");
  EXPECT_EQ(encodeText("100%"), "100%25");
  EXPECT_EQ(encodeText("a\nb"), "a%0Ab");
  EXPECT_EQ(encodeText("a\rb\tc"), "a%0Db%09c");
  EXPECT_EQ(encodeText(""), "-");
  EXPECT_EQ(encodeText("-"), "%2D");
  EXPECT_EQ(encodeText("my-net"), "my-net");  // only the text "-" is ambiguous
  EXPECT_EQ(encodeText("caf\xC3\xA9"), "caf%C3%A9");
  EXPECT_EQ(encodeText(std::string("\0x", 2)), "%00x");
}

TEST(TextCodec, DecodesAnyEncodedByteInEitherCase) {
  EXPECT_EQ(decodeText("-"), "");
  EXPECT_EQ(decodeText("%2D"), "-");
  EXPECT_EQ(decodeText("%2d"), "-");
  EXPECT_EQ(decodeText("%47IZWITS"), "GIZWITS");
  EXPECT_EQ(decodeText("my%20home"), "my home");
  EXPECT_EQ(decodeText("a%0ab"), "a\nb");
  EXPECT_EQ(decodeText("my-net"), "my-net");
  EXPECT_EQ(decodeText("--"), "--");
}

TEST(TextCodec, RejectsMalformedEscapes) {
  EXPECT_FALSE(decodeText("%"));
  EXPECT_FALSE(decodeText("abc%"));
  EXPECT_FALSE(decodeText("abc%4"));
  EXPECT_FALSE(decodeText("%G0"));
  EXPECT_FALSE(decodeText("%0G"));
  EXPECT_FALSE(decodeText("% 1"));
}

TEST(TextCodec, EveryByteStringRoundTripsThroughOneSeparatorFreeToken) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all += static_cast<char>(byte);
  const std::string samples[] = {"", "-", "%", "%%", " ", "- -", "GIZWITS_TEST_PASS", "x-", all};
  for (const auto& text : samples) {
    const std::string token = encodeText(text);
    EXPECT_FALSE(token.empty());
    EXPECT_EQ(token.find(' '), std::string::npos) << token;
    EXPECT_EQ(token.find('\n'), std::string::npos) << token;
    EXPECT_EQ(decodeText(token), text) << token;
  }
  for (int byte = 0; byte < 256; ++byte) {
    const std::string text(1, static_cast<char>(byte));
    EXPECT_EQ(decodeText(encodeText(text)), text) << byte;
  }
}
