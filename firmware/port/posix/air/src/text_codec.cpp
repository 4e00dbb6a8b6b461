#include "gagent/air/text_codec.h"

namespace gagent::air {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

bool mustEncode(unsigned char byte) {
  return byte == '%' || byte <= ' ' || byte >= 0x7F;
}

int hexValue(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

}  // namespace

std::string encodeText(std::string_view text) {
  if (text.empty()) return "-";
  if (text == "-") return "%2D";
  std::string token;
  token.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (mustEncode(byte)) {
      token += '%';
      token += kHexDigits[byte >> 4];
      token += kHexDigits[byte & 0x0F];
    } else {
      token += c;
    }
  }
  return token;
}

std::optional<std::string> decodeText(std::string_view token) {
  if (token == "-") return std::string();
  std::string text;
  text.reserve(token.size());
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '%') {
      text += token[i];
      continue;
    }
    if (i + 2 >= token.size()) return std::nullopt;
    const int high = hexValue(token[i + 1]);
    const int low = hexValue(token[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    text += static_cast<char>((high << 4) | low);
    i += 2;
  }
  return text;
}

}  // namespace gagent::air
