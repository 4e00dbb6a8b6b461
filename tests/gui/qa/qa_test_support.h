#pragma once
// Shared checks of the QA view's tests: the results after one scenario ran.

#include <gtest/gtest.h>

#include <QTreeWidget>

#include "gizrig/records/run_record.h"
#include "qa/qa_results.h"
#include "qa/qa_view.h"

namespace gui_b_test {

// One scenario row saying PASS with a row per step under it; some step carries `clause` in its clauses
// column.
inline void expectResultsShowAPassWithClause(const gizrig::gui::QaView& view,
                                             const gizrig::core::RunRecord& record, const QString& clause) {
  using gizrig::gui::QaResults;
  const QTreeWidget* tree = view.resultsView()->tree();
  ASSERT_EQ(tree->topLevelItemCount(), 1);
  const QTreeWidgetItem* scenario = tree->topLevelItem(0);
  EXPECT_EQ(scenario->text(QaResults::kOutcome), "PASS");
  ASSERT_EQ(scenario->childCount(), static_cast<int>(record.steps.size()));
  bool clauseShown = false;
  for (int r = 0; r < scenario->childCount(); ++r)
    clauseShown |= scenario->child(r)->text(QaResults::kClauses).contains(clause);
  EXPECT_TRUE(clauseShown) << clause.toStdString();
}

}  // namespace gui_b_test
