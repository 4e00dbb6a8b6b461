#include "engineer/engineer_frame_filter.h"

#include <QStringList>

namespace gizrig::gui {

QString spacedHex(const QByteArray& raw) {
  return QString::fromLatin1(raw.toHex(' ').toUpper());
}

QString fieldsText(const core::FrameLogEntry& entry) {
  QStringList parts;
  for (const auto& [key, value] : entry.fields) parts << key + QLatin1Char('=') + value;
  return parts.join(QLatin1Char(' '));
}

QString checksumVerdict(const core::FrameLogEntry& entry) {
  QString verdict = entry.ok ? QStringLiteral("ok") : QStringLiteral("bad: %1").arg(entry.error);
  if (!entry.fault.isEmpty()) verdict += QStringLiteral(" (fault: %1)").arg(entry.fault);
  return verdict;
}

QString directionText(core::FrameDirection direction) {
  return direction == core::FrameDirection::ToMcu ? QStringLiteral("module → MCU")
                                                  : QStringLiteral("MCU → module");
}

QString commandCode(const core::FrameLogEntry& entry) {
  const QString first = entry.name.section(QLatin1Char(' '), 0, 0);
  return first.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive) ? first.toLower() : QString();
}

namespace {

// "0x2", "02", "2" and "0x02" all name command 2; nullopt-like -1 when `text` is not a number.
int parseCommand(const QString& text) {
  bool ok = false;
  QString digits = text.trimmed();
  if (digits.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive)) digits = digits.mid(2);
  const int value = digits.toInt(&ok, 16);
  return ok && !digits.isEmpty() && digits.size() <= 2 ? value : -1;
}

}  // namespace

bool FrameFilter::matches(const core::FrameLogEntry& entry) const {
  if (direction == Direction::ToMcu && entry.direction != core::FrameDirection::ToMcu) return false;
  if (direction == Direction::FromMcu && entry.direction != core::FrameDirection::FromMcu) return false;
  if (!command.trimmed().isEmpty()) {
    const int wanted = parseCommand(command);
    if (wanted >= 0) {
      if (parseCommand(commandCode(entry)) != wanted) return false;
    } else if (!entry.name.contains(command.trimmed(), Qt::CaseInsensitive)) {
      return false;
    }
  }
  if (!text.isEmpty()) {
    const QString haystack = entry.name + QLatin1Char('\n') + fieldsText(entry) + QLatin1Char('\n') +
                             spacedHex(entry.raw) + QLatin1Char('\n') +
                             QString::fromLatin1(entry.raw.toHex()) + QLatin1Char('\n') + entry.error +
                             QLatin1Char('\n') + entry.fault;
    if (!haystack.contains(text, Qt::CaseInsensitive)) return false;
  }
  return true;
}

}  // namespace gizrig::gui
