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

// -h / --help without Qt's --help-all (Qt's own options mean nothing to a gizrig user).
inline void addHelp(QCommandLineParser& parser) {
  parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")});
}

// The parser's help with its usage line naming the command ("Usage: gizrig production [options] ..."), not
// the bare program path.
inline QString helpText(const QCommandLineParser& parser, const char* command) {
  QString text = parser.helpText();
  const qsizetype end = text.indexOf(QLatin1Char('\n'));
  const QString first = text.left(end);
  const qsizetype options = first.indexOf(QLatin1String(" ["));
  const QString rest = options < 0 ? QString() : first.mid(options);
  return QStringLiteral("Usage: ") + QLatin1String(command) + rest + text.mid(end);
}

// Parses `arguments`; the exit code when the command ends here (a usage error named after `command`, or
// --help printed), nullopt when it goes on.
inline std::optional<int> parseArguments(QCommandLineParser& parser, const QStringList& arguments,
                                         const char* command) {
  if (!parser.parse(arguments)) {
    err() << command << ": " << parser.errorText() << "\n";
    err() << "usage: " << command << " [options]; " << command << " --help tells more\n";
    return kRigOrUsageError;
  }
  if (parser.isSet(QStringLiteral("help"))) {
    out() << helpText(parser, command);
    return kAllPassed;
  }
  return std::nullopt;
}

}  // namespace gizrig::cli
