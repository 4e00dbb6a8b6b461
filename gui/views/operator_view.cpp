#include "views/operator_view.h"

#include <QLabel>
#include <QVBoxLayout>

namespace gizrig::gui {

OperatorView::OperatorView(GuiContext& context, QWidget* parent) : QWidget(parent), context_(context) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Operator view")));
}

}  // namespace gizrig::gui
