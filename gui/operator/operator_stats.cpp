#include "operator/operator_stats.h"

#include <qcustomplot.h>
#include <QGridLayout>
#include <algorithm>
#include <cmath>

#include "operator/operator_station.h"
#include "shared/plot_math.h"

namespace gizrig::gui {

namespace {

constexpr int kColumns = 3;

QString title(const QString& name) {
  static const QHash<QString, QString> titles{
      {QStringLiteral("signal_level"), QStringLiteral("Signal level")},
      {QStringLiteral("join_time"), QStringLiteral("Join time (ms)")},
      {QStringLiteral("discovery_time"), QStringLiteral("Discovery time (ms)")},
      {QStringLiteral("login_round_trip"), QStringLiteral("Login round trip (ms)")},
      {QStringLiteral("control_round_trip"), QStringLiteral("Control round trip (ms)")},
      {QStringLiteral("back_to_softap"), QStringLiteral("Back to SoftAP (ms)")},
  };
  return titles.value(name, name);
}

QString number(double value) {
  // Whole numbers in full ("60000", not "6e+04"); fractions to four digits.
  if (value == std::floor(value) && std::abs(value) < 1e12)
    return QString::number(static_cast<qint64>(value));
  return QString::number(value, 'g', 4);
}

}  // namespace

OperatorStats::OperatorStats(OperatorStation& station, QWidget* parent) : QWidget(parent), station_(station) {
  auto* grid = new QGridLayout(this);
  const QStringList names = measurementNames();
  for (int i = 0; i < names.size(); ++i) {
    auto* plot = new QCustomPlot(this);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(
        0, 0, new QCPTextElement(plot, title(names[i]), QFont(QStringLiteral("sans"), 10, QFont::Bold)));
    // The numbers under the title, not over the bars: a narrow plot has no room beside them.
    plot->plotLayout()->insertRow(1);
    auto* subtitle = new QCPTextElement(plot, QString(), QFont(QStringLiteral("sans"), 9));
    plot->plotLayout()->addElement(1, 0, subtitle);
    subtitles_.insert(names[i], subtitle);
    plot->xAxis->ticker()->setTickCount(4);  // long millisecond labels must not run into each other
    plot->yAxis->setLabel(tr("runs"));
    plot->setMinimumSize(260, 200);
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setBrush(QColor(0x4a, 0x7e, 0xc7, 180));
    bars->setPen(QPen(QColor(0x1f, 0x4e, 0x8c)));
    grid->addWidget(plot, i / kColumns, i % kColumns);
    plots_.insert(names[i], plot);
  }
  refresh();
}

QStringList OperatorStats::measurementNames() {
  // The production test's numeric values, in the order it takes them (ProductionSequence).
  return {QStringLiteral("signal_level"),       QStringLiteral("join_time"),
          QStringLiteral("discovery_time"),     QStringLiteral("login_round_trip"),
          QStringLiteral("control_round_trip"), QStringLiteral("back_to_softap")};
}

QHash<QString, OperatorStats::Values> OperatorStats::collect() {
  const QStringList names = measurementNames();
  QHash<QString, Values> out;
  const auto add = [&](const std::vector<core::Measurement>& measurements) {
    for (const core::Measurement& m : measurements) {
      if (!names.contains(m.name) || !std::holds_alternative<double>(m.value)) continue;
      Values& v = out[m.name];
      v.values.append(std::get<double>(m.value));
      // The newest run's limits: the station file may have changed during the shift.
      if (v.values.size() == 1) {
        v.low = m.low;
        v.high = m.high;
        v.unit = m.unit;
      }
    }
  };
  core::RecordStore* store = station_.store();
  const bool fromRecords = store != nullptr && station_.recorded().error().isEmpty();
  for (const core::RunRecord& run : fromRecords ? station_.recorded().runs() : station_.session().runs()) {
    if (!run.finished()) continue;  // its steps may still come
    if (!fromRecords) {
      std::vector<core::Measurement> all;
      for (const core::StepRecord& step : run.steps)
        all.insert(all.end(), step.measurements.begin(), step.measurements.end());
      add(all);
      continue;
    }
    auto cached = cache_.constFind(run.id);
    if (cached == cache_.constEnd()) {
      const auto full = store->run(run.id);
      if (!full) continue;  // read again at the next refresh
      std::vector<core::Measurement> kept;
      for (const core::StepRecord& step : full->steps)
        for (const core::Measurement& m : step.measurements)
          if (names.contains(m.name)) kept.push_back(m);
      cached = cache_.insert(run.id, std::move(kept));
    }
    add(*cached);
  }
  return out;
}

void OperatorStats::refresh() {
  const QHash<QString, Values> values = collect();
  for (const QString& name : measurementNames()) draw(name, values.value(name));
}

void OperatorStats::draw(const QString& name, const Values& v) {
  QCustomPlot* plot = plots_.value(name);
  auto* bars = qobject_cast<QCPBars*>(plot->plottable(0));
  plot->clearItems();
  counts_[name] = static_cast<int>(v.values.size());
  const bool empty = v.values.isEmpty();
  plot->xAxis->setVisible(!empty);
  plot->yAxis->setVisible(!empty);
  if (empty) {
    bars->data()->clear();
    auto* text = new QCPItemText(plot);
    text->setObjectName(QStringLiteral("no data yet"));
    text->position->setType(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(0.5, 0.5);
    text->setText(tr("no data yet"));
    text->setFont(QFont(QStringLiteral("sans"), 11));
    text->setColor(Qt::gray);
    summaries_[name] = tr("no data yet");
    subtitles_.value(name)->setText(QString());
    plot->replot(QCustomPlot::rpQueuedReplot);
    return;
  }
  const double width = plotmath::niceBinWidth(v.values);
  const plotmath::Histogram h = plotmath::histogram(v.values, width);
  bars->setWidth(width * 0.9);
  bars->setData(h.binCentres(), h.counts, true);
  // The axis spans the values and the limits near them; a limit far off (a 60 s join limit over joins of a
  // second or two) would squash the bars into one column, so it is named at the edge instead.
  double low = h.origin;
  double high = h.origin + width * static_cast<double>(h.counts.size());
  const double span = std::max(high - low, width);
  QStringList offScale;
  for (const std::optional<double>& limit : {v.low, v.high}) {
    if (!limit) continue;
    auto* line = new QCPItemStraightLine(plot);
    line->point1->setCoords(*limit, 0);
    line->point2->setCoords(*limit, 1);
    line->setPen(QPen(QColor(0xd0, 0x2a, 0x2a), 2, Qt::DashLine));
    if (*limit < low - 10 * span || *limit > high + 10 * span) {
      offScale << (*limit < low ? tr("<- lower limit %1") : tr("upper limit %1 ->")).arg(number(*limit));
      continue;
    }
    low = std::min(low, *limit);
    high = std::max(high, *limit);
  }
  if (!offScale.isEmpty()) {
    auto* note = new QCPItemText(plot);
    note->position->setType(QCPItemPosition::ptAxisRectRatio);
    note->position->setCoords(0.98, 0.04);
    note->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    note->setColor(QColor(0xd0, 0x2a, 0x2a));
    note->setText(offScale.join('\n'));
  }
  const double margin = std::max(width, (high - low) * 0.05);
  plot->xAxis->setRange(low - margin, high + margin);
  plot->xAxis->setLabel(v.unit);
  plot->yAxis->setRange(0, *std::max_element(h.counts.begin(), h.counts.end()) * 1.15 + 0.5);
  const plotmath::Capability c = plotmath::capability(v.values, v.low, v.high);
  QString summary = tr("n %1   mean %2").arg(c.n).arg(number(c.mean));
  if (v.unit == QLatin1String("ms")) summary += QStringLiteral(" ms");
  if (c.cpk)
    summary += tr("   Cpk %1").arg(c.cpk.value(), 0, 'f', 2);
  else if (c.cpu)
    summary += tr("   Cpu %1 (upper limit only)").arg(c.cpu.value(), 0, 'f', 2);
  else if (c.cpl)
    summary += tr("   Cpl %1 (lower limit only)").arg(c.cpl.value(), 0, 'f', 2);
  summaries_[name] = summary;
  subtitles_.value(name)->setText(summary);
  plot->replot(QCustomPlot::rpQueuedReplot);
}

QCustomPlot* OperatorStats::plot(const QString& measurement) const {
  return plots_.value(measurement);
}

int OperatorStats::sampleCount(const QString& measurement) const {
  return counts_.value(measurement);
}

QList<double> OperatorStats::limitLines(const QString& measurement) const {
  QList<double> out;
  const QCustomPlot* p = plots_.value(measurement);
  if (p == nullptr) return out;
  for (int i = 0; i < p->itemCount(); ++i)
    if (const auto* line = qobject_cast<QCPItemStraightLine*>(p->item(i))) out << line->point1->coords().x();
  return out;
}

bool OperatorStats::limitOnScale(const QString& measurement, double limit) const {
  const QCustomPlot* p = plots_.value(measurement);
  return p != nullptr && p->xAxis->range().contains(limit);
}

QString OperatorStats::summary(const QString& measurement) const {
  return summaries_.value(measurement);
}

bool OperatorStats::showsNoData(const QString& measurement) const {
  const QCustomPlot* p = plots_.value(measurement);
  if (p == nullptr) return false;
  for (int i = 0; i < p->itemCount(); ++i) {
    const auto* text = qobject_cast<QCPItemText*>(p->item(i));
    if (text != nullptr && text->text() == tr("no data yet")) return !p->xAxis->visible();
  }
  return false;
}

}  // namespace gizrig::gui
