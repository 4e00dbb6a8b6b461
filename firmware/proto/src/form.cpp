#include "gagent/proto/form.h"

#include <span>

namespace gagent::proto {

namespace {

bool isFieldBoundary(char c) {
  return c == '&' || c == '\r' || c == '\n';
}

bool isUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

constexpr char kUpperHex[] = "0123456789ABCDEF";

std::optional<std::int32_t> parseInt32(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const auto magnitude = parseUnsignedDecimal(text, negative ? 2147483648ULL : 2147483647ULL);
  if (!magnitude) return std::nullopt;
  const auto value = static_cast<std::int64_t>(*magnitude);
  return static_cast<std::int32_t>(negative ? -value : value);
}

bool isJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

std::optional<std::string_view> findFormField(std::string_view body, std::string_view key) {
  if (key.empty()) return std::nullopt;
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::string_view rest = body.substr(start);
    if (rest.size() > key.size() && rest.starts_with(key) && rest[key.size()] == '=') {
      const std::size_t valueStart = start + key.size() + 1;
      std::size_t end = valueStart;
      while (end < body.size() && !isFieldBoundary(body[end])) ++end;
      return body.substr(valueStart, end - valueStart);
    }
    // Skip to the next key start.
    std::size_t next = start;
    while (next < body.size() && !isFieldBoundary(body[next])) ++next;
    if (next >= body.size()) break;
    start = next + 1;
  }
  return std::nullopt;
}

std::optional<std::size_t> urlDecode(std::string_view in, MutableBytes out) {
  std::size_t written = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::uint8_t byte = static_cast<std::uint8_t>(in[i]);
    if (in[i] == '+') {
      byte = ' ';
    } else if (in[i] == '%') {
      if (in.size() - i < 3) return std::nullopt;
      const int hi = hexValue(in[i + 1]);
      const int lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      byte = static_cast<std::uint8_t>(hi * 16 + lo);
      i += 2;
    }
    if (written >= out.size()) return std::nullopt;
    out[written++] = byte;
  }
  return written;
}

std::optional<std::size_t> urlDecodedSize(std::string_view in) {
  std::size_t size = 0;
  for (std::size_t i = 0; i < in.size(); ++i, ++size) {
    if (in[i] != '%') continue;
    if (in.size() - i < 3 || hexValue(in[i + 1]) < 0 || hexValue(in[i + 2]) < 0) return std::nullopt;
    i += 2;
  }
  return size;
}

std::size_t formEncodedSize(std::string_view text) {
  std::size_t size = 0;
  for (char c : text) size += (isUnreserved(c) || c == ' ') ? 1 : 3;
  return size;
}

std::optional<std::uint64_t> parseUnsignedDecimal(std::string_view text, std::uint64_t max) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

void FormWriter::encoded(std::string_view text) {
  for (char c : text) {
    if (isUnreserved(c)) {
      out_.u8(static_cast<std::uint8_t>(c));
    } else if (c == ' ') {
      out_.u8('+');
    } else {
      const auto byte = static_cast<std::uint8_t>(c);
      out_.u8('%');
      out_.u8(static_cast<std::uint8_t>(kUpperHex[byte >> 4]));
      out_.u8(static_cast<std::uint8_t>(kUpperHex[byte & 0x0F]));
    }
  }
}

FormWriter& FormWriter::field(std::string_view key, std::string_view value) {
  if (fields_ > 0) out_.u8('&');
  encoded(key);
  out_.u8('=');
  encoded(value);
  ++fields_;
  return *this;
}

namespace {

// Decimal digits of `value` at the end of `digits`; returns the text.
std::string_view formatDecimal(std::uint64_t value, std::span<char, 20> digits) {
  std::size_t n = 0;
  do {
    digits[digits.size() - 1 - n] = static_cast<char>('0' + value % 10);
    value /= 10;
    ++n;
  } while (value != 0);
  return {digits.data() + digits.size() - n, n};
}

}  // namespace

void appendDecimal(ByteWriter& out, std::uint64_t value) {
  char digits[20];
  out.text(formatDecimal(value, digits));
}

FormWriter& FormWriter::field(std::string_view key, std::uint64_t value) {
  char digits[20];
  return field(key, formatDecimal(value, digits));
}

std::optional<std::int32_t> parseJsonErrorCode(std::string_view body) {
  static constexpr std::string_view kJsonKey = "\"error_code\"";
  std::size_t from = 0;
  while (true) {
    const std::size_t at = body.find(kJsonKey, from);
    if (at == std::string_view::npos) break;
    from = at + 1;
    std::size_t i = at + kJsonKey.size();
    while (i < body.size() && isJsonSpace(body[i])) ++i;
    if (i >= body.size() || body[i] != ':') continue;
    ++i;
    while (i < body.size() && isJsonSpace(body[i])) ++i;
    const bool quoted = i < body.size() && body[i] == '"';
    if (quoted) ++i;
    std::size_t end = i;
    if (end < body.size() && body[end] == '-') ++end;
    while (end < body.size() && body[end] >= '0' && body[end] <= '9') ++end;
    if (quoted && (end >= body.size() || body[end] != '"')) continue;
    // An unquoted number must end there: "9016.5" or "9016e1" is not an integer code.
    if (!quoted && end < body.size() && !isJsonSpace(body[end]) && body[end] != ',' && body[end] != '}')
      continue;
    if (const auto code = parseInt32(body.substr(i, end - i))) return code;
  }
  if (const auto field = findFormField(body, "error_code")) return parseInt32(*field);
  return std::nullopt;
}

}  // namespace gagent::proto
