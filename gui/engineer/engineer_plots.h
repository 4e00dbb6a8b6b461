#pragma once
// The engineer's four plots (QCustomPlot): signal level over time (status word bits 8-10), heartbeat
// intervals, the app's control round-trip latency histogram, and test duration per slot from the records.
// The numbers come from plotmath (tested without a display); this class only draws. A plot with nothing to
// show says "no data yet" (and where its data come from) instead of drawing empty axes (issue 13).

#include <QList>
#include <QPair>
#include <QVector>
#include <QWidget>
#include <vector>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/records/run_record.h"

class QCustomPlot;
class QCPItemText;

namespace gizrig::gui {

class EngineerPlots : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerPlots(QWidget* parent = nullptr);

  void addStatus(core::RigMillis time, quint16 word);
  void addHeartbeat(core::RigMillis time);
  void addRoundTrip(core::RigMillis ms);
  void setRuns(const std::vector<core::RunRecord>& runs);
  void clear();

  [[nodiscard]] int statusSamples() const { return static_cast<int>(status_.size()); }
  [[nodiscard]] int heartbeats() const { return static_cast<int>(heartbeats_.size()); }
  [[nodiscard]] QCustomPlot* signalPlot() const { return signal_; }
  [[nodiscard]] QCustomPlot* heartbeatPlot() const { return heartbeat_; }
  [[nodiscard]] QCustomPlot* latencyPlot() const { return latency_; }
  [[nodiscard]] QCustomPlot* durationPlot() const { return duration_; }
  // True while `plot` shows its "no data yet" note instead of axes.
  [[nodiscard]] static bool showsNoData(const QCustomPlot* plot);

 private:
  void redrawSignal();
  void redrawHeartbeats();
  void redrawLatency();

  QCustomPlot* signal_;
  QCustomPlot* heartbeat_;
  QCustomPlot* latency_;
  QCustomPlot* duration_;
  QList<QPair<core::RigMillis, quint16>> status_;
  QList<core::RigMillis> heartbeats_;
  QVector<double> roundTrips_;
};

}  // namespace gizrig::gui
