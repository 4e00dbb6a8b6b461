#include "gizrig/flash/flash_inputs.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace gizrig::flash {

std::optional<QByteArray> readCappedFile(const QString& path, qint64 maxBytes, QString* error) {
  const QFileInfo info(path);
  if (!info.exists()) {
    *error = QStringLiteral("%1: no such file").arg(path);
    return std::nullopt;
  }
  if (!info.isFile()) {
    *error = QStringLiteral("%1: not a regular file").arg(path);
    return std::nullopt;
  }
  if (info.size() > maxBytes) {
    *error =
        QStringLiteral("%1: %2 bytes, more than the %3 allowed").arg(path).arg(info.size()).arg(maxBytes);
    return std::nullopt;
  }
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("%1: %2").arg(path, file.errorString());
    return std::nullopt;
  }
  QByteArray bytes = file.read(maxBytes + 1);
  if (bytes.size() > maxBytes) {
    *error = QStringLiteral("%1: grew past %2 bytes while read").arg(path).arg(maxBytes);
    return std::nullopt;
  }
  return bytes;
}

std::optional<FlashImage> loadImageArgument(const QString& argument, QString* error) {
  QString path = argument;
  std::uint32_t address = kApplicationAddress;
  if (const qsizetype at = argument.lastIndexOf('@'); at > 0) {
    path = argument.left(at);
    bool ok = false;
    const QString text = argument.mid(at + 1);
    const qulonglong value = text.startsWith("0x", Qt::CaseInsensitive) ? text.mid(2).toULongLong(&ok, 16)
                                                                        : text.toULongLong(&ok, 10);
    if (!ok || value > 0xFFFFFFFFull || value % 4096 != 0) {
      *error = QStringLiteral("%1: the address '%2' is not a 4 KiB-aligned number (e.g. 0x2000)")
                   .arg(argument, text);
      return std::nullopt;
    }
    address = static_cast<std::uint32_t>(value);
  }
  const auto bytes = readCappedFile(path, kMaxImageBytes, error);
  if (!bytes) return std::nullopt;
  if (bytes->isEmpty()) {
    *error = QStringLiteral("%1: empty file").arg(path);
    return std::nullopt;
  }
  if (address + static_cast<qulonglong>(bytes->size()) > 0x100000000ull - 1) {
    *error = QStringLiteral("%1: does not fit at 0x%2").arg(path).arg(address, 0, 16);
    return std::nullopt;
  }
  FlashImage image;
  image.name = path.toStdString();
  image.address = address;
  image.bytes.assign(bytes->begin(), bytes->end());
  return image;
}

std::optional<FlasherStub> loadStubFile(const QString& path, QString* error) {
  const auto bytes = readCappedFile(path, kMaxStubFileBytes, error);
  if (!bytes) return std::nullopt;
  QJsonParseError parseError;
  const QJsonDocument document = QJsonDocument::fromJson(*bytes, &parseError);
  if (!document.isObject()) {
    *error = QStringLiteral("%1: not a JSON object (%2)").arg(path, parseError.errorString());
    return std::nullopt;
  }
  const QJsonObject object = document.object();
  const auto number = [&](const char* key) -> std::optional<std::uint32_t> {
    const double value = object.value(QLatin1String(key)).toDouble(-1);
    if (value < 0 || value > 4294967295.0) return std::nullopt;
    return static_cast<std::uint32_t>(value);
  };
  const auto entry = number("entry");
  if (!entry) {
    *error = QStringLiteral(
                 "%1: no \"entry\" address (esptool's stub JSON has entry, text, text_start, data, "
                 "data_start)")
                 .arg(path);
    return std::nullopt;
  }
  FlasherStub stub;
  stub.entry = *entry;
  for (const auto& [bytesKey, startKey] :
       {std::pair{"text", "text_start"}, std::pair{"data", "data_start"}}) {
    const QString base64 = object.value(QLatin1String(bytesKey)).toString();
    if (base64.isEmpty()) continue;
    const auto start = number(startKey);
    const auto decoded =
        QByteArray::fromBase64Encoding(base64.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!start || !decoded) {
      *error = QStringLiteral("%1: \"%2\" is not base64 with a \"%3\" address").arg(path, bytesKey, startKey);
      return std::nullopt;
    }
    const QByteArray& segment = decoded.decoded;
    stub.segments.push_back({*start, std::vector<std::uint8_t>(segment.begin(), segment.end())});
  }
  if (stub.segments.empty()) {
    *error = QStringLiteral("%1: no \"text\" or \"data\" segment").arg(path);
    return std::nullopt;
  }
  return stub;
}

}  // namespace gizrig::flash
