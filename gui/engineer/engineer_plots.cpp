#include "engineer/engineer_plots.h"

#include <qcustomplot.h>
#include <QGridLayout>

#include "shared/plot_math.h"

namespace gizrig::gui {

namespace {

QCustomPlot* makePlot(QWidget* parent, const QString& title, const QString& x, const QString& y,
                      const QString& hint) {
  auto* plot = new QCustomPlot(parent);
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(
      0, 0, new QCPTextElement(plot, title, QFont(QStringLiteral("sans"), 10, QFont::Bold)));
  plot->xAxis->setLabel(x);
  plot->yAxis->setLabel(y);
  plot->setMinimumSize(260, 180);
  auto* note = new QCPItemText(plot);
  note->setObjectName(QStringLiteral("noData"));
  note->position->setType(QCPItemPosition::ptAxisRectRatio);
  note->position->setCoords(0.5, 0.5);
  note->setPositionAlignment(Qt::AlignCenter);
  note->setTextAlignment(Qt::AlignCenter);
  note->setColor(QColor(0x70, 0x70, 0x70));
  note->setText(QObject::tr("no data yet\n%1").arg(hint));
  return plot;
}

QCPItemText* noteOf(const QCustomPlot* plot) {
  for (int i = 0; i < plot->itemCount(); ++i)
    if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)); text && text->objectName() == "noData")
      return text;
  return nullptr;
}

// Empty: the note instead of axes (empty axes read as "zero", which is wrong); else the axes, ranged.
void showData(QCustomPlot* plot, bool any) {
  noteOf(plot)->setVisible(!any);
  plot->xAxis->setVisible(any);
  plot->yAxis->setVisible(any);
}

void setRange(QCPAxis* axis, const plotmath::AxisRange& range) {
  axis->setRange(range.lower, range.upper);
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
      signal_(makePlot(this, tr("Signal level (status bits 8-10)"), tr("time (s)"), tr("level 0-7"),
                       tr("the module's status pushes (0x0D)"))),
      heartbeat_(makePlot(this, tr("Heartbeat intervals"), tr("heartbeat #"), tr("interval (s)"),
                          tr("two heartbeats (0x07) make the first interval"))),
      latency_(makePlot(this, tr("Control round trip"), tr("latency (ms)"), tr("count"),
                        tr("the phone's controls and reads (App / cloud events)"))),
      duration_(makePlot(this, tr("Test duration per slot"), tr("slot"), tr("mean duration (s)"),
                         tr("finished production runs in the records"))) {
  signal_->addGraph();
  signal_->graph(0)->setLineStyle(QCPGraph::lsStepLeft);
  signal_->graph(0)->setPen(QPen(QColor(0x1d, 0x7a, 0x2c), 2));
  // Discs on the samples: a lone sample, or level 0 on the axis line, is still seen.
  signal_->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
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
  clear();
  setRuns({});
}

bool EngineerPlots::showsNoData(const QCustomPlot* plot) {
  const QCPItemText* note = noteOf(plot);
  return note != nullptr && note->visible() && !plot->xAxis->visible();
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
  showData(signal_, !series.x.isEmpty());
  // A minute at least: one sample is a point at the left, not a line across the whole plot.
  if (!series.x.isEmpty())
    setRange(signal_->xAxis, plotmath::axisRange(series.x.first(), series.x.last(), 60));
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
  showData(heartbeat_, !y.isEmpty());
  if (!y.isEmpty()) {
    setRange(heartbeat_->xAxis, plotmath::axisRange(1, static_cast<double>(y.size()), 5, 0.0));
    // Headroom above the longest interval, so its point is not drawn on the frame.
    setRange(heartbeat_->yAxis, plotmath::axisRange(0, *std::max_element(y.begin(), y.end()) * 1.1, 1, 0.0));
  }
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
  showData(latency_, !h.counts.isEmpty());
  if (!h.counts.isEmpty()) {
    const double end = h.origin + h.width * static_cast<double>(h.counts.size());
    setRange(latency_->xAxis, plotmath::axisRange(h.origin, end, 5 * h.width, 0.0));
    setRange(latency_->yAxis,
             plotmath::axisRange(0, *std::max_element(h.counts.begin(), h.counts.end()), 1, 0.0));
  }
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
  showData(duration_, !values.isEmpty());
  duration_->xAxis->setRange(0, static_cast<double>(perSlot.size()) + 1);
  if (!values.isEmpty())
    setRange(duration_->yAxis,
             plotmath::axisRange(0, *std::max_element(values.begin(), values.end()), 1, 0.0));
  duration_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace gizrig::gui
