#include "qa/qa_view.h"

#include <QBrush>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "gizrig/records/record_outputs.h"
#include "gizrig/records/sql_record_store.h"
#include "qa/qa_results.h"
#include "qa/qa_scenario_tree.h"
#include "shared/outcome_colour.h"

namespace gizrig::gui {

namespace {

void setRow(QTableWidget* table, int row, const QStringList& cells, const QColor& background) {
  for (int c = 0; c < cells.size(); ++c) {
    auto* item = new QTableWidgetItem(cells[c]);
    item->setBackground(background);
    table->setItem(row, c, item);
  }
}

}  // namespace

QaView::QaView(GuiContext& context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      scenarios_(new QaScenarioTree(context.fixturesDir, this)),
      mode_(new QComboBox(this)),
      runButton_(new QPushButton(tr("Run selected"), this)),
      rerunButton_(new QPushButton(tr("Rerun failed"), this)),
      cancelButton_(new QPushButton(tr("Cancel"), this)),
      progress_(new QProgressBar(this)),
      summary_(new QLabel(this)),
      tabs_(new QTabWidget(this)),
      resultsView_(new QaResults(this)),
      log_(new QPlainTextEdit(this)),
      history_(new QTableWidget(0, 6, this)),
      runner_(new QaRunner) {
  qRegisterMetaType<gizrig::core::RunRecord>();
  history_->setHorizontalHeaderLabels(
      {tr("Started"), tr("Scenario"), tr("Station"), tr("Mode"), tr("Outcome"), tr("Failing step")});
  history_->horizontalHeader()->setStretchLastSection(true);
  history_->verticalHeader()->setVisible(false);
  history_->verticalHeader()->setDefaultSectionSize(20);
  history_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  history_->setColumnWidth(0, 150);
  history_->setColumnWidth(1, 220);
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(20000);
  cancelButton_->setEnabled(false);
  rerunButton_->setEnabled(false);
  rerunButton_->setToolTip(tr("Run again the scenarios of the last run that did not pass"));
  summary_->setWordWrap(true);
  progress_->setRange(0, 1);
  progress_->setValue(0);
  mode_->addItem(tr("Virtual time"), QVariant::fromValue(static_cast<int>(QaRunMode::VirtualTime)));
  mode_->addItem(tr("Real time (lab)"), QVariant::fromValue(static_cast<int>(QaRunMode::RealTime)));
  mode_->setToolTip(
      tr("Virtual time: a simulated world, a scenario in well under a second.\n"
         "Real time: a lab of its own per scenario (gagent-sim on a pty, gagent-air, "
         "mosquitto), as `gizrig run --sim`; seconds to minutes per scenario."));

  auto* reload = new QPushButton(tr("Reload fixtures"), this);
  auto* junit = new QPushButton(tr("Export JUnit…"), this);
  auto* json = new QPushButton(tr("Export JSON…"), this);
  auto* html = new QPushButton(tr("Export HTML…"), this);
  auto* refresh = new QPushButton(tr("Refresh history"), this);
  connect(reload, &QPushButton::clicked, this, &QaView::reloadFixtures);
  connect(runButton_, &QPushButton::clicked, this, &QaView::runSelected);
  connect(rerunButton_, &QPushButton::clicked, this, &QaView::rerunFailed);
  connect(cancelButton_, &QPushButton::clicked, this, &QaView::cancel);
  connect(junit, &QPushButton::clicked, this, [this] { exportWithDialog(ExportFormat::Junit); });
  connect(json, &QPushButton::clicked, this, [this] { exportWithDialog(ExportFormat::Json); });
  connect(html, &QPushButton::clicked, this, [this] { exportWithDialog(ExportFormat::Html); });
  connect(refresh, &QPushButton::clicked, this, &QaView::refreshHistory);

  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(scenarios_, 1);
  auto* runRow = new QHBoxLayout;
  runRow->addWidget(reload);
  runRow->addWidget(mode_);
  runRow->addWidget(runButton_, 1);
  auto* runRow2 = new QHBoxLayout;
  runRow2->addWidget(rerunButton_, 1);
  runRow2->addWidget(cancelButton_);
  leftLayout->addLayout(runRow);
  leftLayout->addLayout(runRow2);
  leftLayout->addWidget(progress_);

  auto* historyPage = new QWidget(this);
  auto* historyLayout = new QVBoxLayout(historyPage);
  historyLayout->addWidget(refresh, 0, Qt::AlignLeft);
  historyLayout->addWidget(history_, 1);
  tabs_->addTab(resultsView_, tr("Results"));
  tabs_->addTab(log_, tr("Live log"));
  tabs_->addTab(historyPage, tr("History"));

  auto* right = new QWidget(this);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  auto* exportRow = new QHBoxLayout;
  exportRow->addWidget(summary_, 1);
  exportRow->addWidget(junit);
  exportRow->addWidget(json);
  exportRow->addWidget(html);
  rightLayout->addLayout(exportRow);
  rightLayout->addWidget(tabs_, 1);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(0, 1);  // the results need the room: eight columns and the message
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);

  runner_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, runner_, &QObject::deleteLater);
  connect(runner_, &QaRunner::scenarioStarted, this, [this](int index, int total, const QString& file) {
    progress_->setRange(0, total);
    progress_->setValue(index);
    progress_->setFormat(tr("%1 / %2  %3").arg(index + 1).arg(total).arg(QFileInfo(file).fileName()));
    resultsView_->scenarioStarted(index);
  });
  connect(runner_, &QaRunner::scenarioSteps, resultsView_, &QaResults::scenarioSteps);
  connect(runner_, &QaRunner::stepFinished, resultsView_, &QaResults::stepDone);
  connect(runner_, &QaRunner::scenarioFinished, this, [this](int index, const core::RunRecord& record) {
    progress_->setValue(index + 1);
    results_.push_back(record);
    resultsView_->finished(index, record);
    if (record.outcome != core::Outcome::Pass && index < runFiles_.size()) failedFiles_ << runFiles_[index];
  });
  connect(runner_, &QaRunner::logLine, log_, &QPlainTextEdit::appendPlainText);
  connect(runner_, &QaRunner::finished, this, &QaView::onFinished);
  thread_.start();

  reloadFixtures();
  refreshHistory();
}

QaView::~QaView() {
  runner_->cancel();
  thread_.quit();
  // At most the scenario in progress: virtual time well under a second; real time sees the cancel within
  // 50 ms and then stops its lab (a few seconds at worst).
  thread_.wait();
}

QTreeWidget* QaView::tree() const {
  return scenarios_->tree();
}

void QaView::reloadFixtures() {
  scenarios_->reload();
}

void QaView::selectScenarios(const QStringList& fileNames) {
  scenarios_->select(fileNames);
}

QStringList QaView::selectedScenarioFiles() const {
  return scenarios_->selectedFiles();
}

void QaView::runSelected() {
  if (running_) return;
  const QStringList files = selectedScenarioFiles();
  if (files.isEmpty()) {
    summary_->setText(tr("check scenarios or a suite in the tree first"));
    return;
  }
  run(files);
}

void QaView::rerunFailed() {
  if (running_ || failedFiles_.isEmpty()) return;
  const QStringList files = failedFiles_;
  scenarios_->setFilter(QString(), QString());  // a filter must not hide what is rerun
  scenarios_->select(files);
  run(files);
}

void QaView::run(const QStringList& files) {
  const QaRunMode mode = runMode();
  running_ = true;
  results_.clear();
  runFiles_ = files;
  failedFiles_.clear();
  resultsView_->begin(files, mode);
  runButton_->setEnabled(false);
  rerunButton_->setEnabled(false);
  mode_->setEnabled(false);
  cancelButton_->setEnabled(true);
  progress_->setRange(0, static_cast<int>(files.size()));
  progress_->setValue(0);
  summary_->setText((mode == QaRunMode::RealTime ? tr("running %1 scenario(s) in real time…")
                                                 : tr("running %1 scenario(s) in virtual time…"))
                        .arg(files.size()));
  log_->appendPlainText(
      tr("=== %1: %2 scenario(s)").arg(QDateTime::currentDateTime().toString(Qt::ISODate)).arg(files.size()));
  runner_->rearm();
  QMetaObject::invokeMethod(
      runner_,
      [runner = runner_, files, fixtures = context_.fixturesDir, db = context_.recordsDb, mode] {
        runner->run(files, fixtures, db, mode);
      },
      Qt::QueuedConnection);
}

void QaView::cancel() {
  if (!running_) return;
  runner_->cancel();
  summary_->setText(runMode() == QaRunMode::RealTime ? tr("cancelling the scenario in progress…")
                                                     : tr("cancelling after the scenario in progress…"));
}

void QaView::setRunMode(QaRunMode mode) {
  mode_->setCurrentIndex(mode_->findData(static_cast<int>(mode)));
}

QaRunMode QaView::runMode() const {
  return static_cast<QaRunMode>(mode_->currentData().toInt());
}

void QaView::onFinished(bool cancelled) {
  running_ = false;
  resultsView_->markNotRun();
  rerunButton_->setEnabled(!failedFiles_.isEmpty());
  rerunButton_->setText(failedFiles_.isEmpty() ? tr("Rerun failed")
                                               : tr("Rerun failed (%1)").arg(failedFiles_.size()));
  runButton_->setEnabled(true);
  mode_->setEnabled(true);
  cancelButton_->setEnabled(false);
  int counts[5] = {0, 0, 0, 0, 0};  // by Outcome: PASS, FAIL, ERROR, SKIPPED, ABORTED
  for (const auto& record : results_)
    if (record.outcome) ++counts[static_cast<int>(*record.outcome)];
  QString summary = tr("%1PASS %2  FAIL %3  ERROR %4")
                        .arg(cancelled ? tr("cancelled — ") : QString())
                        .arg(counts[0])
                        .arg(counts[1])
                        .arg(counts[2]);
  if (counts[3] > 0) summary += tr("  SKIPPED %1").arg(counts[3]);
  if (counts[4] > 0) summary += tr("  ABORTED %1").arg(counts[4]);
  summary_->setText(summary);
  refreshHistory();
  emit runFinished(cancelled);
}

bool QaView::exportResults(const QString& path, ExportFormat format, QString& error) const {
  QByteArray bytes;
  switch (format) {
    case ExportFormat::Junit:
      bytes = core::toJunitXml(results_);
      break;
    case ExportFormat::Json: {
      QJsonArray runs;
      for (const auto& record : results_) runs.append(core::runToJson(record));
      bytes = QJsonDocument(runs).toJson(QJsonDocument::Indented);
      break;
    }
    case ExportFormat::Html:
      bytes = core::renderHtmlReport(results_, core::computeYield(results_)).toUtf8();
      break;
  }
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
    error = tr("cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

void QaView::exportWithDialog(ExportFormat format) {
  static const char* const filters[] = {"JUnit XML (*.xml)", "JSON (*.json)", "HTML (*.html)"};
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export results"), {}, tr(filters[static_cast<int>(format)]));
  if (path.isEmpty()) return;
  QString error;
  summary_->setText(exportResults(path, format, error) ? tr("exported %1").arg(path) : error);
}

void QaView::refreshHistory() {
  history_->setRowCount(0);
  if (context_.recordsDb.isEmpty()) return;
  QString error;
  auto store = core::SqlRecordStore::open(context_.recordsDb, &error);
  if (!store) {
    summary_->setText(tr("records: %1").arg(error));
    return;
  }
  core::RunQuery query;
  query.limit = 500;
  for (const auto& run : store->runs(query)) {
    const int row = history_->rowCount();
    history_->insertRow(row);
    setRow(history_, row,
           {QDateTime::fromMSecsSinceEpoch(run.startedMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
            run.scenario, run.station, core::runModeName(run.mode),
            run.outcome ? core::outcomeName(*run.outcome) : tr("UNFINISHED"), run.failingStep},
           outcomeColour(run.outcome));
  }
}

}  // namespace gizrig::gui
