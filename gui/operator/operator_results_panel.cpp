#include "operator/operator_results_panel.h"

#include <QDateTime>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "operator/operator_station.h"
#include "operator/plain_failure.h"

namespace gizrig::gui {

namespace {
constexpr std::size_t kLastResults = 12;
}  // namespace

OperatorResultsPanel::OperatorResultsPanel(const OperatorStation& station, QWidget* parent)
    : QWidget(parent), station_(station), counters_(new QLabel(this)), results_(new QListWidget(this)) {
  QFont countersFont = counters_->font();
  countersFont.setPointSize(13);
  counters_->setFont(countersFont);
  counters_->setWordWrap(true);
  // Long reasons wrap instead of scrolling sideways: an operator reads them at a glance.
  results_->setWordWrap(true);
  results_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  results_->setResizeMode(QListView::Adjust);
  results_->setTextElideMode(Qt::ElideNone);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(counters_);
  layout->addWidget(new QLabel(tr("Last results (newest first)"), this));
  layout->addWidget(results_, 1);
}

void OperatorResultsPanel::refresh() {
  // The records are the truth (they survive a restart and count every session of this station); the session
  // line says what this window did.
  const YieldCounters c = station_.recorded().counters();
  const YieldCounters s = station_.session().counters();
  const QDateTime shift = QDateTime::fromMSecsSinceEpoch(station_.shiftStartMs());
  const QString since = shift.date() == QDate::currentDate() && shift.time() == QTime(0, 0)
                            ? tr("today")
                            : tr("since %1").arg(shift.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
  counters_->setText(tr("%1 %2\nTested %3\nPassed %4\nFailed %5\nFirst-pass yield %6\n"
                        "This session: %7 tested, %8 passed, %9 failed")
                         .arg(station_.config().station, since)
                         .arg(c.tested)
                         .arg(c.passed)
                         .arg(c.failed)
                         .arg(firstPassYieldText(c))
                         .arg(s.tested)
                         .arg(s.passed)
                         .arg(s.failed));
  results_->clear();
  const bool recordsOpen = station_.recordsOpen() && station_.recorded().error().isEmpty();
  // Newest result first: by when it finished (slots run side by side, so start order is not result order).
  std::vector<core::RunRecord> runs = recordsOpen ? station_.recorded().runs() : station_.session().runs();
  const auto resultAt = [](const core::RunRecord& run) { return run.finishedMs.value_or(run.startedMs); };
  std::stable_sort(runs.begin(), runs.end(), [&](const core::RunRecord& a, const core::RunRecord& b) {
    return resultAt(a) > resultAt(b);
  });
  if (runs.size() > kLastResults) runs.resize(kLastResults);
  for (const core::RunRecord& run : runs) {
    const QString verdict = run.outcome ? core::outcomeName(*run.outcome) : QStringLiteral("ERROR");
    const QString time = QDateTime::fromMSecsSinceEpoch(resultAt(run)).toString(QStringLiteral("HH:mm:ss"));
    QString line = QStringLiteral("%1  %2  slot %3  %4").arg(time, verdict, run.slot, run.dutKey());
    if (run.outcome != core::Outcome::Pass) line += " - " + plainFailure(run.failingStep, run.failingMessage);
    if (!run.duplicate.isEmpty()) line += tr(" - DUPLICATE: %1").arg(run.duplicate);
    auto* item = new QListWidgetItem(line, results_);
    item->setToolTip(line);
    item->setForeground(tileColour(run.outcome ? tileStateFor(*run.outcome) : TileState::Error).darker(130));
  }
}

}  // namespace gizrig::gui
