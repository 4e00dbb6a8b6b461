#include "gizrig/engine/scenario_duration.h"

#include <QRegularExpression>
#include <limits>

namespace gizrig::core {

std::optional<RigMillis> parseDuration(const QString& text) {
  static const QRegularExpression pattern(QStringLiteral("^([0-9]{1,12})(ms|s|min|h)$"));
  const QRegularExpressionMatch match = pattern.match(text.trimmed());
  if (!match.hasMatch()) return std::nullopt;
  bool ok = false;
  const qint64 count = match.captured(1).toLongLong(&ok);
  if (!ok) return std::nullopt;
  const QString unit = match.captured(2);
  const RigMillis scale = unit == QLatin1String("ms")    ? 1
                          : unit == QLatin1String("s")   ? 1000
                          : unit == QLatin1String("min") ? 60'000
                                                         : 3'600'000;
  if (count > std::numeric_limits<RigMillis>::max() / scale) return std::nullopt;
  return count * scale;
}

QString formatDuration(RigMillis ms) {
  if (ms != 0 && ms % 3'600'000 == 0) return QStringLiteral("%1h").arg(ms / 3'600'000);
  if (ms != 0 && ms % 60'000 == 0) return QStringLiteral("%1min").arg(ms / 60'000);
  if (ms != 0 && ms % 1000 == 0) return QStringLiteral("%1s").arg(ms / 1000);
  return QStringLiteral("%1ms").arg(ms);
}

}  // namespace gizrig::core
