#include "gagent/proto/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace gagent::proto;

namespace {
// The error text of a document that must fail.
std::string errorOf(std::string_view text, std::size_t maxDepth = kJsonDefaultMaxDepth) {
  const JsonParse parsed = parseJson(text, maxDepth);
  EXPECT_FALSE(parsed.value.has_value()) << text;
  return parsed.error;
}

JsonValue valueOf(std::string_view text) {
  JsonParse parsed = parseJson(text);
  EXPECT_TRUE(parsed.value.has_value()) << parsed.error;
  return parsed.value ? *parsed.value : JsonValue{};
}

std::string stringOf(std::string_view text) {
  const JsonValue value = valueOf(text);
  EXPECT_EQ(value.type, JsonType::String);
  return value.string;
}
}  // namespace

TEST(Json, Rfc8259_AllValueTypesInDocumentOrder) {
  const JsonValue v =
      valueOf(R"( {"s":"x", "n":-12.5e1, "t":true, "f":false, "z":null, "a":[1,[],{}], "o":{"k":0}} )");
  ASSERT_EQ(v.type, JsonType::Object);
  ASSERT_EQ(v.members.size(), 7u);
  EXPECT_EQ(v.members[0].key, "s");
  EXPECT_EQ(v.members[6].key, "o");
  EXPECT_EQ(v.find("s")->string, "x");
  EXPECT_EQ(v.find("n")->number, -125.0);
  EXPECT_TRUE(v.find("t")->isBool());
  EXPECT_TRUE(v.find("t")->boolean);
  EXPECT_FALSE(v.find("f")->boolean);
  EXPECT_TRUE(v.find("z")->isNull());
  const JsonValue& a = *v.find("a");
  ASSERT_EQ(a.array.size(), 3u);
  EXPECT_EQ(a.array[0].number, 1.0);
  EXPECT_TRUE(a.array[1].isArray());
  EXPECT_TRUE(a.array[1].array.empty());
  EXPECT_TRUE(a.array[2].isObject());
  EXPECT_EQ(v.find("o")->find("k")->number, 0.0);
  EXPECT_EQ(v.find("missing"), nullptr);
  EXPECT_EQ(a.find("s"), nullptr);  // not an object
}

TEST(Json, Rfc8259_ScalarsAtTopLevel) {
  EXPECT_EQ(valueOf("42").number, 42.0);
  EXPECT_TRUE(valueOf("null").isNull());
  EXPECT_EQ(valueOf("\"\"").string, "");
  EXPECT_EQ(valueOf(" \t\r\n true \n").boolean, true);
}

TEST(Json, Rfc8259_Numbers) {
  EXPECT_EQ(valueOf("0").number, 0.0);
  EXPECT_TRUE(std::signbit(valueOf("-0").number));
  EXPECT_EQ(valueOf("-13").number, -13.0);
  EXPECT_EQ(valueOf("0.1").number, 0.1);
  EXPECT_EQ(valueOf("1.5e3").number, 1500.0);
  EXPECT_EQ(valueOf("-12.25E-2").number, -0.1225);
  EXPECT_EQ(valueOf("2E+2").number, 200.0);
  EXPECT_EQ(valueOf("4294967295").number, 4294967295.0);
}

TEST(Json, Rfc8259_BadNumbersAreRejected) {
  EXPECT_EQ(errorOf("-"), "expected digit after '-' at 1:2");
  EXPECT_EQ(errorOf("-x"), "expected digit after '-' at 1:2");
  EXPECT_EQ(errorOf("01"), "leading zeros are not allowed at 1:1");
  EXPECT_EQ(errorOf("-007"), "leading zeros are not allowed at 1:1");
  EXPECT_EQ(errorOf("1."), "expected digit after '.' at 1:3");
  EXPECT_EQ(errorOf("1.e5"), "expected digit after '.' at 1:3");
  EXPECT_EQ(errorOf("1e"), "expected digit in exponent at 1:3");
  EXPECT_EQ(errorOf("1e+"), "expected digit in exponent at 1:4");
  EXPECT_EQ(errorOf("+1"), "expected a value at 1:1");
  EXPECT_EQ(errorOf(".5"), "expected a value at 1:1");
  EXPECT_EQ(errorOf("NaN"), "expected a value at 1:1");
  EXPECT_EQ(errorOf("Infinity"), "expected a value at 1:1");
  EXPECT_EQ(errorOf("0x10"), "unexpected content after the JSON value at 1:2");
  EXPECT_EQ(errorOf("[1e999]"), "number out of range at 1:2");
  EXPECT_EQ(errorOf("-1e400"), "number out of range at 1:1");
}

TEST(Json, Rfc8259_SimpleEscapes) {
  EXPECT_EQ(stringOf(R"("\"\\\/\b\f\n\r\t")"), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(stringOf(R"("a\u0041b")"), "aAb");
}

TEST(Json, Rfc8259_UnicodeEscapesBecomeUtf8) {
  EXPECT_EQ(stringOf(R"("\u00e9")"), "\xC3\xA9");            // é, 2 bytes
  EXPECT_EQ(stringOf(R"("\u4E2D")"), "\xE4\xB8\xAD");        // 中, 3 bytes
  EXPECT_EQ(stringOf(R"("\uFFFF")"), "\xEF\xBF\xBF");        // last BMP code point
  EXPECT_EQ(stringOf(R"("\u0000")"), std::string(1, '\0'));  // NUL kept, length 1
}

TEST(Json, Rfc8259_SurrogatePairsBecomeOneCodePoint) {
  EXPECT_EQ(stringOf(R"("\uD83D\uDE00")"), "\xF0\x9F\x98\x80");  // U+1F600
  EXPECT_EQ(stringOf(R"("\ud800\udc00")"), "\xF0\x90\x80\x80");  // U+10000
  EXPECT_EQ(stringOf(R"("\uDBFF\uDFFF")"), "\xF4\x8F\xBF\xBF");  // U+10FFFF
}

TEST(Json, Rfc8259_UnpairedSurrogatesAreRejected) {
  EXPECT_EQ(errorOf(R"("\uD83D")"), "unpaired high surrogate at 1:2");
  EXPECT_EQ(errorOf(R"("\uD83Dx")"), "unpaired high surrogate at 1:2");
  EXPECT_EQ(errorOf(R"("\uD83D\u0041")"), "unpaired high surrogate at 1:2");
  EXPECT_EQ(errorOf(R"("\uD83D\uD83D")"), "unpaired high surrogate at 1:2");
  EXPECT_EQ(errorOf(R"("ab\uDE00")"), "unpaired low surrogate at 1:4");
  EXPECT_EQ(errorOf(R"("\uD83D\uDE0")"), "invalid \\u escape (needs 4 hex digits) at 1:8");
}

TEST(Json, Rfc8259_BadEscapesAndControlCharactersAreRejected) {
  EXPECT_EQ(errorOf(R"("\q")"), "invalid escape in string at 1:2");
  EXPECT_EQ(errorOf(R"("\x41")"), "invalid escape in string at 1:2");
  EXPECT_EQ(errorOf(R"("\u12G4")"), "invalid \\u escape (needs 4 hex digits) at 1:2");
  EXPECT_EQ(errorOf(R"("\u12")"), "invalid \\u escape (needs 4 hex digits) at 1:2");
  EXPECT_EQ(errorOf("\"a\tb\""), "unescaped control character in string at 1:3");
  EXPECT_EQ(errorOf("\"a\nb\""), "unescaped control character in string at 1:3");
  EXPECT_EQ(errorOf("\"abc"), "unterminated string at 1:1");
  EXPECT_EQ(errorOf("\"abc\\"), "unterminated string at 1:1");
}

TEST(Json, Rfc8259_StringsMustBeValidUtf8) {
  EXPECT_EQ(stringOf("\"\xE5\xBE\xAE\xE4\xBF\xA1\""), "\xE5\xBE\xAE\xE4\xBF\xA1");  // 微信 passes through
  EXPECT_EQ(errorOf("\"\xC0\x80\""), "invalid UTF-8 in string at 1:2");             // overlong NUL
  EXPECT_EQ(errorOf("\"\xE0\x80\xAF\""), "invalid UTF-8 in string at 1:2");         // overlong '/'
  EXPECT_EQ(errorOf("\"\xED\xA0\x80\""), "invalid UTF-8 in string at 1:2");         // encoded surrogate
  EXPECT_EQ(errorOf("\"\xF4\x90\x80\x80\""), "invalid UTF-8 in string at 1:2");     // > U+10FFFF
  EXPECT_EQ(errorOf("\"a\xE4\xB8\""), "invalid UTF-8 in string at 1:3");            // truncated
  EXPECT_EQ(errorOf("\"\x80\""), "invalid UTF-8 in string at 1:2");                 // lone continuation
}

TEST(Json, Rfc8259_TrailingCommasAreRejected) {
  EXPECT_EQ(errorOf("[1,2,]"), "trailing comma before ']' at 1:6");
  EXPECT_EQ(errorOf(R"({"a":1,})"), "trailing comma before '}' at 1:8");
  EXPECT_EQ(errorOf("[,]"), "expected a value at 1:2");
  EXPECT_EQ(errorOf("{,}"), "expected string key or '}' at 1:2");
}

TEST(Json, ErrorsNameWhatWasExpectedWithLineAndColumn) {
  EXPECT_EQ(errorOf("{\n  \"a\": 1\n  \"b\": 2\n}"), "expected ',' or '}' at 3:3");
  EXPECT_EQ(errorOf("[1 2]"), "expected ',' or ']' at 1:4");
  EXPECT_EQ(errorOf("{a:1}"), "expected string key or '}' at 1:2");
  EXPECT_EQ(errorOf(R"({"a" 1})"), "expected ':' at 1:6");
  EXPECT_EQ(errorOf(R"({"a":1, 2})"), "expected string key at 1:9");
  EXPECT_EQ(errorOf(R"({"a":1,"a":2})"), "duplicate key \"a\" at 1:8");
  EXPECT_EQ(errorOf("tru"), "invalid literal (expected 'true') at 1:1");
  EXPECT_EQ(errorOf("[nul]"), "invalid literal (expected 'null') at 1:2");
  EXPECT_EQ(errorOf("falsey"), "unexpected content after the JSON value at 1:6");
  EXPECT_EQ(errorOf("{} x"), "unexpected content after the JSON value at 1:4");
  EXPECT_EQ(errorOf("// c\n{}"), "expected a value at 1:1");
  EXPECT_EQ(errorOf("\f1"), "expected a value at 1:1");  // form feed is not JSON whitespace
}

TEST(Json, ErrorsAtEndOfInput) {
  EXPECT_EQ(errorOf(""), "unexpected end of input at 1:1");
  EXPECT_EQ(errorOf("  \n "), "unexpected end of input at 2:2");
  EXPECT_EQ(errorOf("[1,"), "unexpected end of input at 1:4");
  EXPECT_EQ(errorOf("{\"a\""), "unexpected end of input at 1:5");
  EXPECT_EQ(errorOf("{\"a\":1"), "unexpected end of input at 1:7");
  EXPECT_EQ(errorOf("{"), "unexpected end of input at 1:2");
}

TEST(Json, ColumnsCountCodePointsNotBytes) {
  EXPECT_EQ(errorOf("[\"\xC3\xA9\", x]"), "expected a value at 1:7");
  EXPECT_EQ(errorOf("[\"\xE5\xBE\xAE\xE4\xBF\xA1\",\n \"\xF0\x9F\x98\x80\" x]"),
            "expected ',' or ']' at 2:6");
  const JsonParse parsed = parseJson("[\n\n  ?]");
  EXPECT_EQ(parsed.line, 3u);
  EXPECT_EQ(parsed.column, 3u);
}

TEST(Json, Rfc8259_8_1_LeadingBomIsSkipped) {
  EXPECT_TRUE(valueOf("\xEF\xBB\xBF{}").isObject());
  EXPECT_EQ(errorOf("\xEF\xBB\xBFx"), "expected a value at 1:1");
  EXPECT_EQ(errorOf("{}\xEF\xBB\xBF"), "unexpected content after the JSON value at 1:3");
}

TEST(Json, DepthLimitCountsNestedContainers) {
  EXPECT_TRUE(parseJson("[[[1]]]", 3).value.has_value());
  EXPECT_TRUE(parseJson(R"({"a":{"b":[]}})", 3).value.has_value());
  EXPECT_EQ(errorOf("[[[[1]]]]", 3), "nesting deeper than 3 at 1:4");
  EXPECT_EQ(errorOf(R"({"a":{"b":[{}]}})", 3), "nesting deeper than 3 at 1:12");

  const std::string deepest = std::string(kJsonDefaultMaxDepth, '[') + std::string(kJsonDefaultMaxDepth, ']');
  EXPECT_TRUE(parseJson(deepest).value.has_value());
  const std::string tooDeep = "[" + deepest + "]";
  EXPECT_EQ(errorOf(tooDeep), "nesting deeper than 64 at 1:65");
  // Hostile input far beyond the limit fails cleanly instead of exhausting the stack.
  EXPECT_EQ(errorOf(std::string(1'000'000, '[')), "nesting deeper than 64 at 1:65");
}

TEST(Json, AsIntegerOnlyForExactIntegers) {
  EXPECT_EQ(valueOf("3").asInteger(), 3);
  EXPECT_EQ(valueOf("-7").asInteger(), -7);
  EXPECT_EQ(valueOf("1e2").asInteger(), 100);
  EXPECT_EQ(valueOf("9007199254740992").asInteger(), 9007199254740992);
  EXPECT_EQ(valueOf("1.5").asInteger(), std::nullopt);
  EXPECT_EQ(valueOf("1e300").asInteger(), std::nullopt);
  EXPECT_EQ(valueOf("\"3\"").asInteger(), std::nullopt);
}

TEST(Json, TypeNames) {
  EXPECT_EQ(jsonTypeName(JsonType::Null), "null");
  EXPECT_EQ(jsonTypeName(JsonType::Bool), "bool");
  EXPECT_EQ(jsonTypeName(JsonType::Number), "number");
  EXPECT_EQ(jsonTypeName(JsonType::String), "string");
  EXPECT_EQ(jsonTypeName(JsonType::Array), "array");
  EXPECT_EQ(jsonTypeName(JsonType::Object), "object");
}
