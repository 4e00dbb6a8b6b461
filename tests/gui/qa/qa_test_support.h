#pragma once
// Shared checks of the QA view's tests: the results table after one scenario ran.

#include <gtest/gtest.h>

#include <QTableWidget>

#include "gizrig/records/run_record.h"
#include "qa/qa_view.h"

namespace gui_b_test {

// One row per step plus the scenario row, which says PASS; some row carries `clause` in its tags column.
inline void expectResultsShowAPassWithClause(const gizrig::gui::QaView& view,
                                             const gizrig::core::RunRecord& record, const QString& clause) {
  const auto* table = view.resultsTable();
  ASSERT_EQ(table->rowCount(), static_cast<int>(record.steps.size()) + 1);
  EXPECT_EQ(table->item(table->rowCount() - 1, 2)->text(), "PASS");
  bool clauseShown = false;
  for (int r = 0; r < table->rowCount(); ++r) clauseShown |= table->item(r, 3)->text().contains(clause);
  EXPECT_TRUE(clauseShown) << clause.toStdString();
}

}  // namespace gui_b_test
