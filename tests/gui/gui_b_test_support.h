#pragma once
// Shared by B's GUI tests: one offscreen QApplication per test binary, its QSettings in a temporary directory
// (never the user's ~/.config/gizrig), and where screenshots go (${CMAKE_BINARY_DIR}/screenshots: the test
// binaries live in build/bin).

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QString>
#include <QTemporaryDir>
#include <QWidget>
#include <cstdlib>

namespace gui_b_test {

// The directory this test binary's settings live in (gizrig/gizrig-gui.ini under it); removed at exit.
inline const QString& settingsDir() {
  static QTemporaryDir* dir =
      new QTemporaryDir(QDir::tempPath() + QStringLiteral("/gizrig-test-settings-XXXXXX"));
  static const QString path = [] {
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir->path());
    std::atexit([] { delete dir; });
    return dir->path();
  }();
  return path;
}

inline QApplication& app() {
  static int argc = 1;
  static char name[] = "gizrig-gui-test";
  static char* argv[] = {name, nullptr};
  static QApplication* instance = [] {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    settingsDir();  // before any view reads or writes a setting
    return new QApplication(argc, argv);
  }();
  return *instance;
}

// A test that depends on what the settings hold starts from none.
inline void clearSettings() {
  settingsDir();
  QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("gizrig"),
            QStringLiteral("gizrig-gui"))
      .clear();
}

inline QString screenshotPath(const QString& view) {
  const QString dir =
      QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../screenshots"));
  QDir().mkpath(dir);
  return QDir(dir).absoluteFilePath(view + QStringLiteral(".png"));
}

// Lays the widget out at a readable size, lets queued replots run, and writes <view>.png.
inline bool screenshot(QWidget& widget, const QString& view) {
  widget.resize(1400, 820);
  widget.show();
  for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
  return widget.grab().save(screenshotPath(view));
}

}  // namespace gui_b_test
