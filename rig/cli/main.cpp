// gizrig: the rig's command line. Thin: it parses arguments and calls the rig core (architecture practice 1).
#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>
#include <exception>

#include "decode_command.h"
#include "exit_codes.h"
#include "export_command.h"
#include "flash_command.h"
#include "image_command.h"
#include "lab_command.h"
#include "production_command.h"
#include "run_command.h"

namespace {

const char* const kUsage =
    "usage: gizrig <command> [options]\n"
    "\n"
    "commands:\n"
    "  decode      name the frames of a hex dump (MCU serial, LAN, MQTT)\n"
    "  production  the end-of-line test on every slot of a station (--sim: virtual modules in a lab)\n"
    "  run         a scenario or suite in virtual time (fixtures/scenarios, fixtures/suites)\n"
    "  report      HTML report of the records with yield per station\n"
    "  export      the records as CSV or JSON, one row per measurement (for the factory's systems)\n"
    "  lab         the virtual lab: up | down | status (cloud, air, virtual modules on loopback)\n"
    "  flash       write firmware through the ESP ROM serial loader (one port, or every slot of a station)\n"
    "  image       make a firmware image the module accepts (OTA and gizrig flash)\n"
    "\n"
    "gizrig <command> --help describes each command. Exit codes: 0 all passed, 1 a DUT failed, 2 rig or "
    "usage "
    "error.\n";

int run(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName("gizrig");
  QStringList arguments = QCoreApplication::arguments();
  if (arguments.size() < 2 || arguments[1] == "--help" || arguments[1] == "-h") {
    QTextStream(arguments.size() < 2 ? stderr : stdout) << kUsage;
    return arguments.size() < 2 ? gizrig::cli::kRigOrUsageError : gizrig::cli::kAllPassed;
  }
  const QString command = arguments[1];
  arguments.removeAt(1);  // QCommandLineParser of the command sees "gizrig <options>"
  if (command == "decode") return gizrig::cli::runDecode(arguments);
  if (command == "lab") return gizrig::cli::runLab(arguments);
  if (command == "production") return gizrig::cli::runProduction(arguments);
  if (command == "run") return gizrig::cli::runScenarios(arguments);
  if (command == "report") return gizrig::cli::runReport(arguments);
  if (command == "export") return gizrig::cli::runExport(arguments);
  if (command == "flash") return gizrig::cli::runFlash(arguments);
  if (command == "image") return gizrig::cli::runImage(arguments);
  QTextStream(stderr) << "gizrig: unknown command '" << command << "'\n\n" << kUsage;
  return gizrig::cli::kRigOrUsageError;
}

}  // namespace

// No exception leaves main (a std::bad_alloc included): a clear message and exit 2, never an abort.
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gizrig: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "gizrig: internal error (unknown exception)\n");
  }
  return gizrig::cli::kRigOrUsageError;
}
