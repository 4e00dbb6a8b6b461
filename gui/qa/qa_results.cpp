#include "qa/qa_results.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "shared/outcome_colour.h"

namespace gizrig::gui {

namespace {

constexpr int kDetailRole = Qt::UserRole + 1;  // the row's full text for the detail pane

void paint(QTreeWidgetItem* item, std::optional<core::Outcome> outcome) {
  for (int c = 0; c < item->columnCount(); ++c) item->setBackground(c, outcomeColour(outcome));
}

void setMeasurement(QTreeWidgetItem* item, const core::Measurement& m) {
  QString value = core::measurementValueText(m);
  if (!m.unit.isEmpty() && value.endsWith(QStringLiteral(" ") + m.unit)) value.chop(m.unit.size() + 1);
  item->setText(QaResults::kValue, value);  // the unit has its own column
  item->setText(QaResults::kLimits, limitsText(m));
  item->setText(QaResults::kUnit, m.unit);
}

QString measurementLine(const core::Measurement& m) {
  QString line = QStringLiteral("%1 = %2").arg(m.name, core::measurementValueText(m));
  if (!limitsText(m).isEmpty()) line += QStringLiteral("  (limits %1)").arg(limitsText(m));
  return line + QStringLiteral("  %1").arg(core::outcomeName(m.verdict));
}

}  // namespace

QString limitsText(const core::Measurement& m) {
  const auto n = [](double v) { return QString::number(v, 'g', 6); };
  if (m.low && m.high) return QStringLiteral("%1 .. %2").arg(n(*m.low), n(*m.high));
  if (m.low) return QStringLiteral(">= %1").arg(n(*m.low));
  if (m.high) return QStringLiteral("<= %1").arg(n(*m.high));
  return {};
}

QaResults::QaResults(QWidget* parent)
    : QWidget(parent),
      tree_(new QTreeWidget(this)),
      detail_(new QTextBrowser(this)),
      timeNote_(new QLabel(this)) {
  tree_->setHeaderLabels({tr("Scenario / step"), tr("Outcome"), tr("Progress"), tr("Value"), tr("Limits"),
                          tr("Unit"), tr("Clauses"), tr("Duration (ms)"), tr("Message")});
  // Fixed columns that fit the tab, the message takes what is left (elided; the detail pane has it whole):
  // no horizontal scroll bar.
  tree_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  QHeaderView* header = tree_->header();
  header->setStretchLastSection(true);
  header->setMinimumSectionSize(40);
  const int widths[] = {220, 60, 90, 60, 130, 40, 60, 80};
  for (int c = 0; c < 8; ++c) tree_->setColumnWidth(c, widths[c]);
  tree_->setAlternatingRowColors(false);
  detail_->setOpenLinks(false);
  detail_->setPlaceholderText(tr("Select a row: its message and measurements in full."));
  timeNote_->setWordWrap(true);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tree_);
  split->addWidget(detail_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(timeNote_);
  layout->addWidget(split, 1);
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) { showDetail(item); });
}

void QaResults::begin(const QStringList& files, QaRunMode mode) {
  tree_->clear();
  bars_.clear();
  detail_->clear();
  const bool virtualTime = mode == QaRunMode::VirtualTime;
  tree_->headerItem()->setText(kDuration, virtualTime ? tr("Virtual ms") : tr("Wall ms"));
  timeNote_->setText(virtualTime
                         ? tr("Durations are virtual time: the simulated clock of the run, not the time "
                              "you waited (a 2-hour rule takes milliseconds).")
                         : tr("Durations are wall time: real seconds against the lab's modules."));
  for (const QString& file : files) {
    auto* row = new QTreeWidgetItem(tree_);
    row->setText(kName, QFileInfo(file).fileName());
    row->setText(kOutcome, tr("queued"));
    auto* bar = new QProgressBar(tree_);
    bar->setRange(0, 1);
    bar->setValue(0);
    bar->setFormat(tr("%v / %m steps"));
    bar->setMaximumHeight(18);
    tree_->setItemWidget(row, kProgress, bar);
    bars_.push_back(bar);
  }
}

QTreeWidgetItem* QaResults::scenarioRow(int index) const {
  return tree_->topLevelItem(index);
}

QProgressBar* QaResults::progress(int index) const {
  return index >= 0 && index < static_cast<int>(bars_.size()) ? bars_[static_cast<std::size_t>(index)]
                                                              : nullptr;
}

void QaResults::scenarioStarted(int index) {
  if (QTreeWidgetItem* row = scenarioRow(index)) row->setText(kOutcome, tr("running"));
}

void QaResults::scenarioSteps(int index, int steps) {
  if (QProgressBar* bar = progress(index)) bar->setRange(0, std::max(1, steps));
}

void QaResults::stepDone(int index, int done) {
  if (QProgressBar* bar = progress(index)) bar->setValue(std::min(done, bar->maximum()));
}

void QaResults::finished(int index, const core::RunRecord& record) {
  QTreeWidgetItem* row = scenarioRow(index);
  if (row == nullptr) return;
  row->setText(kName, record.scenario);
  row->setToolTip(kName, record.scenario);
  row->setText(kOutcome, record.outcome ? core::outcomeName(*record.outcome) : tr("UNFINISHED"));
  row->setText(kDuration,
               record.finishedMs ? QString::number(*record.finishedMs - record.startedMs) : QString());
  row->setText(kMessage, record.failingMessage);
  row->setToolTip(kMessage, record.failingMessage);
  row->setData(kName, kDetailRole,
               tr("<b>%1</b>: %2<br>%3")
                   .arg(record.scenario.toHtmlEscaped(), row->text(kOutcome),
                        record.failingStep.isEmpty() ? QString()
                                                     : tr("failing step <b>%1</b>: %2")
                                                           .arg(record.failingStep.toHtmlEscaped(),
                                                                record.failingMessage.toHtmlEscaped())));
  QFont bold = tree_->font();
  bold.setBold(true);
  for (int c = 0; c < tree_->columnCount(); ++c) row->setFont(c, bold);
  paint(row, record.outcome);
  QTreeWidgetItem* firstBad = nullptr;
  for (const core::StepRecord& step : record.steps) {
    auto* child = new QTreeWidgetItem(row);
    child->setText(kName, step.name);
    child->setText(kOutcome, core::outcomeName(step.outcome));
    child->setText(kClauses, step.clauses.join(QStringLiteral(", ")));
    child->setText(kDuration, QString::number(step.durationMs));
    child->setText(kMessage, step.message);
    child->setToolTip(kMessage, step.message);
    QStringList lines{tr("<b>%1</b> / <b>%2</b>: %3")
                          .arg(record.scenario.toHtmlEscaped(), step.name.toHtmlEscaped(),
                               core::outcomeName(step.outcome))};
    if (!step.message.isEmpty()) lines << step.message.toHtmlEscaped();
    if (step.measurements.size() == 1) setMeasurement(child, step.measurements.front());
    for (const core::Measurement& m : step.measurements) {
      lines << measurementLine(m).toHtmlEscaped();
      if (step.measurements.size() == 1) continue;
      auto* sub = new QTreeWidgetItem(child);
      sub->setText(kName, m.name);
      sub->setText(kOutcome, core::outcomeName(m.verdict));
      setMeasurement(sub, m);
      paint(sub, m.verdict);
    }
    child->setData(kName, kDetailRole, lines.join(QStringLiteral("<br>")));
    paint(child, step.outcome);
    if (!firstBad && step.outcome != core::Outcome::Pass) firstBad = child;
  }
  if (QProgressBar* bar = progress(index))
    bar->setValue(std::min(static_cast<int>(record.steps.size()), bar->maximum()));
  if (firstBad) {
    // The reason, readable at once: the failing step opened and selected, its message in the detail pane.
    row->setExpanded(true);
    tree_->setCurrentItem(firstBad);
  }
  tree_->scrollToItem(firstBad ? firstBad : row);
}

void QaResults::markNotRun() {
  for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
    QTreeWidgetItem* row = tree_->topLevelItem(i);
    if (row->text(kOutcome) == tr("queued")) row->setText(kOutcome, tr("not run"));
  }
}

void QaResults::showDetail(QTreeWidgetItem* item) {
  // A measurement row shows its step's detail.
  while (item && item->data(kName, kDetailRole).toString().isEmpty() && item->parent()) item = item->parent();
  detail_->setHtml(item ? item->data(kName, kDetailRole).toString() : QString());
}

}  // namespace gizrig::gui
