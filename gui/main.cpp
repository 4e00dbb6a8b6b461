// gizrig-gui: the rig's operator, QA and engineer views (issue 6). See docs/gui-operator.md.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <cstdio>
#include <exception>

#include "app/gui_context.h"
#include "app/gui_settings.h"
#include "app/main_window.h"
#include "gizrig/cloud/quit_on_signal.h"
#include "gizrig/records/records_location.h"

namespace {

int run(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("gizrig-gui"));
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("GAgent test rig: operator, QA and engineer views."));
  parser.addHelpOption();
  parser.addOption({"fixtures", "Fixtures directory.", "dir", GIZRIG_FIXTURES_DIR});
  parser.addOption(
      {"db",
       "Records: sqlite path or postgresql://user@host:port/db (default: the one chosen in the operator "
       "view's settings last time, else the one the CLI uses, " +
           gizrig::core::defaultRecordsPath() + ").",
       "spec"});
  parser.addOption({"lab-dir", "Run directory of the virtual lab (default: a temporary one).", "dir"});
  parser.process(app);
  const QString db = gizrig::gui::recordsDbToOpen(parser.isSet("db"), parser.value("db"),
                                                  gizrig::core::defaultRecordsPath());
  QString error;
  if (!gizrig::core::prepareRecordsLocation(db, &error)) {
    qCritical("gizrig-gui: %s", qPrintable(error));
    return 2;
  }
  // SIGTERM / Ctrl-C close the window like its close button: open runs end as ABORTED, the lab stops and its
  // temporary directory goes (nothing of /tmp/gizrig-gui-* is left behind).
  gizrig::cloud::quitOnTerminationSignals();

  gizrig::core::RealClock clock;
  gizrig::gui::GuiContext context{parser.value("fixtures"), db, parser.value("lab-dir"), &clock};
  gizrig::gui::MainWindow window(context);
  window.show();
  return QApplication::exec();
}

}  // namespace

// No exception leaves main: a clear message and exit 2, never an abort (issue 16).
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gizrig-gui: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "gizrig-gui: internal error (unknown exception)\n");
  }
  return 2;
}
