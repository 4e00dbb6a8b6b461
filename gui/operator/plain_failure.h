#pragma once
// The failing step of a production run in words an operator understands, with what to do about it. The
// engineer's text (step name, message) stays in the records; this is only what the tile says.

#include <QString>

namespace gizrig::gui {

// `step` is a ProductionSequence phase name ("join_test_router"), `message` its failing message. An unknown
// step still gets a readable sentence.
[[nodiscard]] QString plainFailure(const QString& step, const QString& message);

}  // namespace gizrig::gui
