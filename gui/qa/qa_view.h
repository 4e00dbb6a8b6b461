#pragma once
// The QA view (issues 6, 13): the suites and scenarios of fixtures/ as a checkable tree (name, tags, clauses)
// with a tag filter and a search, a run of the selection in virtual time or in real time against a lab of
// its own per scenario, on a worker thread (progress per scenario, cancel - in real time also inside a
// scenario -, live log), "Rerun failed", the results grouped by scenario with values, limits, units and a
// detail pane for the failure, the records database's history, and JUnit / JSON / HTML export.
// See docs/gui-qa.md.

#include <QStringList>
#include <QThread>
#include <QWidget>
#include <vector>

#include "app/gui_context.h"
#include "gizrig/records/run_record.h"
#include "qa/qa_runner.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTreeWidget;

namespace gizrig::gui {

class QaResults;
class QaScenarioTree;

class QaView : public QWidget {
  Q_OBJECT
 public:
  enum class ExportFormat : std::uint8_t { Junit, Json, Html };

  explicit QaView(gizrig::gui::GuiContext& context, QWidget* parent = nullptr);
  ~QaView() override;

  void reloadFixtures();
  // Checks the scenario items whose file name (e.g. "discovery.json") is in `fileNames`, unchecks the rest.
  void selectScenarios(const QStringList& fileNames);
  [[nodiscard]] QStringList selectedScenarioFiles() const;  // absolute paths, each once, in tree order
  // Virtual time (the default) or real time: the choice next to Run.
  void setRunMode(QaRunMode mode);
  [[nodiscard]] QaRunMode runMode() const;
  void runSelected();
  // The scenarios of the last run that did not PASS (FAIL, ERROR, not finished), checked and run again.
  void rerunFailed();
  void cancel();
  [[nodiscard]] bool isRunning() const { return running_; }
  [[nodiscard]] const std::vector<core::RunRecord>& results() const { return results_; }
  // This session's results to a file: one JUnit document, a JSON array of run documents, or the HTML report.
  bool exportResults(const QString& path, ExportFormat format, QString& error) const;
  void refreshHistory();

  [[nodiscard]] QTreeWidget* tree() const;
  [[nodiscard]] QaScenarioTree* scenarios() const { return scenarios_; }
  [[nodiscard]] QaResults* resultsView() const { return resultsView_; }
  [[nodiscard]] QPushButton* rerunFailedButton() const { return rerunButton_; }
  [[nodiscard]] QTableWidget* historyTable() const { return history_; }
  [[nodiscard]] QPlainTextEdit* log() const { return log_; }
  [[nodiscard]] QLabel* summary() const { return summary_; }

 signals:
  void runFinished(bool cancelled);

 private:
  void run(const QStringList& files);
  void onFinished(bool cancelled);
  void exportWithDialog(ExportFormat format);

  GuiContext& context_;
  QaScenarioTree* scenarios_;
  QComboBox* mode_;
  QPushButton* runButton_;
  QPushButton* rerunButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* summary_;
  QTabWidget* tabs_;
  QaResults* resultsView_;
  QPlainTextEdit* log_;
  QTableWidget* history_;
  QThread thread_;
  QaRunner* runner_;
  bool running_ = false;
  std::vector<core::RunRecord> results_;
  QStringList runFiles_;  // the files of the last run, by index: what "Rerun failed" picks from
  QStringList failedFiles_;
};

}  // namespace gizrig::gui
