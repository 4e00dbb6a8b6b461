#pragma once
// Statistics an engineer reads at a glance (issue 13): per measurement of the production test, a histogram
// of its values across the shift's finished runs at this station, its limits drawn as red lines, and the
// capability (Cpk with two-sided limits, Cpu/Cpl with one). Refreshed when a run finishes; a plot without
// values says "no data yet" instead of showing empty axes. The runs' steps come from the records (each run
// read once, then kept), or from this session's runs when no records database is open.

#include <QHash>
#include <QStringList>
#include <QUuid>
#include <QWidget>
#include <vector>

#include "gizrig/records/run_record.h"

class QCustomPlot;
class QCPTextElement;

namespace gizrig::core {
class RecordStore;
}

namespace gizrig::gui {

class OperatorStation;

class OperatorStats : public QWidget {
  Q_OBJECT
 public:
  explicit OperatorStats(OperatorStation& station, QWidget* parent = nullptr);

  void refresh();

  // What the tests (and a reader of a screenshot) check per measurement.
  [[nodiscard]] static QStringList measurementNames();
  [[nodiscard]] QCustomPlot* plot(const QString& measurement) const;
  [[nodiscard]] int sampleCount(const QString& measurement) const;
  // Where the limit lines are. A limit far outside the values is not on the axis (it would squash the bars);
  // its value is written at the plot's edge instead.
  [[nodiscard]] QList<double> limitLines(const QString& measurement) const;
  [[nodiscard]] bool limitOnScale(const QString& measurement, double limit) const;
  [[nodiscard]] QString summary(const QString& measurement) const;  // "n 12   mean 1350 ms   Cpu 2.10"
  [[nodiscard]] bool showsNoData(const QString& measurement) const;

 private:
  struct Values {
    QVector<double> values;
    std::optional<double> low;
    std::optional<double> high;
    QString unit;
  };
  [[nodiscard]] QHash<QString, Values> collect();
  void draw(const QString& name, const Values& values);

  OperatorStation& station_;
  QHash<QString, QCustomPlot*> plots_;
  QHash<QString, QCPTextElement*> subtitles_;
  QHash<QString, QString> summaries_;
  QHash<QString, int> counts_;
  // Measurements of finished runs read from the records, by run id: a run is read once per window.
  QHash<QUuid, std::vector<core::Measurement>> cache_;
};

}  // namespace gizrig::gui
