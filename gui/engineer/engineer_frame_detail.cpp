#include "engineer/engineer_frame_detail.h"

#include <QFontDatabase>
#include <QStringList>

#include "engineer/engineer_frame_filter.h"

namespace gizrig::gui {

QString frameDetailText(const core::FrameLogEntry& entry) {
  QStringList lines;
  lines << QStringLiteral("%1    %2    t = %3 s")
               .arg(entry.name, directionText(entry.direction),
                    QString::number(static_cast<double>(entry.time) / 1000.0, 'f', 3));
  lines << QObject::tr("Checksum: %1").arg(checksumVerdict(entry));
  if (!entry.fields.isEmpty()) {
    lines << QObject::tr("Fields:");
    for (const auto& [key, value] : entry.fields) lines << QStringLiteral("  %1 = %2").arg(key, value);
  }
  lines << (entry.raw.size() == 1 ? QObject::tr("Raw (1 byte):")
                                   : QObject::tr("Raw (%1 bytes):").arg(entry.raw.size()));
  for (qsizetype offset = 0; offset < entry.raw.size(); offset += 16)
    lines << QStringLiteral("  %1  %2")
                 .arg(offset, 4, 16, QLatin1Char('0'))
                 .arg(spacedHex(entry.raw.mid(offset, 16)));
  return lines.join(QLatin1Char('\n'));
}

FrameDetailPane::FrameDetailPane(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName(QStringLiteral("frameDetail"));
  setReadOnly(true);
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setLineWrapMode(QPlainTextEdit::WidgetWidth);
  showFrame(nullptr);
}

void FrameDetailPane::showFrame(const core::FrameLogEntry* entry) {
  setPlainText(entry != nullptr ? frameDetailText(*entry)
                                : tr("Select a frame to see its fields, checksum and raw bytes in full."));
}

}  // namespace gizrig::gui
