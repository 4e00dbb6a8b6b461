#include "app/main_window.h"

#include <QTabWidget>

#include "views/engineer_view.h"
#include "views/operator_view.h"
#include "views/qa_view.h"

namespace gizrig::gui {

MainWindow::MainWindow(GuiContext& context, QWidget* parent) : QMainWindow(parent), context_(context) {
  setWindowTitle(tr("gizrig - GAgent test rig"));
  tabs_ = new QTabWidget(this);
  tabs_->addTab(new OperatorView(context_), tr("Operator"));
  tabs_->addTab(new QaView(context_), tr("QA"));
  tabs_->addTab(new EngineerView(context_), tr("Engineer"));
  setCentralWidget(tabs_);
  resize(1200, 800);
}

}  // namespace gizrig::gui
