#include "operator/tile_readout.h"

#include <QHash>
#include <algorithm>

#include "gizrig/production/production_sequence.h"
#include "operator/slot_tile.h"

namespace gizrig::gui {

QString plainStep(const QString& step) {
  // One entry per ProductionSequence::phaseNames(): what the tester is doing, not what the code is called.
  static const QHash<QString, QString> words{
      {QStringLiteral("handshake"), QStringLiteral("Saying hello to the module")},
      {QStringLiteral("versions_and_mac"), QStringLiteral("Reading the version and MAC address")},
      {QStringLiteral("production_mode"), QStringLiteral("Putting the module in test mode")},
      {QStringLiteral("test_routers_on"), QStringLiteral("Switching on the test WiFi")},
      {QStringLiteral("join_test_router"), QStringLiteral("Connecting to the test WiFi")},
      {QStringLiteral("lan_discovery"), QStringLiteral("Finding the module on the network")},
      {QStringLiteral("passcode_login"), QStringLiteral("Logging in to the module")},
      {QStringLiteral("control_round_trip"), QStringLiteral("Sending a command and waiting for the answer")},
      {QStringLiteral("signal_level"), QStringLiteral("Checking the WiFi signal")},
      {QStringLiteral("exit_test"), QStringLiteral("Taking the module out of test mode")},
  };
  const auto it = words.constFind(step);
  if (it != words.constEnd()) return *it;
  QString readable = step;
  readable.replace('_', ' ');
  if (!readable.isEmpty()) readable[0] = readable[0].toUpper();
  return readable;
}

std::int64_t stepLimitMs(const QString& step, const core::ProductionLimits& limits) {
  return step == QLatin1String("join_test_router") ? limits.maxJoinMs : limits.stepTimeoutMs;
}

std::int64_t worstCaseTestMs(const core::ProductionLimits& limits) {
  std::int64_t total = 0;
  for (const QString& step : core::ProductionSequence::phaseNames()) total += stepLimitMs(step, limits);
  return total;
}

std::optional<std::int64_t> typicalTestMs(const std::vector<core::RunRecord>& runs) {
  std::vector<std::int64_t> durations;
  for (const core::RunRecord& run : runs) {
    if (durations.size() >= 50) break;
    if (run.outcome == core::Outcome::Pass && run.finishedMs)
      durations.push_back(*run.finishedMs - run.startedMs);
  }
  if (durations.empty()) return std::nullopt;
  const auto middle = durations.begin() + static_cast<std::ptrdiff_t>(durations.size() / 2);
  std::nth_element(durations.begin(), middle, durations.end());
  return *middle;
}

QString durationText(std::int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms < 1000) return QStringLiteral("%1 ms").arg(ms);
  if (ms <= 60000)  // a limit of one minute reads "60 s"
    return QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', ms < 10000 ? 1 : 0);
  const std::int64_t seconds = (ms + 500) / 1000;
  return seconds % 60 == 0 ? QStringLiteral("%1 min").arg(seconds / 60)
                           : QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

QStringList runningLines(const SlotTile& tile, std::int64_t nowMs, const core::ProductionLimits& limits,
                         std::optional<std::int64_t> typicalMs) {
  QStringList lines;
  if (tile.step().isEmpty()) {
    lines << QStringLiteral("Starting...");
  } else {
    // The flash step says how far the image is ("Flashing 43 %"): it is the long phase of a flashing station.
    lines << (tile.step() == QLatin1String("flash") ? tile.stepText()
                                                    : QStringLiteral("Step %1 of %2: %3")
                                                          .arg(tile.stepIndex() + 1)
                                                          .arg(tile.stepTotal())
                                                          .arg(plainStep(tile.step())));
    lines << QStringLiteral("this step %1 (limit %2)")
                 .arg(durationText(nowMs - tile.stepStartedAtMs()),
                      durationText(stepLimitMs(tile.step(), limits)));
  }
  const QString expected = typicalMs
                               ? QStringLiteral("usually %1").arg(durationText(*typicalMs))
                               : QStringLiteral("at most %1").arg(durationText(worstCaseTestMs(limits)));
  lines << QStringLiteral("whole test %1 (%2)").arg(durationText(nowMs - tile.startedAtMs()), expected);
  return lines;
}

namespace {

QString valueText(double value, const QString& unit) {
  if (unit == QLatin1String("ms")) return durationText(static_cast<std::int64_t>(value));
  return QString::number(value);
}

}  // namespace

QStringList measuredLines(const std::vector<core::Measurement>& measurements) {
  // The values that decide a module, in the order the test takes them.
  static const QList<QPair<QString, QString>> shown{
      {QStringLiteral("signal_level"), QStringLiteral("Signal level")},
      {QStringLiteral("join_time"), QStringLiteral("Join time")},
      {QStringLiteral("control_round_trip"), QStringLiteral("Round trip")}};
  QStringList lines;
  for (const auto& [name, label] : shown) {
    const auto it = std::find_if(measurements.begin(), measurements.end(),
                                 [&](const core::Measurement& m) { return m.name == name; });
    if (it == measurements.end() || !std::holds_alternative<double>(it->value)) continue;
    const double value = std::get<double>(it->value);
    QStringList bounds;
    if (it->low) bounds << QStringLiteral("at least %1").arg(valueText(*it->low, it->unit));
    if (it->high) bounds << QStringLiteral("at most %1").arg(valueText(*it->high, it->unit));
    QString line = QStringLiteral("%1 %2").arg(label, valueText(value, it->unit));
    if (!bounds.isEmpty()) line += QStringLiteral(" (%1)").arg(bounds.join(QStringLiteral(", ")));
    if (core::judgeMeasurement(*it) != core::Outcome::Pass) line += QStringLiteral(" - OUT OF LIMITS");
    lines << line;
  }
  return lines;
}

}  // namespace gizrig::gui
