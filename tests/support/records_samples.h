#pragma once
// Sample run records shared by the records tests (unit, PostgreSQL, kill -9) and the kill -9 writer helper.
// Everything is a pure function of its arguments, so a reader can rebuild what a writer wrote.

#include <QUuid>
#include <cstdint>

#include "gizrig/records/run_record.h"

namespace gizrig::core::samples {

inline constexpr std::int64_t kEpoch = 1'700'000'000'000;  // 2023-11-14 UTC, a fixed UTC ms base

// Run `n` of a writer: a name-based UUID so the reader can derive it.
inline QUuid runId(int n) {
  return QUuid::createUuidV5(QUuid(), QStringLiteral("gizrig-records-sample-%1").arg(n));
}

inline RunRecord runHeader(int n, const QString& station = QStringLiteral("station-1")) {
  RunRecord run;
  run.id = runId(n);
  run.station = station;
  run.slot = QStringLiteral("slot-%1").arg(n % 4);
  run.operatorName = QStringLiteral("op <Zoë> & co");  // markup and non-ASCII must survive every sink
  run.dut = {QStringLiteral("AC:CF:23:00:%1:%2")
                 .arg(n / 256, 2, 16, QLatin1Char('0'))
                 .arg(n % 256, 2, 16, QLatin1Char('0'))
                 .toUpper(),
             QStringLiteral("SN%1").arg(n, 6, 10, QLatin1Char('0')), QStringLiteral("did%1").arg(n)};
  run.versions = {QStringLiteral("04020000"), QStringLiteral("04020001"), QStringLiteral("00000001"),
                  QStringLiteral("00000002"), QStringLiteral("GAgent-4.2.1")};
  run.scenario = QStringLiteral("onboarding \"softap\"");
  run.mode = n % 2 == 0 ? RunMode::Virtual : RunMode::Real;
  run.startedMs = kEpoch + n * 60'000;
  if (n % 2 == 1) run.trace = QStringLiteral("/srv/traces/EOL 1/run-%1.trace").arg(n);  // --trace DIR
  return run;
}

// Step `index` of run `n`: a numeric measurement with both limits, one with a low limit only, and a text one.
// Step 2 of every third run fails its voltage limit.
inline StepRecord step(int n, int index) {
  StepRecord s;
  s.name = QStringLiteral("step %1 of run %2").arg(index).arg(n);
  s.index = index;
  s.startedMs = kEpoch + n * 60'000 + index * 1'000;
  s.durationMs = 250 + index;
  s.clauses = {QStringLiteral("S8.9.%1").arg(index), QStringLiteral("S7.5.1")};
  const double volts = (n % 3 == 0 && index == 2) ? 3.9 : 3.3 + 0.001 * index;
  s.measurements.push_back({QStringLiteral("vcc"), volts, QStringLiteral("V"), 3.0, 3.6, Outcome::Pass});
  s.measurements.push_back(
      {QStringLiteral("rssi"), -40.5 - index, QStringLiteral("dBm"), -80.0, std::nullopt, Outcome::Pass});
  s.measurements.push_back({QStringLiteral("fw"), QStringLiteral("04020001"), QString(), std::nullopt,
                            std::nullopt, Outcome::Pass});
  judgeStep(s);
  return s;
}

inline RunRecord fullRun(int n, int stepCount, const QString& station = QStringLiteral("station-1")) {
  RunRecord run = runHeader(n, station);
  for (int i = 0; i < stepCount; ++i) run.steps.push_back(step(n, i));
  finishRun(run, run.startedMs + 10'000);
  return run;
}

}  // namespace gizrig::core::samples
