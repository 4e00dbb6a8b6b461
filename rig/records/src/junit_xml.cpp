#include <QDateTime>
#include <QTimeZone>
#include <QXmlStreamWriter>

#include "gizrig/records/record_outputs.h"

namespace gizrig::core {

namespace {

QString seconds(std::int64_t ms) {
  return QString::number(static_cast<double>(ms) / 1000.0, 'f', 3);
}

QString isoUtc(std::int64_t ms) {
  return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

void property(QXmlStreamWriter& xml, const QString& name, const QString& value) {
  xml.writeStartElement(QStringLiteral("property"));
  xml.writeAttribute(QStringLiteral("name"), name);
  xml.writeAttribute(QStringLiteral("value"), value);
  xml.writeEndElement();
}

QString measurementLine(const Measurement& m) {
  QString line = QStringLiteral("%1 = %2").arg(m.name, measurementValueText(m));
  if (m.low || m.high) {
    line += QStringLiteral(" limits [%1, %2]")
                .arg(m.low ? QString::number(*m.low) : QStringLiteral("-inf"),
                     m.high ? QString::number(*m.high) : QStringLiteral("+inf"));
  }
  return line + QLatin1Char(' ') + outcomeName(m.verdict);
}

// The failure that belongs to the run rather than to a step: the rig died, or the run's outcome is worse than
// any step's (a setup error before the first step).
std::optional<std::pair<Outcome, QString>> runLevelProblem(const RunRecord& run) {
  if (!run.outcome)
    return std::pair{Outcome::Error, QStringLiteral("the run did not finish (the rig stopped)")};
  Outcome worst = Outcome::Pass;
  for (const StepRecord& s : run.steps) worst = worse(worst, s.outcome);
  if (*run.outcome == Outcome::Pass || worse(worst, *run.outcome) == worst) return std::nullopt;
  return std::pair{*run.outcome, run.failingMessage};
}

// JUnit knows failure, error and skipped: an ABORTED step or run is an <error> of type ABORTED (the rig
// stopped, the DUT was not judged).
QString junitElement(Outcome outcome) {
  switch (outcome) {
    case Outcome::Fail:
      return QStringLiteral("failure");
    case Outcome::Skipped:
      return QStringLiteral("skipped");
    case Outcome::Pass:  // never written for a PASS
    case Outcome::Error:
    case Outcome::Aborted:
      return QStringLiteral("error");
  }
  return QStringLiteral("error");
}

void problem(QXmlStreamWriter& xml, Outcome outcome, const QString& message) {
  xml.writeStartElement(junitElement(outcome));
  xml.writeAttribute(QStringLiteral("message"), message);
  xml.writeAttribute(QStringLiteral("type"), outcomeName(outcome));
  xml.writeCharacters(message);
  xml.writeEndElement();
}

}  // namespace

QByteArray toJunitXml(const std::vector<RunRecord>& runs) {
  QByteArray out;
  QXmlStreamWriter xml(&out);
  xml.setAutoFormatting(true);
  xml.writeStartDocument();
  xml.writeStartElement(QStringLiteral("testsuites"));
  int allTests = 0;
  int allFailures = 0;
  int allErrors = 0;
  int allSkipped = 0;
  std::vector<std::tuple<int, int, int, int>> counts;
  for (const RunRecord& run : runs) {
    const auto extra = runLevelProblem(run);
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    for (const StepRecord& s : run.steps) {
      failures += s.outcome == Outcome::Fail ? 1 : 0;
      errors += s.outcome == Outcome::Error || s.outcome == Outcome::Aborted ? 1 : 0;
      skipped += s.outcome == Outcome::Skipped ? 1 : 0;
    }
    if (extra) {
      const QString element = junitElement(extra->first);
      (element == QLatin1String("error")     ? errors
       : element == QLatin1String("skipped") ? skipped
                                             : failures) += 1;
    }
    const int tests = static_cast<int>(run.steps.size()) + (extra ? 1 : 0);
    counts.emplace_back(tests, failures, errors, skipped);
    allTests += tests;
    allFailures += failures;
    allErrors += errors;
    allSkipped += skipped;
  }
  xml.writeAttribute(QStringLiteral("tests"), QString::number(allTests));
  xml.writeAttribute(QStringLiteral("failures"), QString::number(allFailures));
  xml.writeAttribute(QStringLiteral("errors"), QString::number(allErrors));
  xml.writeAttribute(QStringLiteral("skipped"), QString::number(allSkipped));

  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& run = runs[i];
    const auto [tests, failures, errors, skipped] = counts[i];
    xml.writeStartElement(QStringLiteral("testsuite"));
    xml.writeAttribute(QStringLiteral("name"), run.scenario);
    xml.writeAttribute(QStringLiteral("id"), run.id.toString(QUuid::WithoutBraces));
    xml.writeAttribute(QStringLiteral("hostname"), run.station);
    xml.writeAttribute(QStringLiteral("tests"), QString::number(tests));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(failures));
    xml.writeAttribute(QStringLiteral("errors"), QString::number(errors));
    xml.writeAttribute(QStringLiteral("skipped"), QString::number(skipped));
    xml.writeAttribute(QStringLiteral("timestamp"), isoUtc(run.startedMs));
    xml.writeAttribute(QStringLiteral("time"),
                       seconds(run.finishedMs.value_or(run.startedMs) - run.startedMs));

    xml.writeStartElement(QStringLiteral("properties"));
    property(xml, QStringLiteral("run_id"), run.id.toString(QUuid::WithoutBraces));
    property(xml, QStringLiteral("station"), run.station);
    property(xml, QStringLiteral("slot"), run.slot);
    property(xml, QStringLiteral("operator"), run.operatorName);
    property(xml, QStringLiteral("dut_mac"), run.dut.mac);
    property(xml, QStringLiteral("dut_serial"), run.dut.serial);
    property(xml, QStringLiteral("dut_did"), run.dut.did);
    property(xml, QStringLiteral("wifi_hw"), run.versions.wifiHw);
    property(xml, QStringLiteral("wifi_sw"), run.versions.wifiSw);
    property(xml, QStringLiteral("mcu_hw"), run.versions.mcuHw);
    property(xml, QStringLiteral("mcu_sw"), run.versions.mcuSw);
    property(xml, QStringLiteral("firmware"), run.versions.firmware);
    property(xml, QStringLiteral("mode"), runModeName(run.mode));
    property(xml, QStringLiteral("outcome"),
             run.outcome ? outcomeName(*run.outcome) : QStringLiteral("INCOMPLETE"));
    xml.writeEndElement();

    for (const StepRecord& step : run.steps) {
      xml.writeStartElement(QStringLiteral("testcase"));
      xml.writeAttribute(QStringLiteral("name"), step.name);
      xml.writeAttribute(QStringLiteral("classname"), run.scenario);
      xml.writeAttribute(QStringLiteral("time"), seconds(step.durationMs));
      if (step.outcome != Outcome::Pass) problem(xml, step.outcome, step.message);
      QStringList lines;
      if (!step.clauses.isEmpty()) lines << QStringLiteral("clauses: ") + step.clauses.join(QLatin1Char(' '));
      for (const Measurement& m : step.measurements) lines << measurementLine(m);
      if (!lines.isEmpty()) xml.writeTextElement(QStringLiteral("system-out"), lines.join(QLatin1Char('\n')));
      xml.writeEndElement();
    }
    if (const auto extra = runLevelProblem(run)) {
      xml.writeStartElement(QStringLiteral("testcase"));
      xml.writeAttribute(QStringLiteral("name"), QStringLiteral("(run)"));
      xml.writeAttribute(QStringLiteral("classname"), run.scenario);
      xml.writeAttribute(QStringLiteral("time"), QStringLiteral("0.000"));
      problem(xml, extra->first, extra->second);
      xml.writeEndElement();
    }
    xml.writeEndElement();  // testsuite
  }
  xml.writeEndElement();  // testsuites
  xml.writeEndDocument();
  return out;
}

}  // namespace gizrig::core
