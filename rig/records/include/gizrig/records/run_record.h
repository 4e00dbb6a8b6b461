#pragma once
// The run record (docs/rig.md "Records"): one per DUT run, with every step and every measurement. Plain
// structs that every sink (SQL store, JUnit XML, JSON, HTML) reads; the outcome rules live here and nowhere
// else.

#include <QString>
#include <QStringList>
#include <QUuid>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace gizrig::core {

// PASS; FAIL: the DUT broke a limit or an expectation; ERROR: the rig could not do its part (docs/rig.md).
// Ordered by severity so the worst outcome wins a fold.
// Skipped: the station lacks what the scenario needs (docs/real-station.md); neither the DUT's nor the rig's
// fault, and never a PASS. Aborted: the rig was stopped (Ctrl-C, SIGTERM, an operator's Abort) before the
// run ended; the DUT was not judged. Stored by name, so the numbers are free to grow.
enum class Outcome : std::uint8_t { Pass = 0, Fail = 1, Error = 2, Skipped = 3, Aborted = 4 };

enum class RunMode : std::uint8_t { Real, Virtual };

struct Measurement {
  QString name;
  std::variant<double, QString> value = 0.0;  // a number, or text (a version string, a MAC, ...)
  QString unit;
  std::optional<double> low;   // inclusive
  std::optional<double> high;  // inclusive
  Outcome verdict = Outcome::Pass;

  bool operator==(const Measurement&) const = default;
};

struct StepRecord {
  QString name;
  int index = 0;               // position in the run, unique within it
  std::int64_t startedMs = 0;  // UTC ms since the epoch
  std::int64_t durationMs = 0;
  Outcome outcome = Outcome::Pass;
  QString message;      // why it failed or errored; empty on PASS
  QStringList clauses;  // spec clause IDs the step proves ("S8.9.1")
  std::vector<Measurement> measurements;

  bool operator==(const StepRecord&) const = default;
};

struct DutIds {
  QString mac;
  QString serial;  // serial number or barcode
  QString did;     // the cloud's device id

  bool operator==(const DutIds&) const = default;
};

struct Versions {
  QString wifiHw;
  QString wifiSw;
  QString mcuHw;
  QString mcuSw;
  QString firmware;

  bool operator==(const Versions&) const = default;
};

struct RunRecord {
  QUuid id;
  QString station;
  QString slot;
  QString operatorName;
  DutIds dut;
  Versions versions;
  QString scenario;  // scenario or sequence name
  RunMode mode = RunMode::Real;
  std::int64_t startedMs = 0;  // UTC ms since the epoch
  // Both empty while the run is in progress, and forever when the rig died before finishing it.
  std::optional<std::int64_t> finishedMs;
  std::optional<Outcome> outcome;
  QString failingStep;
  QString failingMessage;
  // Set when this DUT's MAC already PASSED under another serial, or its serial under another MAC: what was
  // seen ("MAC 020000000001 already passed as SN-7 on EOL-1"); empty otherwise. See describeDuplicate.
  QString duplicate;
  // The run's wire trace file (`--trace DIR`: every serial frame and LAN packet, timestamped and named), ""
  // when none was written.
  QString trace;
  std::vector<StepRecord> steps;  // empty when a query returned the run row only

  [[nodiscard]] bool finished() const { return outcome.has_value(); }
  // The identity used for first-pass yield: the serial, else the MAC, else the DID.
  [[nodiscard]] QString dutKey() const;

  bool operator==(const RunRecord&) const = default;
};

// --- Outcome rules (the one place) ---

// The worse of two outcomes: ERROR beats FAIL beats PASS.
[[nodiscard]] Outcome worse(Outcome a, Outcome b);

// A numeric value inside its (inclusive, optional) limits passes; outside, or NaN, fails. A text value passes
// unless limits are set: a number was expected and the DUT answered something else, which is the DUT's fault.
[[nodiscard]] Outcome judgeMeasurement(const Measurement& measurement);

// Sets every measurement's verdict and folds them into the step: an ERROR step stays ERROR (the rig failed,
// so its measurements prove nothing), otherwise a failed measurement makes the step FAIL. An empty message
// gets one naming the first failed measurement.
void judgeStep(StepRecord& step);

// Finishes a run: the outcome is the worst step outcome (PASS with no steps), the failing step is the first
// step with that outcome.
void finishRun(RunRecord& run, std::int64_t finishedMs);

// Ends an open run as ABORTED at `finishedMs`: the step in progress is lost (it never finished), the
// finished ones stay; the failing step names the last finished one (empty when none), the message `why`.
void abortRun(RunRecord& run, std::int64_t finishedMs, const QString& why);

// The duplicate check: `run`'s MAC among `passed` (earlier PASS runs of any station) under another serial,
// or its serial under another MAC. The first such run in words, or empty when there is none (runs without a
// MAC or serial match nothing on that id).
[[nodiscard]] QString describeDuplicate(const RunRecord& run, const std::vector<RunRecord>& passed);

// A run that could not start: one ERROR step named "setup" carrying the reason (the world, the lab or the
// module could not be brought to the scenario's starting state).
[[nodiscard]] RunRecord setupErrorRun(const QString& station, const QString& scenario, RunMode mode,
                                      const QString& why);
// A run the station could not give what it needs (no router control, no cloud, ...): one SKIPPED "setup"
// step with the reason.
[[nodiscard]] RunRecord skippedRun(const QString& station, const QString& scenario, RunMode mode,
                                   const QString& why);

// --- Names used by every sink ---

[[nodiscard]] QString outcomeName(Outcome outcome);  // "PASS", "FAIL", "ERROR", "SKIPPED", "ABORTED"
[[nodiscard]] std::optional<Outcome> outcomeFromName(const QString& name);
[[nodiscard]] QString runModeName(RunMode mode);  // "real", "virtual"
[[nodiscard]] std::optional<RunMode> runModeFromName(const QString& name);
// "3.3 V", "abc"; the text form used by reports.
[[nodiscard]] QString measurementValueText(const Measurement& measurement);

// --- Yield ---

struct StationYield {
  QString station;
  int runs = 0;  // every run started, finished or not
  int passed = 0;
  int failed = 0;
  int errored = 0;              // rig errors: not the DUT's fault, so left out of the DUT yields
  int incomplete = 0;           // never finished (the rig died)
  int duts = 0;                 // distinct DUTs with at least one PASS or FAIL run
  int dutsPassedFirstTime = 0;  // ... whose first PASS/FAIL run passed
  int skipped = 0;              // the station could not run it: left out of the yields too
  int aborted = 0;              // the rig was stopped during the run: left out of the yields too

  // passed / (passed + failed); 0 when nothing was judged.
  [[nodiscard]] double yield() const;
  // dutsPassedFirstTime / duts; 0 when no DUT was judged.
  [[nodiscard]] double firstPassYield() const;
  bool operator==(const StationYield&) const = default;
};

// Yield per station, stations in name order. A DUT's "first" run is its earliest by start time; ERROR and
// unfinished runs do not count as a try (the DUT was never judged).
[[nodiscard]] std::vector<StationYield> computeYield(const std::vector<RunRecord>& runs);

}  // namespace gizrig::core
