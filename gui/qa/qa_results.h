#pragma once
// The QA view's results (issue 13): one row per scenario of the run, queued, then running with its steps'
// progress, then its outcome; under it its steps with value, limits and unit (a step with several
// measurements has one row per measurement under it), clauses, duration and message. Below the tree a detail
// pane shows the selected row in full, wrapped - the first failing step is selected by itself, so the reason
// is readable without scrolling. The duration column says whether it is wall or virtual time.

#include <QStringList>
#include <QWidget>
#include <vector>

#include "gizrig/records/run_record.h"
#include "qa/qa_runner.h"

class QLabel;
class QProgressBar;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace gizrig::gui {

class QaResults : public QWidget {
  Q_OBJECT
 public:
  enum Column : std::uint8_t {
    kName,
    kOutcome,
    kProgress,
    kValue,
    kLimits,
    kUnit,
    kClauses,
    kDuration,
    kMessage
  };

  explicit QaResults(QWidget* parent = nullptr);

  // A new run of `files`: a queued row each.
  void begin(const QStringList& files, QaRunMode mode);
  void scenarioStarted(int index);
  void scenarioSteps(int index, int steps);
  void stepDone(int index, int done);
  void finished(int index, const core::RunRecord& record);
  // Rows still queued when the run stopped (a cancel): "not run".
  void markNotRun();

  [[nodiscard]] QTreeWidget* tree() const { return tree_; }
  [[nodiscard]] QTextBrowser* detail() const { return detail_; }
  [[nodiscard]] QLabel* timeNote() const { return timeNote_; }
  [[nodiscard]] QProgressBar* progress(int index) const;
  [[nodiscard]] QTreeWidgetItem* scenarioRow(int index) const;

 private:
  void showDetail(QTreeWidgetItem* item);

  QTreeWidget* tree_;
  QTextBrowser* detail_;
  QLabel* timeNote_;
  std::vector<QProgressBar*> bars_;
};

// "3.3 .. 3.6", ">= 3", "<= 3000"; "" without limits.
[[nodiscard]] QString limitsText(const core::Measurement& measurement);

}  // namespace gizrig::gui
