#pragma once
// The QA view (issue 6): the suites and scenarios of fixtures/ as a checkable tree (name, tags, clauses),
// a run of the selection in virtual time or in real time against a lab of its own per scenario, on a worker
// thread (progress, cancel - in real time also inside a scenario -, live log), the results with
// clause tags and PASS/FAIL/ERROR colours, the records database's history, and JUnit / JSON / HTML export.
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
class QTreeWidgetItem;

namespace gizrig::gui {

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
  void cancel();
  [[nodiscard]] bool isRunning() const { return running_; }
  [[nodiscard]] const std::vector<core::RunRecord>& results() const { return results_; }
  // This session's results to a file: one JUnit document, a JSON array of run documents, or the HTML report.
  bool exportResults(const QString& path, ExportFormat format, QString& error) const;
  void refreshHistory();

  [[nodiscard]] QTreeWidget* tree() const { return tree_; }
  [[nodiscard]] QTableWidget* resultsTable() const { return resultsTable_; }
  [[nodiscard]] QTableWidget* historyTable() const { return history_; }
  [[nodiscard]] QPlainTextEdit* log() const { return log_; }
  [[nodiscard]] QLabel* summary() const { return summary_; }

 signals:
  void runFinished(bool cancelled);

 private:
  void addResult(const core::RunRecord& record);
  void onFinished(bool cancelled);
  void exportWithDialog(ExportFormat format);
  QTreeWidgetItem* scenarioItem(QTreeWidgetItem* parent, const QString& file);

  GuiContext& context_;
  QTreeWidget* tree_;
  QComboBox* mode_;
  QPushButton* runButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* summary_;
  QTabWidget* tabs_;
  QTableWidget* resultsTable_;
  QPlainTextEdit* log_;
  QTableWidget* history_;
  QThread thread_;
  QaRunner* runner_;
  bool running_ = false;
  std::vector<core::RunRecord> results_;
};

}  // namespace gizrig::gui
