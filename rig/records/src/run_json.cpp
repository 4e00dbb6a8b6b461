#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

#include "gizrig/records/record_outputs.h"

namespace gizrig::core {

namespace {

// Times are integers in the document; a double carries 53 bits, far beyond any epoch-ms value.
QJsonValue ms(std::int64_t value) {
  return QJsonValue(static_cast<qint64>(value));
}

QJsonObject measurementToJson(const Measurement& m) {
  QJsonObject json{{"name", m.name}, {"unit", m.unit}, {"verdict", outcomeName(m.verdict)}};
  if (const auto* text = std::get_if<QString>(&m.value)) {
    json.insert("value", *text);
  } else if (const double v = std::get<double>(m.value); std::isfinite(v)) {
    json.insert("value", v);
  } else {
    json.insert("value_nonfinite", QString::number(v));  // JSON has no NaN/inf
  }
  if (m.low) json.insert("low", *m.low);
  if (m.high) json.insert("high", *m.high);
  return json;
}

// A reader that remembers the first missing or mistyped field, so a malformed document is named exactly.
class Reader {
 public:
  explicit Reader(QString* error) : error_(error) {}
  [[nodiscard]] bool ok() const { return ok_; }

  QString text(const QJsonObject& o, const char* key, const QString& where) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined()) return {};  // optional text: absent reads as empty
    if (!v.isString()) return bad(where, key, "a string"), QString();
    return v.toString();
  }
  std::int64_t integer(const QJsonObject& o, const char* key, const QString& where) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble())) return bad(where, key, "an integer"), 0;
    return v.toInteger();
  }
  std::optional<double> number(const QJsonObject& o, const char* key, const QString& where) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined()) return std::nullopt;
    if (!v.isDouble()) return bad(where, key, "a number"), std::nullopt;
    return v.toDouble();
  }
  std::optional<Outcome> outcome(const QJsonObject& o, const char* key, const QString& where) {
    const auto result = outcomeFromName(o.value(QLatin1String(key)).toString());
    if (!result) bad(where, key, "PASS, FAIL or ERROR");
    return result;
  }
  QJsonArray array(const QJsonObject& o, const char* key, const QString& where) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined()) return {};
    if (!v.isArray()) return bad(where, key, "an array"), QJsonArray();
    return v.toArray();
  }
  void bad(const QString& where, const char* key, const char* expected) {
    if (!ok_) return;
    ok_ = false;
    if (error_ != nullptr)
      *error_ = QStringLiteral("%1: '%2' must be %3").arg(where, QLatin1String(key), QLatin1String(expected));
  }

 private:
  QString* error_;
  bool ok_ = true;
};

}  // namespace

QJsonObject runToJson(const RunRecord& run) {
  QJsonArray steps;
  for (const StepRecord& s : run.steps) {
    QJsonArray measurements;
    for (const Measurement& m : s.measurements) measurements.append(measurementToJson(m));
    steps.append(QJsonObject{{"name", s.name},
                             {"index", s.index},
                             {"started_ms", ms(s.startedMs)},
                             {"duration_ms", ms(s.durationMs)},
                             {"outcome", outcomeName(s.outcome)},
                             {"message", s.message},
                             {"clauses", QJsonArray::fromStringList(s.clauses)},
                             {"measurements", measurements}});
  }
  QJsonObject json{
      {"id", run.id.toString(QUuid::WithoutBraces)},
      {"station", run.station},
      {"slot", run.slot},
      {"operator", run.operatorName},
      {"dut", QJsonObject{{"mac", run.dut.mac}, {"serial", run.dut.serial}, {"did", run.dut.did}}},
      {"versions", QJsonObject{{"wifi_hw", run.versions.wifiHw},
                               {"wifi_sw", run.versions.wifiSw},
                               {"mcu_hw", run.versions.mcuHw},
                               {"mcu_sw", run.versions.mcuSw},
                               {"firmware", run.versions.firmware}}},
      {"scenario", run.scenario},
      {"mode", runModeName(run.mode)},
      {"started_ms", ms(run.startedMs)},
      {"failing_step", run.failingStep},
      {"failing_message", run.failingMessage},
      {"steps", steps},
  };
  if (run.finishedMs) json.insert("finished_ms", ms(*run.finishedMs));
  if (run.outcome) json.insert("outcome", outcomeName(*run.outcome));
  if (!run.duplicate.isEmpty()) json.insert("duplicate", run.duplicate);
  if (!run.trace.isEmpty()) json.insert("trace", run.trace);
  return json;
}

QByteArray runToJsonDocument(const RunRecord& run) {
  return QJsonDocument(runToJson(run)).toJson(QJsonDocument::Indented);
}

std::optional<RunRecord> runFromJson(const QJsonObject& json, QString* error) {
  Reader r(error);
  RunRecord run;
  const QString where = QStringLiteral("run");
  run.id = QUuid::fromString(r.text(json, "id", where));
  if (run.id.isNull()) r.bad(where, "id", "a UUID");
  run.station = r.text(json, "station", where);
  run.slot = r.text(json, "slot", where);
  run.operatorName = r.text(json, "operator", where);
  const QJsonObject dut = json.value("dut").toObject();
  run.dut = {r.text(dut, "mac", "run.dut"), r.text(dut, "serial", "run.dut"), r.text(dut, "did", "run.dut")};
  const QJsonObject v = json.value("versions").toObject();
  const QString vw = QStringLiteral("run.versions");
  run.versions = {r.text(v, "wifi_hw", vw), r.text(v, "wifi_sw", vw), r.text(v, "mcu_hw", vw),
                  r.text(v, "mcu_sw", vw), r.text(v, "firmware", vw)};
  run.scenario = r.text(json, "scenario", where);
  if (const auto mode = runModeFromName(r.text(json, "mode", where))) {
    run.mode = *mode;
  } else {
    r.bad(where, "mode", "real or virtual");
  }
  run.startedMs = r.integer(json, "started_ms", where);
  if (json.contains("finished_ms")) run.finishedMs = r.integer(json, "finished_ms", where);
  if (json.contains("outcome")) run.outcome = r.outcome(json, "outcome", where);
  run.failingStep = r.text(json, "failing_step", where);
  run.failingMessage = r.text(json, "failing_message", where);
  if (json.contains("duplicate")) run.duplicate = r.text(json, "duplicate", where);
  if (json.contains("trace")) run.trace = r.text(json, "trace", where);
  const QJsonArray steps = r.array(json, "steps", where);
  for (qsizetype i = 0; i < steps.size() && r.ok(); ++i) {
    const QJsonObject s = steps[i].toObject();
    const QString sw = QStringLiteral("run.steps[%1]").arg(i);
    StepRecord step;
    step.name = r.text(s, "name", sw);
    step.index = static_cast<int>(r.integer(s, "index", sw));
    step.startedMs = r.integer(s, "started_ms", sw);
    step.durationMs = r.integer(s, "duration_ms", sw);
    step.outcome = r.outcome(s, "outcome", sw).value_or(Outcome::Error);
    step.message = r.text(s, "message", sw);
    for (const QJsonValue& c : r.array(s, "clauses", sw)) step.clauses << c.toString();
    const QJsonArray measurements = r.array(s, "measurements", sw);
    for (qsizetype j = 0; j < measurements.size() && r.ok(); ++j) {
      const QJsonObject mj = measurements[j].toObject();
      const QString mw = sw + QStringLiteral(".measurements[%1]").arg(j);
      Measurement m;
      m.name = r.text(mj, "name", mw);
      const QJsonValue value = mj.value("value");
      if (value.isString()) {
        m.value = value.toString();
      } else if (value.isDouble()) {
        m.value = value.toDouble();
      } else if (mj.contains("value_nonfinite")) {
        m.value = r.text(mj, "value_nonfinite", mw).toDouble();  // "nan", "inf", "-inf"
      } else {
        r.bad(mw, "value", "a number or a string");
      }
      m.unit = r.text(mj, "unit", mw);
      m.low = r.number(mj, "low", mw);
      m.high = r.number(mj, "high", mw);
      m.verdict = r.outcome(mj, "verdict", mw).value_or(Outcome::Error);
      step.measurements.push_back(std::move(m));
    }
    run.steps.push_back(std::move(step));
  }
  if (!r.ok()) return std::nullopt;
  return run;
}

std::optional<RunRecord> runFromJsonDocument(const QByteArray& document, QString* error) {
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(document, &parseError);
  if (doc.isNull() || !doc.isObject()) {
    if (error != nullptr)
      *error = doc.isNull() ? QStringLiteral("not JSON: %1 at offset %2")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset)
                            : QStringLiteral("not a JSON object");
    return std::nullopt;
  }
  return runFromJson(doc.object(), error);
}

}  // namespace gizrig::core
