#pragma once
// A small strict JSON reader (RFC 8259) for product definitions (§1.11). It exists only because the
// firmware-side library cannot use Qt; the rig reads product files and hands the text to loadProduct().
// Loading is set-up work, so the DOM owns std::string/std::vector. No exceptions: errors come back as text
// with a 1-based line and column ("expected ',' or '}' at 12:5"); columns count Unicode code points.
//
// Strictness: no comments, no trailing commas, no leading zeros/'+'/'.5', no unescaped control characters,
// strings must be valid UTF-8, unpaired surrogates are rejected, duplicate object keys are rejected (a
// product definition with two "name"s is a mistake, not something to resolve silently). A leading UTF-8 BOM
// is skipped (RFC 8259 §8.1 allows ignoring it).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gagent::proto {

// Nesting limit for arrays/objects: keeps the recursive reader's stack bounded on hostile input.
inline constexpr std::size_t kJsonDefaultMaxDepth = 64;

enum class JsonType : std::uint8_t { Null, Bool, Number, String, Array, Object };

struct JsonMember;

struct JsonValue {
  JsonType type = JsonType::Null;
  bool boolean = false;
  double number = 0;   // numbers are IEEE doubles: integers are exact up to 2^53
  std::string string;  // UTF-8
  std::vector<JsonValue> array;
  std::vector<JsonMember> members;  // document order; keys are unique

  [[nodiscard]] bool isNull() const { return type == JsonType::Null; }
  [[nodiscard]] bool isBool() const { return type == JsonType::Bool; }
  [[nodiscard]] bool isNumber() const { return type == JsonType::Number; }
  [[nodiscard]] bool isString() const { return type == JsonType::String; }
  [[nodiscard]] bool isArray() const { return type == JsonType::Array; }
  [[nodiscard]] bool isObject() const { return type == JsonType::Object; }

  // Member `key` of an object, or nullptr (also for non-objects).
  [[nodiscard]] const JsonValue* find(std::string_view key) const;
  // The number as an integer when it is one exactly (no fraction, |n| <= 2^53); nullopt otherwise.
  [[nodiscard]] std::optional<std::int64_t> asInteger() const;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

struct JsonParse {
  std::optional<JsonValue> value;  // set on success
  std::string error;               // "<what> at <line>:<column>" on failure
  std::size_t line = 0;            // 1-based position of the error (0 on success)
  std::size_t column = 0;
};

[[nodiscard]] JsonParse parseJson(std::string_view text, std::size_t maxDepth = kJsonDefaultMaxDepth);

// Short name of a type for error messages: "null", "bool", "number", "string", "array", "object".
[[nodiscard]] std::string_view jsonTypeName(JsonType type);

}  // namespace gagent::proto
