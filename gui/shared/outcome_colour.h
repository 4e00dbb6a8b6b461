#pragma once
// The background of a row or cell that shows an outcome, the same in every view (QA results, history).

#include <QColor>
#include <optional>

#include "gizrig/records/run_record.h"

namespace gizrig::gui {

// Pale green / red / amber / blue / grey for PASS / FAIL / ERROR / SKIPPED / ABORTED; lighter grey while the
// outcome is not known yet.
[[nodiscard]] QColor outcomeColour(std::optional<core::Outcome> outcome);

}  // namespace gizrig::gui
