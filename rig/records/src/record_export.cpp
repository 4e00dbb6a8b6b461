#include "gizrig/records/record_export.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <algorithm>

namespace gizrig::core {

std::optional<std::vector<RunRecord>> runsForExport(RecordStore& store, const RunQuery& query,
                                                    QString* error) {
  std::vector<RunRecord> runs;
  for (const RunRecord& header : store.runs(query)) {
    auto full = store.run(header.id);
    if (!full) {
      *error = store.lastError();
      return std::nullopt;
    }
    runs.push_back(std::move(*full));
  }
  if (!store.lastError().isEmpty()) {
    *error = store.lastError();
    return std::nullopt;
  }
  std::reverse(runs.begin(), runs.end());
  return runs;
}

namespace {

QString utc(std::int64_t ms) {
  return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString number(double value) {
  return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString limit(const std::optional<double>& value) {
  return value ? number(*value) : QString();
}

QString valueText(const Measurement& m) {
  if (const auto* text = std::get_if<QString>(&m.value)) return *text;
  return number(std::get<double>(m.value));
}

// Positions of the measurement cells (value, low, high) in a row: JSON writes them typed.
constexpr int kValueColumn = 19;
constexpr int kLowColumn = 21;
constexpr int kHighColumn = 22;

QString csvField(const QString& cell) {
  if (!cell.contains(QLatin1Char(',')) && !cell.contains(QLatin1Char('"')) &&
      !cell.contains(QLatin1Char('\n')) && !cell.contains(QLatin1Char('\r')))
    return cell;
  QString quoted = cell;
  quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

}  // namespace

QStringList exportColumns() {
  return {"run_id",      "station",      "slot",        "operator",     "scenario",     "mode",
          "run_started", "run_finished", "run_outcome", "dut_mac",      "dut_serial",   "dut_did",
          "duplicate",   "step_index",   "step",        "step_outcome", "step_started", "step_duration_ms",
          "measurement", "value",        "unit",        "low",          "high",         "verdict"};
}

namespace {

struct Row {
  QStringList cells;
  const Measurement* measurement = nullptr;  // null: a step without measurements
};

std::vector<Row> rowsOf(const std::vector<RunRecord>& runs) {
  std::vector<Row> rows;
  for (const RunRecord& run : runs) {
    const QStringList runCells{run.id.toString(QUuid::WithoutBraces),
                               run.station,
                               run.slot,
                               run.operatorName,
                               run.scenario,
                               runModeName(run.mode),
                               utc(run.startedMs),
                               run.finishedMs ? utc(*run.finishedMs) : QString(),
                               run.outcome ? outcomeName(*run.outcome) : QString(),
                               run.dut.mac,
                               run.dut.serial,
                               run.dut.did,
                               run.duplicate};
    for (const StepRecord& step : run.steps) {
      const QStringList stepCells{QString::number(step.index), step.name, outcomeName(step.outcome),
                                  utc(step.startedMs), QString::number(step.durationMs)};
      if (step.measurements.empty()) {
        rows.push_back({runCells + stepCells + QStringList{"", "", "", "", "", ""}, nullptr});
        continue;
      }
      for (const Measurement& m : step.measurements) {
        rows.push_back({runCells + stepCells +
                            QStringList{m.name, valueText(m), m.unit, limit(m.low), limit(m.high),
                                        outcomeName(m.verdict)},
                        &m});
      }
    }
  }
  return rows;
}

QJsonValue optionalNumber(const std::optional<double>& value) {
  return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

}  // namespace

std::vector<QStringList> exportRows(const std::vector<RunRecord>& runs) {
  std::vector<QStringList> rows;
  for (Row& row : rowsOf(runs)) rows.push_back(std::move(row.cells));
  return rows;
}

QByteArray exportCsv(const std::vector<RunRecord>& runs) {
  QByteArray out = exportColumns().join(QLatin1Char(',')).toUtf8() + "\r\n";
  for (const QStringList& row : exportRows(runs)) {
    QStringList fields;
    for (const QString& cell : row) fields << csvField(cell);
    out += fields.join(QLatin1Char(',')).toUtf8() + "\r\n";
  }
  return out;
}

QByteArray exportJson(const std::vector<RunRecord>& runs) {
  const QStringList columns = exportColumns();
  QJsonArray array;
  for (const Row& row : rowsOf(runs)) {
    QJsonObject object;
    for (int c = 0; c < columns.size(); ++c) object.insert(columns[c], row.cells[c]);
    const Measurement* m = row.measurement;
    const auto* number = m != nullptr ? std::get_if<double>(&m->value) : nullptr;
    // Numbers stay numbers (a text value, "04020001", stays text); absent ones are null.
    object.insert(columns[kValueColumn], m == nullptr        ? QJsonValue(QJsonValue::Null)
                                         : number != nullptr ? QJsonValue(*number)
                                                             : QJsonValue(std::get<QString>(m->value)));
    object.insert(columns[kLowColumn], m != nullptr ? optionalNumber(m->low) : QJsonValue(QJsonValue::Null));
    object.insert(columns[kHighColumn],
                  m != nullptr ? optionalNumber(m->high) : QJsonValue(QJsonValue::Null));
    array.append(object);
  }
  return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

}  // namespace gizrig::core
