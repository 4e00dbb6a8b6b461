#include "gizrig/routers/air_text.h"

#include <QStringDecoder>

#include "gagent/air/text_codec.h"

namespace gizrig::core {

QByteArray encodeAirText(const QString& text) {
  return QByteArray::fromStdString(gagent::air::encodeText(text.toStdString()));
}

std::optional<QString> decodeAirText(QByteArrayView token) {
  const auto bytes =
      gagent::air::decodeText(std::string_view(token.data(), static_cast<std::size_t>(token.size())));
  if (!bytes) return std::nullopt;
  QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
  QString text = decoder(QByteArrayView(bytes->data(), static_cast<qsizetype>(bytes->size())));
  if (decoder.hasError()) return std::nullopt;
  return text;
}

QList<QByteArray> splitAirLine(const QByteArray& line) {
  return line.split(' ');
}

}  // namespace gizrig::core
