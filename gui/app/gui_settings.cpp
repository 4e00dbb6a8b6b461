#include "app/gui_settings.h"

namespace gizrig::gui {

std::unique_ptr<QSettings> openGuiSettings() {
  // INI on every platform (readable, and one file the tests can redirect with QSettings::setPath).
  return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("gizrig"),
                                     QStringLiteral("gizrig-gui"));
}

QString recordsDbToOpen(bool givenOnCommandLine, const QString& commandLine, const QString& fallback) {
  if (givenOnCommandLine) return commandLine;
  const QString saved = openGuiSettings()->value(settingsKey::kRecordsDb).toString();
  return saved.isEmpty() ? fallback : saved;
}

}  // namespace gizrig::gui
