#include "gizrig/core/air_text.h"

#include <QStringDecoder>

namespace gizrig::core {

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

QByteArray encodeAirText(const QString& text) {
  if (text.isEmpty()) return QByteArrayLiteral("-");
  if (text == QStringLiteral("-")) return QByteArrayLiteral("%2D");
  const QByteArray bytes = text.toUtf8();
  QByteArray token;
  token.reserve(bytes.size());
  for (const char c : bytes) {
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

std::optional<QString> decodeAirText(QByteArrayView token) {
  if (token == "-") return QString();
  QByteArray bytes;
  bytes.reserve(token.size());
  for (qsizetype i = 0; i < token.size(); ++i) {
    if (token[i] != '%') {
      bytes += token[i];
      continue;
    }
    if (i + 2 >= token.size()) return std::nullopt;
    const int high = hexValue(token[i + 1]);
    const int low = hexValue(token[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>((high << 4) | low);
    i += 2;
  }
  QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
  QString text = decoder(bytes);
  if (decoder.hasError()) return std::nullopt;
  return text;
}

QList<QByteArray> splitAirLine(const QByteArray& line) {
  return line.split(' ');
}

}  // namespace gizrig::core
