#include "engineer/engineer_plots.h"

#include <qcustomplot.h>
#include <QGridLayout>

#include "shared/plot_math.h"

namespace gizrig::gui {

namespace {

QCustomPlot* makePlot(QWidget* parent, const QString& title, const QString& x, const QString& y) {
  auto* plot = new QCustomPlot(parent);
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(
      0, 0, new QCPTextElement(plot, title, QFont(QStringLiteral("sans"), 10, QFont::Bold)));
  plot->xAxis->setLabel(x);
  plot->yAxis->setLabel(y);
  plot->setMinimumSize(260, 180);
  return plot;
}

QCPBars* barsOf(QCustomPlot* plot) {
  if (plot->plottableCount() == 0) {
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setBrush(QColor(0x4a, 0x7e, 0xc7, 180));
    bars->setPen(QPen(QColor(0x1f, 0x4e, 0x8c)));
  }
  return qobject_cast<QCPBars*>(plot->plottable(0));
}

}  // namespace

EngineerPlots::EngineerPlots(QWidget* parent)
    : QWidget(parent),
      signal_(makePlot(this, tr("Signal level (status bits 8-10)"), tr("time (s)"), tr("level 0-7"))),
      heartbeat_(makePlot(this, tr("Heartbeat intervals"), tr("heartbeat #"), tr("interval (s)"))),
      latency_(makePlot(this, tr("Control round trip"), tr("latency (ms)"), tr("count"))),
      duration_(makePlot(this, tr("Test duration per slot"), tr("slot"), tr("mean duration (s)"))) {
  signal_->addGraph();
  signal_->graph(0)->setLineStyle(QCPGraph::lsStepLeft);
  signal_->graph(0)->setPen(QPen(QColor(0x1d, 0x7a, 0x2c), 2));
  signal_->yAxis->setRange(-0.5, 7.5);
  heartbeat_->addGraph();
  heartbeat_->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
  heartbeat_->graph(0)->setPen(QPen(QColor(0x15, 0x4f, 0xa8)));
  auto* layout = new QGridLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(signal_, 0, 0);
  layout->addWidget(heartbeat_, 0, 1);
  layout->addWidget(latency_, 1, 0);
  layout->addWidget(duration_, 1, 1);
  setRuns({});
}

void EngineerPlots::addStatus(core::RigMillis time, quint16 word) {
  status_.append({time, word});
  redrawSignal();
}

void EngineerPlots::addHeartbeat(core::RigMillis time) {
  heartbeats_.append(time);
  redrawHeartbeats();
}

void EngineerPlots::addRoundTrip(core::RigMillis ms) {
  roundTrips_.append(static_cast<double>(ms));
  redrawLatency();
}

void EngineerPlots::clear() {
  status_.clear();
  heartbeats_.clear();
  roundTrips_.clear();
  redrawSignal();
  redrawHeartbeats();
  redrawLatency();
}

void EngineerPlots::redrawSignal() {
  const auto series = plotmath::signalSeries(status_);
  signal_->graph(0)->setData(series.x, series.y, true);
  if (!series.x.isEmpty())
    signal_->xAxis->setRange(series.x.first(), std::max(series.x.last(), series.x.first() + 1));
  signal_->replot(QCustomPlot::rpQueuedReplot);
}

void EngineerPlots::redrawHeartbeats() {
  const auto intervals = plotmath::heartbeatIntervals(heartbeats_);
  QVector<double> x;
  QVector<double> y;
  for (qsizetype i = 0; i < intervals.size(); ++i) {
    x.append(static_cast<double>(i + 1));
    y.append(intervals[i] / 1000.0);
  }
  heartbeat_->graph(0)->setData(x, y, true);
  heartbeat_->rescaleAxes();
  heartbeat_->yAxis->setRangeLower(0);
  heartbeat_->replot(QCustomPlot::rpQueuedReplot);
}

void EngineerPlots::redrawLatency() {
  // 10 ms bins for a LAN round trip; wider ones once the spread grows so the histogram stays readable.
  double width = 10;
  if (!roundTrips_.isEmpty()) {
    const auto [low, high] = std::minmax_element(roundTrips_.begin(), roundTrips_.end());
    while ((*high - *low) / width > 40) width *= 2;
  }
  const auto h = plotmath::histogram(roundTrips_, width);
  auto* bars = barsOf(latency_);
  bars->setWidth(h.width * 0.9);
  bars->setData(h.binCentres(), h.counts, true);
  latency_->rescaleAxes();
  latency_->yAxis->setRangeLower(0);
  latency_->replot(QCustomPlot::rpQueuedReplot);
}

void EngineerPlots::setRuns(const std::vector<core::RunRecord>& runs) {
  const auto perSlot = plotmath::durationPerSlot(runs);
  QVector<double> ticks;
  QVector<QString> labels;
  QVector<double> values;
  for (std::size_t i = 0; i < perSlot.size(); ++i) {
    ticks.append(static_cast<double>(i + 1));
    labels.append(perSlot[i].slot);
    values.append(perSlot[i].meanSeconds);
  }
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  ticker->addTicks(ticks, labels);
  duration_->xAxis->setTicker(ticker);
  auto* bars = barsOf(duration_);
  bars->setWidth(0.6);
  bars->setData(ticks, values, true);
  duration_->xAxis->setRange(0, static_cast<double>(perSlot.size()) + 1);
  duration_->yAxis->setRange(0, values.isEmpty() ? 1 : *std::max_element(values.begin(), values.end()) * 1.2);
  duration_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace gizrig::gui
