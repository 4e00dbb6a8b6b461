#include "app/main_window.h"

#include <QLabel>
#include <QTabWidget>

#include "views/operator_view.h"

// The QA and engineer views come from another work stream; until their headers exist the tabs say so.
#if __has_include("views/engineer_view.h")
#include "views/engineer_view.h"
#define GIZRIG_GUI_HAS_ENGINEER_VIEW 1
#endif
#if __has_include("views/qa_view.h")
#include "views/qa_view.h"
#define GIZRIG_GUI_HAS_QA_VIEW 1
#endif

namespace gizrig::gui {

namespace {
[[maybe_unused]] QWidget* placeholder(const QString& text) {
  auto* label = new QLabel(text);
  label->setAlignment(Qt::AlignCenter);
  return label;
}
}  // namespace

MainWindow::MainWindow(GuiContext& context, QWidget* parent) : QMainWindow(parent), context_(context) {
  setWindowTitle(tr("gizrig - GAgent test rig"));
  tabs_ = new QTabWidget(this);
  tabs_->addTab(new OperatorView(context_), tr("Operator"));
#ifdef GIZRIG_GUI_HAS_QA_VIEW
  tabs_->addTab(new QaView(context_), tr("QA"));
#else
  tabs_->addTab(placeholder(tr("The QA view is not built yet.")), tr("QA"));
#endif
#ifdef GIZRIG_GUI_HAS_ENGINEER_VIEW
  tabs_->addTab(new EngineerView(context_), tr("Engineer"));
#else
  tabs_->addTab(placeholder(tr("The engineer view is not built yet.")), tr("Engineer"));
#endif
  setCentralWidget(tabs_);
  resize(1200, 800);
}

}  // namespace gizrig::gui
