#include "gagent/proto/json.h"

#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

namespace gagent::proto {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Largest magnitude below which every integer is an exact double.
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence starting at text[pos] (a byte >= 0x80), 0 if ill-formed
// (overlong forms, UTF-16 surrogates and code points above U+10FFFF are ill-formed: RFC 3629 §4).
std::size_t utf8SequenceLength(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) -> unsigned {
    return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u;
  };
  const unsigned lead = byte(0);
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

class Reader {
 public:
  Reader(std::string_view text, std::size_t maxDepth) : text_(text), maxDepth_(maxDepth) {}

  bool document(JsonValue& out) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) pos_ = origin_ = kUtf8Bom.size();
    skipWhitespace();
    if (!value(out, 0)) return false;
    skipWhitespace();
    if (pos_ != text_.size()) return fail(pos_, "unexpected content after the JSON value");
    return true;
  }

  [[nodiscard]] std::size_t errorPos() const { return errorPos_; }
  [[nodiscard]] std::size_t origin() const { return origin_; }
  [[nodiscard]] const std::string& errorWhat() const { return errorWhat_; }

 private:
  bool fail(std::size_t pos, std::string what) {
    errorPos_ = pos;
    errorWhat_ = std::move(what);
    return false;
  }

  [[nodiscard]] bool atEnd() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return atEnd() ? '\0' : text_[pos_]; }

  void skipWhitespace() {
    while (!atEnd()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  bool value(JsonValue& out, std::size_t depth) {
    if (atEnd()) return fail(pos_, "unexpected end of input");
    switch (peek()) {
      case '{':
        return object(out, depth + 1);
      case '[':
        return array(out, depth + 1);
      case '"':
        out.type = JsonType::String;
        return string(out.string);
      case 't':
        out.type = JsonType::Bool;
        out.boolean = true;
        return literal("true");
      case 'f':
        out.type = JsonType::Bool;
        out.boolean = false;
        return literal("false");
      case 'n':
        out.type = JsonType::Null;
        return literal("null");
      default:
        if (peek() == '-' || isDigit(peek())) return number(out);
        return fail(pos_, "expected a value");
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return fail(pos_, "invalid literal (expected '" + std::string(word) + "')");
    }
    pos_ += word.size();
    return true;
  }

  bool enter(std::size_t depth) {
    if (depth > maxDepth_) return fail(pos_, "nesting deeper than " + std::to_string(maxDepth_));
    return true;
  }

  bool object(JsonValue& out, std::size_t depth) {
    if (!enter(depth)) return false;
    out.type = JsonType::Object;
    ++pos_;  // '{'
    skipWhitespace();
    if (peek() == '}') {
      ++pos_;
      return true;
    }
    if (atEnd()) return fail(pos_, "unexpected end of input");
    if (peek() != '"') return fail(pos_, "expected string key or '}'");
    while (true) {
      const std::size_t keyPos = pos_;
      JsonMember member;
      if (!string(member.key)) return false;
      if (out.find(member.key) != nullptr) return fail(keyPos, "duplicate key \"" + member.key + "\"");
      skipWhitespace();
      if (peek() != ':') return fail(pos_, atEnd() ? "unexpected end of input" : "expected ':'");
      ++pos_;
      skipWhitespace();
      if (!value(member.value, depth)) return false;
      out.members.push_back(std::move(member));
      skipWhitespace();
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail(pos_, atEnd() ? "unexpected end of input" : "expected ',' or '}'");
      ++pos_;
      skipWhitespace();
      if (peek() == '}') return fail(pos_, "trailing comma before '}'");
      if (peek() != '"') return fail(pos_, atEnd() ? "unexpected end of input" : "expected string key");
    }
  }

  bool array(JsonValue& out, std::size_t depth) {
    if (!enter(depth)) return false;
    out.type = JsonType::Array;
    ++pos_;  // '['
    skipWhitespace();
    if (peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      JsonValue item;
      if (!value(item, depth)) return false;
      out.array.push_back(std::move(item));
      skipWhitespace();
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail(pos_, atEnd() ? "unexpected end of input" : "expected ',' or ']'");
      ++pos_;
      skipWhitespace();
      if (peek() == ']') return fail(pos_, "trailing comma before ']'");
    }
  }

  // Four hex digits at pos_ (after "\u"); -1 if malformed.
  long hex4() {
    if (text_.size() - pos_ < 4) return -1;
    long value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const int digit = hexValue(text_[pos_ + i]);
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    pos_ += 4;
    return value;
  }

  // A "\uXXXX" escape (pos_ at the backslash), pairing surrogates into one code point.
  bool unicodeEscape(std::string& out) {
    const std::size_t start = pos_;
    pos_ += 2;
    const long first = hex4();
    if (first < 0) return fail(start, "invalid \\u escape (needs 4 hex digits)");
    auto cp = static_cast<std::uint32_t>(first);
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(start, "unpaired low surrogate");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return fail(start, "unpaired high surrogate");
      pos_ += 2;
      const long second = hex4();
      if (second < 0) return fail(pos_ - 2, "invalid \\u escape (needs 4 hex digits)");
      if (second < 0xDC00 || second > 0xDFFF) return fail(start, "unpaired high surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(second) - 0xDC00);
    }
    appendUtf8(out, cp);
    return true;
  }

  bool string(std::string& out) {
    const std::size_t start = pos_;
    ++pos_;  // opening quote
    while (true) {
      if (atEnd()) return fail(start, "unterminated string");
      const char c = text_[pos_];
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (byte < 0x20) return fail(pos_, "unescaped control character in string");
      if (byte >= 0x80) {
        const std::size_t length = utf8SequenceLength(text_, pos_);
        if (length == 0) return fail(pos_, "invalid UTF-8 in string");
        out.append(text_.substr(pos_, length));
        pos_ += length;
        continue;
      }
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= text_.size()) return fail(start, "unterminated string");
      const char escape = text_[pos_ + 1];
      char plain = 0;
      switch (escape) {
        case '"':
          plain = '"';
          break;
        case '\\':
          plain = '\\';
          break;
        case '/':
          plain = '/';
          break;
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'u':
          if (!unicodeEscape(out)) return false;
          continue;
        default:
          return fail(pos_, "invalid escape in string");
      }
      out += plain;
      pos_ += 2;
    }
  }

  // RFC 8259 §6: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
  bool number(JsonValue& out) {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (!isDigit(peek())) return fail(pos_, "expected digit after '-'");
    if (peek() == '0' && pos_ + 1 < text_.size() && isDigit(text_[pos_ + 1])) {
      return fail(start, "leading zeros are not allowed");
    }
    while (isDigit(peek())) ++pos_;
    if (peek() == '.') {
      ++pos_;
      if (!isDigit(peek())) return fail(pos_, "expected digit after '.'");
      while (isDigit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!isDigit(peek())) return fail(pos_, "expected digit in exponent");
      while (isDigit(peek())) ++pos_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    double value = 0;
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last || !std::isfinite(value)) {
      return fail(start, "number out of range");
    }
    out.type = JsonType::Number;
    out.number = value;
    return true;
  }

  std::string_view text_;
  std::size_t maxDepth_;
  std::size_t pos_ = 0;
  std::size_t origin_ = 0;  // where counting columns starts (after a BOM)
  std::size_t errorPos_ = 0;
  std::string errorWhat_;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const JsonMember& member : members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

std::optional<std::int64_t> JsonValue::asInteger() const {
  if (type != JsonType::Number || std::trunc(number) != number || std::fabs(number) > kMaxExactInteger) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(number);
}

std::string_view jsonTypeName(JsonType type) {
  switch (type) {
    case JsonType::Null:
      return "null";
    case JsonType::Bool:
      return "bool";
    case JsonType::Number:
      return "number";
    case JsonType::String:
      return "string";
    case JsonType::Array:
      return "array";
    case JsonType::Object:
      return "object";
  }
  return "?";
}

JsonParse parseJson(std::string_view text, std::size_t maxDepth) {
  JsonParse result;
  Reader reader(text, maxDepth);
  JsonValue root;
  if (reader.document(root)) {
    result.value = std::move(root);
    return result;
  }
  // Position: lines split at LF; columns count code points (UTF-8 continuation bytes are skipped).
  result.line = 1;
  result.column = 1;
  for (std::size_t i = reader.origin(); i < reader.errorPos() && i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++result.line;
      result.column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++result.column;
    }
  }
  result.error =
      reader.errorWhat() + " at " + std::to_string(result.line) + ":" + std::to_string(result.column);
  return result;
}

}  // namespace gagent::proto
