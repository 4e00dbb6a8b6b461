#include <QDateTime>
#include <QTimeZone>

#include "gizrig/records/record_outputs.h"

namespace gizrig::core {

namespace {

// Inline on purpose: the report is one file that opens anywhere, offline, years later.
const char* const kStyle =
    "body{font-family:sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin-bottom:1.5em}"
    "th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;font-size:90%}"
    "th{background:#eee}td.num{text-align:right}"
    ".PASS{color:#176d17;font-weight:bold}.FAIL{color:#b00;font-weight:bold}"
    ".ERROR{color:#a05a00;font-weight:bold}.INCOMPLETE{color:#666;font-weight:bold}.ABORTED{color:#666;font-"
    "weight:bold}";

QString esc(const QString& text) {
  return text.toHtmlEscaped();
}

QString utc(std::int64_t ms) {
  return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
      .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QString percent(double fraction) {
  return QString::number(fraction * 100.0, 'f', 1) + QLatin1Char('%');
}

QString outcomeCell(const std::optional<Outcome>& outcome) {
  const QString name = outcome ? outcomeName(*outcome) : QStringLiteral("INCOMPLETE");
  return QStringLiteral("<td class=\"%1\">%1</td>").arg(name);
}

QString row(const QStringList& cells) {
  return QStringLiteral("<tr>") + cells.join(QString()) + QStringLiteral("</tr>\n");
}

QString td(const QString& text) {
  return QStringLiteral("<td>") + esc(text) + QStringLiteral("</td>");
}

QString num(int value) {
  return QStringLiteral("<td class=\"num\">%1</td>").arg(value);
}

}  // namespace

QString renderHtmlReport(const std::vector<RunRecord>& runs, const std::vector<StationYield>& yield) {
  QString html;
  html += QStringLiteral(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gizrig report</title><style>");
  html += QLatin1String(kStyle);
  html += QStringLiteral("</style></head><body>\n<h1>gizrig report</h1>\n");

  html += QStringLiteral("<h2>Yield per station</h2>\n<table>\n");
  html += QStringLiteral(
      "<tr><th>station</th><th>runs</th><th>passed</th><th>failed</th><th>errors</th><th>aborted</th>"
      "<th>incomplete</th><th>yield</th><th>DUTs</th><th>first-pass yield</th></tr>\n");
  for (const StationYield& y : yield) {
    html += row({td(y.station), num(y.runs), num(y.passed), num(y.failed), num(y.errored), num(y.aborted),
                 num(y.incomplete), QStringLiteral("<td class=\"num\">%1</td>").arg(percent(y.yield())),
                 num(y.duts), QStringLiteral("<td class=\"num\">%1</td>").arg(percent(y.firstPassYield()))});
  }
  html += QStringLiteral("</table>\n");

  html += QStringLiteral("<h2>Runs</h2>\n<table>\n");
  html += QStringLiteral(
      "<tr><th>started</th><th>station</th><th>slot</th><th>DUT</th><th>scenario</th><th>mode</th>"
      "<th>outcome</th><th>failing step</th><th>message</th></tr>\n");
  for (const RunRecord& run : runs) {
    html += row({td(utc(run.startedMs)), td(run.station), td(run.slot), td(run.dutKey()), td(run.scenario),
                 td(runModeName(run.mode)), outcomeCell(run.outcome), td(run.failingStep),
                 td(run.failingMessage)});
  }
  html += QStringLiteral("</table>\n");

  html += QStringLiteral("<h2>Failing steps</h2>\n<table>\n");
  html += QStringLiteral(
      "<tr><th>started</th><th>station</th><th>DUT</th><th>scenario</th><th>step</th><th>outcome</th>"
      "<th>message</th><th>measurements</th></tr>\n");
  for (const RunRecord& run : runs) {
    for (const StepRecord& step : run.steps) {
      if (step.outcome == Outcome::Pass) continue;
      QStringList failed;
      for (const Measurement& m : step.measurements) {
        if (m.verdict != Outcome::Pass) failed << m.name + QStringLiteral(" = ") + measurementValueText(m);
      }
      html +=
          row({td(utc(step.startedMs)), td(run.station), td(run.dutKey()), td(run.scenario), td(step.name),
               outcomeCell(step.outcome), td(step.message), td(failed.join(QStringLiteral("; ")))});
    }
  }
  html += QStringLiteral("</table>\n</body></html>\n");
  return html;
}

}  // namespace gizrig::core
