#pragma once
// The console's detail pane (issue 13): the selected frame in full - name, direction, time, the checksum
// verdict with the fault the rig injected, one field a line, and the raw bytes 16 to a line with offsets - so
// long frames (a 0x02 is over 60 bytes) are read without widening the table's Raw hex column.

#include <QPlainTextEdit>
#include <QString>

#include "gizrig/plugs/mcu_capture.h"

namespace gizrig::gui {

// The pane's text for `entry` (tested without a display).
[[nodiscard]] QString frameDetailText(const core::FrameLogEntry& entry);

class FrameDetailPane : public QPlainTextEdit {
  Q_OBJECT
 public:
  explicit FrameDetailPane(QWidget* parent = nullptr);
  // Null: nothing selected (the pane says how to fill it).
  void showFrame(const core::FrameLogEntry* entry);
};

}  // namespace gizrig::gui
