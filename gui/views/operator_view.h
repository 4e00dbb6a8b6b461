#pragma once
// The operator's view of a production station: one large tile per slot, a scan field, yield counters.

#include <QWidget>

#include "app/gui_context.h"

namespace gizrig::gui {

class OperatorView : public QWidget {
  Q_OBJECT
 public:
  explicit OperatorView(GuiContext& context, QWidget* parent = nullptr);

 private:
  GuiContext& context_;
};

}  // namespace gizrig::gui
