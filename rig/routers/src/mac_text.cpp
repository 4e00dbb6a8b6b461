#include "gizrig/routers/mac_text.h"

namespace gizrig::core {

QString macHex(const QString& text) {
  QString hex = text;
  hex.remove(u':').remove(u'-');
  if (hex.size() != 12) return {};
  for (const QChar c : hex) {
    if (!(c.isDigit() || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'))) return {};
  }
  return hex.toUpper();
}

}  // namespace gizrig::core
