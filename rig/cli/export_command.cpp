#include "export_command.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QSaveFile>
#include <algorithm>

#include "cli_io.h"
#include "exit_codes.h"
#include "gizrig/records/record_export.h"
#include "gizrig/records/records_location.h"
#include "gizrig/records/sql_record_store.h"

namespace gizrig::cli {

namespace {

using namespace gizrig::core;

// --since: an ISO 8601 date or date-time, local time unless it carries an offset or Z.
std::optional<std::int64_t> parseSince(const QString& text) {
  QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
  if (!when.isValid()) {
    const QDate day = QDate::fromString(text, Qt::ISODate);
    if (!day.isValid()) return std::nullopt;
    when = day.startOfDay();
  }
  return when.toMSecsSinceEpoch();
}

}  // namespace

int runExport(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "gizrig export: the records for the factory's own systems, one row per measurement with its limits, "
      "unit and verdict, the step, the DUT's ids (MAC, serial, DID) and the run's times (UTC, ISO 8601). A "
      "step without measurements is one row with those columns empty.");
  addHelp(parser);
  parser.addOption({"db", "Records (sqlite path or postgresql://...; default " + defaultRecordsPath() + ").",
                    "spec", defaultRecordsPath()});
  parser.addOption({"format", "csv or json.", "format", "csv"});
  parser.addOption({"since",
                    "Only runs started at or after this (2024-05-01 or 2024-05-01T06:00, local "
                    "time unless it has an offset).",
                    "when"});
  parser.addOption({"station", "Only this station.", "id"});
  parser.addOption({"out", "File to write (default: stdout).", "file"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig export")) return *exit;
  const QString format = parser.value("format");
  if (format != QLatin1String("csv") && format != QLatin1String("json")) {
    err() << "gizrig export: --format wants csv or json, not \"" << format << "\"\n";
    return kRigOrUsageError;
  }
  RunQuery query;
  query.station = parser.value("station");
  if (parser.isSet("since")) {
    query.fromMs = parseSince(parser.value("since"));
    if (!query.fromMs) {
      err() << "gizrig export: --since wants a date or date-time (2024-05-01, 2024-05-01T06:00), not \""
            << parser.value("since") << "\"\n";
      return kRigOrUsageError;
    }
  }
  QString error;
  if (!recordsExist(parser.value("db"), &error)) {
    err() << "gizrig export: " << error << "\n";
    return kRigOrUsageError;
  }
  auto store = SqlRecordStore::open(parser.value("db"), &error);
  if (!store) {
    err() << "gizrig export: " << error << "\n";
    return kRigOrUsageError;
  }
  const auto runs = runsForExport(*store, query, &error);
  if (!runs) {
    err() << "gizrig export: " << error << "\n";
    return kRigOrUsageError;
  }
  const QByteArray bytes = format == QLatin1String("csv") ? exportCsv(*runs) : exportJson(*runs);
  if (!parser.isSet("out")) {
    out().flush();
    QFile stdoutFile;
    if (!stdoutFile.open(stdout, QIODevice::WriteOnly) || stdoutFile.write(bytes) != bytes.size()) {
      err() << "gizrig export: cannot write to stdout\n";
      return kRigOrUsageError;
    }
    return kAllPassed;
  }
  QSaveFile file(parser.value("out"));  // all or nothing: a half-written export is never left behind
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    err() << "gizrig export: cannot write " << parser.value("out") << ": " << file.errorString() << "\n";
    return kRigOrUsageError;
  }
  out() << "export: " << parser.value("out") << " (" << runs->size() << " runs)\n";
  return kAllPassed;
}

}  // namespace gizrig::cli
