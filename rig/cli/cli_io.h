#pragma once
// What every gizrig command shares: the standard streams, and the parse / --help opening of its arguments.

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>
#include <optional>

#include "exit_codes.h"

namespace gizrig::cli {

inline QTextStream& out() {
  static QTextStream stream(stdout);
  return stream;
}

inline QTextStream& err() {
  static QTextStream stream(stderr);
  return stream;
}

// Parses `arguments`; the exit code when the command ends here (a usage error named after `command`, or
// --help printed), nullopt when it goes on.
inline std::optional<int> parseArguments(QCommandLineParser& parser, const QStringList& arguments,
                                         const char* command) {
  if (!parser.parse(arguments)) {
    err() << command << ": " << parser.errorText() << "\n";
    return kRigOrUsageError;
  }
  if (parser.isSet(QStringLiteral("help"))) {
    out() << parser.helpText();
    return kAllPassed;
  }
  return std::nullopt;
}

}  // namespace gizrig::cli
