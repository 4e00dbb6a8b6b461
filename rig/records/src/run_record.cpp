#include "gizrig/records/run_record.h"

#include <QDateTime>

#include <QLocale>
#include <algorithm>
#include <cmath>
#include <map>

namespace gizrig::core {

QString RunRecord::dutKey() const {
  if (!dut.serial.isEmpty()) return dut.serial;
  if (!dut.mac.isEmpty()) return dut.mac;
  return dut.did;
}

namespace {
// PASS < SKIPPED < FAIL < ERROR < ABORTED: a run with one skipped step and the rest passed was not a PASS; a
// run cut short is ABORTED whatever its finished steps said.
int severity(Outcome outcome) {
  switch (outcome) {
    case Outcome::Pass:
      return 0;
    case Outcome::Skipped:
      return 1;
    case Outcome::Fail:
      return 2;
    case Outcome::Error:
      return 3;
    case Outcome::Aborted:
      return 4;
  }
  return 3;
}
}  // namespace

Outcome worse(Outcome a, Outcome b) {
  return severity(a) >= severity(b) ? a : b;
}

Outcome judgeMeasurement(const Measurement& measurement) {
  const bool limited = measurement.low.has_value() || measurement.high.has_value();
  if (const auto* text = std::get_if<QString>(&measurement.value)) {
    (void)text;
    return limited ? Outcome::Fail : Outcome::Pass;
  }
  const double value = std::get<double>(measurement.value);
  if (std::isnan(value)) return Outcome::Fail;
  if (measurement.low && value < *measurement.low) return Outcome::Fail;
  if (measurement.high && value > *measurement.high) return Outcome::Fail;
  return Outcome::Pass;
}

namespace {

QString limitsText(const Measurement& m) {
  const QString low = m.low ? QString::number(*m.low) : QStringLiteral("-inf");
  const QString high = m.high ? QString::number(*m.high) : QStringLiteral("+inf");
  return QStringLiteral("[%1, %2]").arg(low, high);
}

}  // namespace

void judgeStep(StepRecord& step) {
  const Measurement* firstFailed = nullptr;
  for (Measurement& m : step.measurements) {
    m.verdict = judgeMeasurement(m);
    if (m.verdict != Outcome::Pass && firstFailed == nullptr) firstFailed = &m;
  }
  // An ERROR or ABORTED step stays what it is: its measurements prove nothing.
  if (step.outcome == Outcome::Error || step.outcome == Outcome::Aborted || firstFailed == nullptr) return;
  step.outcome = Outcome::Fail;
  if (step.message.isEmpty()) {
    step.message = QStringLiteral("measurement '%1' = %2 outside %3")
                       .arg(firstFailed->name, measurementValueText(*firstFailed), limitsText(*firstFailed));
  }
}

void finishRun(RunRecord& run, std::int64_t finishedMs) {
  Outcome outcome = Outcome::Pass;
  for (const StepRecord& step : run.steps) outcome = worse(outcome, step.outcome);
  run.outcome = outcome;
  run.finishedMs = finishedMs;
  run.failingStep.clear();
  run.failingMessage.clear();
  if (outcome == Outcome::Pass) return;
  const auto failing = std::find_if(run.steps.begin(), run.steps.end(),
                                    [outcome](const StepRecord& s) { return s.outcome == outcome; });
  run.failingStep = failing->name;
  run.failingMessage = failing->message;
}

void abortRun(RunRecord& run, std::int64_t finishedMs, const QString& why) {
  run.outcome = Outcome::Aborted;
  run.finishedMs = finishedMs;
  run.failingStep = run.steps.empty() ? QString() : run.steps.back().name;
  run.failingMessage = why;
}

QString describeDuplicate(const RunRecord& run, const std::vector<RunRecord>& passed) {
  for (const RunRecord& other : passed) {
    if (other.id == run.id || other.outcome != Outcome::Pass) continue;
    const QString where = other.station.isEmpty() ? QString() : QStringLiteral(" on %1").arg(other.station);
    if (!run.dut.mac.isEmpty() && other.dut.mac.compare(run.dut.mac, Qt::CaseInsensitive) == 0 &&
        !run.dut.serial.isEmpty() && other.dut.serial != run.dut.serial) {
      return QStringLiteral("MAC %1 already passed as serial %2%3")
          .arg(run.dut.mac, other.dut.serial.isEmpty() ? QStringLiteral("(none)") : other.dut.serial, where);
    }
    if (!run.dut.serial.isEmpty() && other.dut.serial == run.dut.serial && !run.dut.mac.isEmpty() &&
        other.dut.mac.compare(run.dut.mac, Qt::CaseInsensitive) != 0) {
      return QStringLiteral("serial %1 already passed with MAC %2%3")
          .arg(run.dut.serial, other.dut.mac.isEmpty() ? QStringLiteral("(none)") : other.dut.mac, where);
    }
  }
  return {};
}

QString outcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::Pass:
      return QStringLiteral("PASS");
    case Outcome::Fail:
      return QStringLiteral("FAIL");
    case Outcome::Error:
      return QStringLiteral("ERROR");
    case Outcome::Skipped:
      return QStringLiteral("SKIPPED");
    case Outcome::Aborted:
      return QStringLiteral("ABORTED");
  }
  return QStringLiteral("ERROR");
}

std::optional<Outcome> outcomeFromName(const QString& name) {
  for (Outcome o : {Outcome::Pass, Outcome::Fail, Outcome::Error, Outcome::Skipped, Outcome::Aborted}) {
    if (outcomeName(o) == name) return o;
  }
  return std::nullopt;
}

QString runModeName(RunMode mode) {
  return mode == RunMode::Virtual ? QStringLiteral("virtual") : QStringLiteral("real");
}

std::optional<RunMode> runModeFromName(const QString& name) {
  if (name == QLatin1String("real")) return RunMode::Real;
  if (name == QLatin1String("virtual")) return RunMode::Virtual;
  return std::nullopt;
}

QString measurementValueText(const Measurement& measurement) {
  QString text =
      std::holds_alternative<QString>(measurement.value)
          ? std::get<QString>(measurement.value)
          : QString::number(std::get<double>(measurement.value), 'g', QLocale::FloatingPointShortest);
  if (!measurement.unit.isEmpty()) text += QLatin1Char(' ') + measurement.unit;
  return text;
}

double StationYield::yield() const {
  const int judged = passed + failed;
  return judged == 0 ? 0.0 : static_cast<double>(passed) / judged;
}

double StationYield::firstPassYield() const {
  return duts == 0 ? 0.0 : static_cast<double>(dutsPassedFirstTime) / duts;
}

std::vector<StationYield> computeYield(const std::vector<RunRecord>& runs) {
  std::map<QString, StationYield> byStation;
  // station -> DUT -> its earliest judged run (start time, passed)
  std::map<QString, std::map<QString, std::pair<std::int64_t, bool>>> firstTry;
  for (const RunRecord& run : runs) {
    StationYield& y = byStation[run.station];
    y.station = run.station;
    ++y.runs;
    if (!run.outcome) {
      ++y.incomplete;
      continue;
    }
    switch (*run.outcome) {
      case Outcome::Pass:
        ++y.passed;
        break;
      case Outcome::Fail:
        ++y.failed;
        break;
      case Outcome::Error:
        ++y.errored;
        continue;
      case Outcome::Skipped:
        ++y.skipped;
        continue;
      case Outcome::Aborted:
        ++y.aborted;
        continue;
    }
    auto& duts = firstTry[run.station];
    const bool passed = *run.outcome == Outcome::Pass;
    const auto [it, inserted] = duts.try_emplace(run.dutKey(), run.startedMs, passed);
    if (!inserted && run.startedMs < it->second.first) it->second = {run.startedMs, passed};
  }
  std::vector<StationYield> result;
  for (auto& [station, y] : byStation) {
    for (const auto& [dut, first] : firstTry[station]) {
      ++y.duts;
      if (first.second) ++y.dutsPassedFirstTime;
    }
    result.push_back(y);
  }
  return result;
}

}  // namespace gizrig::core

namespace gizrig::core {

RunRecord setupOnlyRun(const QString& station, const QString& scenario, RunMode mode, Outcome outcome,
                       const QString& why) {
  RunRecord record;
  record.id = QUuid::createUuid();
  record.station = station;
  record.scenario = scenario;
  record.mode = mode;
  record.startedMs = QDateTime::currentMSecsSinceEpoch();
  StepRecord setup;
  setup.name = QStringLiteral("setup");
  setup.startedMs = record.startedMs;
  setup.outcome = outcome;
  setup.message = why;
  record.steps.push_back(setup);
  finishRun(record, record.startedMs);
  return record;
}

RunRecord setupErrorRun(const QString& station, const QString& scenario, RunMode mode, const QString& why) {
  return setupOnlyRun(station, scenario, mode, Outcome::Error, why);
}

RunRecord skippedRun(const QString& station, const QString& scenario, RunMode mode, const QString& why) {
  return setupOnlyRun(station, scenario, mode, Outcome::Skipped, why);
}

}  // namespace gizrig::core
