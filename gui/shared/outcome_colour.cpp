#include "shared/outcome_colour.h"

namespace gizrig::gui {

QColor outcomeColour(std::optional<core::Outcome> outcome) {
  if (!outcome) return QColor(0xee, 0xee, 0xee);
  switch (*outcome) {
    case core::Outcome::Pass:
      return QColor(0xc8, 0xf0, 0xc8);
    case core::Outcome::Fail:
      return QColor(0xf8, 0xc8, 0xc8);
    case core::Outcome::Error:
      return QColor(0xf8, 0xe0, 0xa0);
    case core::Outcome::Skipped:
      return QColor(0xe0, 0xe0, 0xf0);
    case core::Outcome::Aborted:
      return QColor(0xd8, 0xd8, 0xd8);
  }
  return {};
}

}  // namespace gizrig::gui
