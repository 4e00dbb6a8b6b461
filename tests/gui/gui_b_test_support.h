#pragma once
// Shared by B's GUI tests: one offscreen QApplication per test binary, and where screenshots go
// (${CMAKE_BINARY_DIR}/screenshots: the test binaries live in build/bin).

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QString>
#include <QWidget>

namespace gui_b_test {

inline QApplication& app() {
  static int argc = 1;
  static char name[] = "gizrig-gui-test";
  static char* argv[] = {name, nullptr};
  static QApplication* instance = [] {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    return new QApplication(argc, argv);
  }();
  return *instance;
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
