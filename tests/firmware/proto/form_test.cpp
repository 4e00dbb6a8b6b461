#include "gagent/proto/form.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

using namespace gagent::proto;

namespace {

std::string decoded(std::string_view in, std::size_t capacity = 64) {
  std::array<std::uint8_t, 256> buffer{};
  const auto size = urlDecode(in, MutableBytes(buffer).first(capacity));
  if (!size) return "<fail>";
  return std::string(asText(Bytes(buffer).first(*size)));
}

}  // namespace

TEST(FormField, Proto3_3_FindsFieldsOfTheProvisionBody) {
  const std::string_view body = "host=m2m.gizwits.com&port=1883&server_ts=1700000000&log=1\r\n";
  EXPECT_EQ(findFormField(body, "host"), "m2m.gizwits.com");
  EXPECT_EQ(findFormField(body, "port"), "1883");
  EXPECT_EQ(findFormField(body, "server_ts"), "1700000000");
  EXPECT_EQ(findFormField(body, "log"), "1");  // ends at '\r'
  EXPECT_EQ(findFormField(body, "port_s"), std::nullopt);
}

TEST(FormField, Proto3_2_KeyMatchesOnlyAWholeKey) {
  EXPECT_EQ(findFormField("xdid=abc", "did"), std::nullopt);
  EXPECT_EQ(findFormField("xdid=abc&did=def", "did"), "def");
  EXPECT_EQ(findFormField("didx=1&did=2", "did"), "2");
  EXPECT_EQ(findFormField("a=did=3", "did"), std::nullopt);  // inside a value
  EXPECT_EQ(findFormField("did", "did"), std::nullopt);      // no '='
  EXPECT_EQ(findFormField("did&did=4", "did"), "4");
}

TEST(FormField, Proto3_3_KeysStartAfterLineBreaks) {
  const std::string_view body = "host=h&port=1&\r\n3rd_cloud=jd&product_uuid=u-1\r\n";
  EXPECT_EQ(findFormField(body, "3rd_cloud"), "jd");
  EXPECT_EQ(findFormField(body, "product_uuid"), "u-1");
  EXPECT_EQ(findFormField("a=1\nb=2", "b"), "2");
}

TEST(FormField, MissingAmpersandJoinsTheFields) {
  // Without '&' the second "key" is part of the first value, never a field of its own.
  EXPECT_EQ(findFormField("a=1 b=2", "a"), "1 b=2");
  EXPECT_EQ(findFormField("a=1 b=2", "b"), std::nullopt);
  EXPECT_EQ(findFormField("a=1b=2", "b"), std::nullopt);
}

TEST(FormField, EmptyValuesAndEdges) {
  EXPECT_EQ(findFormField("a=&b=1", "a"), "");
  EXPECT_EQ(findFormField("a=&b=1", "b"), "1");
  EXPECT_EQ(findFormField("a=", "a"), "");
  EXPECT_EQ(findFormField("&&a=5&", "a"), "5");
  EXPECT_EQ(findFormField("", "a"), std::nullopt);
  EXPECT_EQ(findFormField("a=1", ""), std::nullopt);
  EXPECT_EQ(findFormField("=x", ""), std::nullopt);
  EXPECT_EQ(findFormField("a=1&a=2", "a"), "1");  // the first one wins
}

TEST(FormField, ValueIsAViewIntoTheBody) {
  const std::string_view body = "k=value&z=1";
  const auto value = findFormField(body, "k");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->data(), body.data() + 2);
  EXPECT_EQ(value->size(), 5u);
}

TEST(UrlDecode, S6_3_PercentAndPlus) {
  EXPECT_EQ(decoded("My+Net"), "My Net");
  EXPECT_EQ(decoded("a%26b"), "a&b");
  EXPECT_EQ(decoded("%4a%4A%2b"), "JJ+");
  EXPECT_EQ(decoded(""), "");
  EXPECT_EQ(decoded("%00"), std::string(1, '\0'));
}

TEST(UrlDecode, RejectsBrokenEscapes) {
  EXPECT_EQ(decoded("%"), "<fail>");
  EXPECT_EQ(decoded("%4"), "<fail>");
  EXPECT_EQ(decoded("ab%4"), "<fail>");
  EXPECT_EQ(decoded("%zz"), "<fail>");
  EXPECT_EQ(decoded("%g0"), "<fail>");
}

TEST(UrlDecode, OutputCapacityIsRespected) {
  EXPECT_EQ(decoded("abc", 3), "abc");
  EXPECT_EQ(decoded("abcd", 3), "<fail>");
  EXPECT_EQ(decoded("%41%42%43", 3), "ABC");
  EXPECT_EQ(decoded("%41%42%43%44", 3), "<fail>");
  EXPECT_EQ(decoded("", 0), "");
}

TEST(FormWriter, Proto3_2_PlainFields) {
  std::array<std::uint8_t, 128> buffer{};
  ByteWriter out(buffer);
  FormWriter form(out);
  form.field("passcode", "PHHLXAKMEI").field("type", std::uint64_t{1}).field("current_fid", std::uint64_t{0});
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form.fieldCount(), 3u);
  EXPECT_EQ(asText(out.written()), "passcode=PHHLXAKMEI&type=1&current_fid=0");
}

TEST(FormWriter, PercentEncodesReservedBytes) {
  std::array<std::uint8_t, 128> buffer{};
  ByteWriter out(buffer);
  FormWriter(out).field("k y", "a&b=c d%\xC3\x9F~-._").field("n", std::uint64_t{18446744073709551615ULL});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(asText(out.written()), "k+y=a%26b%3Dc+d%25%C3%9F~-._&n=18446744073709551615");
  EXPECT_EQ(formEncodedSize("a&b=c d%\xC3\x9F~-._"), 24u);
}

TEST(FormWriter, RoundTripsThroughFindAndDecode) {
  const std::string_view value = "p&ss=w rd+\r\n%";
  std::array<std::uint8_t, 128> buffer{};
  ByteWriter out(buffer);
  FormWriter(out).field("ssid", "x").field("pass", value);
  ASSERT_TRUE(out.ok());
  const auto raw = findFormField(asText(out.written()), "pass");
  ASSERT_TRUE(raw);
  EXPECT_EQ(decoded(*raw), value);
}

TEST(FormWriter, OverflowIsSticky) {
  std::array<std::uint8_t, 8> buffer{};
  ByteWriter out(buffer);
  FormWriter form(out);
  form.field("key", "value!");  // "key=value%21" is 12 bytes
  EXPECT_FALSE(form.ok());
}

TEST(ParseJsonErrorCode, Proto3_6_JsonBodies) {
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":9016,"error_message":"did or passcode invalid"})"), 9016);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":9027})"), 9027);
  EXPECT_EQ(parseJsonErrorCode("{ \"error_message\": \"x\",\n  \"error_code\" :\t9001 }"), 9001);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":"9015"})"), 9015);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":-1})"), -1);
  EXPECT_EQ(parseJsonErrorCode(R"({"detail":"error_code","error_code":9048})"), 9048);
}

TEST(ParseJsonErrorCode, Proto3_6_FormBodies) {
  EXPECT_EQ(parseJsonErrorCode("error_code=9016&error_message=x"), 9016);
  EXPECT_EQ(parseJsonErrorCode("a=1&error_code=9023\r\n"), 9023);
  EXPECT_EQ(parseJsonErrorCode("xerror_code=9023"), std::nullopt);
}

TEST(ParseJsonErrorCode, RejectsNonIntegers) {
  EXPECT_EQ(parseJsonErrorCode(""), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error":9016})"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":9016.5})"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":9016e1})"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":"90x"})"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":"9016)"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":null})"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":2147483648})"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":2147483647})"), 2147483647);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":-2147483648})"), INT32_MIN);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code":})"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode(R"({"error_code")"), std::nullopt);
  EXPECT_EQ(parseJsonErrorCode("error_code=-"), std::nullopt);
}

TEST(ParseUnsignedDecimal, DigitsOnlyAndBounded) {
  EXPECT_EQ(parseUnsignedDecimal("0"), 0u);
  EXPECT_EQ(parseUnsignedDecimal("65535", 65535), 65535u);
  EXPECT_EQ(parseUnsignedDecimal("65536", 65535), std::nullopt);
  EXPECT_EQ(parseUnsignedDecimal("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(parseUnsignedDecimal("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parseUnsignedDecimal(""), std::nullopt);
  EXPECT_EQ(parseUnsignedDecimal("+1"), std::nullopt);
  EXPECT_EQ(parseUnsignedDecimal(" 1"), std::nullopt);
  EXPECT_EQ(parseUnsignedDecimal("1a"), std::nullopt);
}

TEST(AppendDecimal, WritesDigits) {
  std::array<std::uint8_t, 32> buffer{};
  ByteWriter out(buffer);
  appendDecimal(out, 0);
  out.text(",");
  appendDecimal(out, 81);
  out.text(",");
  appendDecimal(out, UINT64_MAX);
  EXPECT_EQ(asText(out.written()), "0,81,18446744073709551615");
}

TEST(UrlDecode, DecodedSizeAgreesWithTheDecoderWithoutWriting) {
  for (const std::string_view in : {"", "abc", "a+b", "%41%42c", "%ff", "100%25", "%", "%4", "%4g", "a%2"}) {
    const auto size = urlDecodedSize(in);
    const std::string out = decoded(in, 256);
    if (out == "<fail>") {
      EXPECT_EQ(size, std::nullopt) << in;
    } else {
      EXPECT_EQ(size, out.size()) << in;
    }
  }
}
