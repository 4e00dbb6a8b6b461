#pragma once
// The operator view's right side: this station's counters since the shift start (from the records; this
// session's on a last line) with the first-pass yield ("-" before any DUT was judged), and the last results,
// newest first, each with its time, wrapped to the panel's width (never a horizontal scroll bar).

#include <QWidget>

class QLabel;
class QListWidget;

namespace gizrig::gui {

class OperatorStation;

class OperatorResultsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit OperatorResultsPanel(const OperatorStation& station, QWidget* parent = nullptr);
  void refresh();
  [[nodiscard]] QLabel* counters() const { return counters_; }
  [[nodiscard]] QListWidget* lastResults() const { return results_; }

 private:
  const OperatorStation& station_;
  QLabel* counters_;
  QListWidget* results_;
};

}  // namespace gizrig::gui
