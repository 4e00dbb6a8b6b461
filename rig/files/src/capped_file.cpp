#include "gizrig/files/capped_file.h"

#include <QFile>
#include <QFileInfo>

namespace gizrig::core {

std::optional<QByteArray> readCappedFile(const QString& path, qint64 maxBytes, QString* error) {
  const auto fail = [&](const QString& why) -> std::optional<QByteArray> {
    if (error != nullptr) *error = QStringLiteral("%1: %2").arg(path, why);
    return std::nullopt;
  };
  const QFileInfo info(path);
  if (!info.exists()) return fail(QStringLiteral("no such file"));
  if (!info.isFile()) return fail(QStringLiteral("not a regular file"));
  if (info.size() > maxBytes)
    return fail(QStringLiteral("larger than %1 bytes (%2 bytes)").arg(maxBytes).arg(info.size()));
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return fail(file.errorString());
  // The size may grow between the check and the read: read one byte more than allowed to notice.
  QByteArray bytes = file.read(maxBytes + 1);
  if (bytes.size() > maxBytes) return fail(QStringLiteral("larger than %1 bytes").arg(maxBytes));
  return bytes;
}

}  // namespace gizrig::core
