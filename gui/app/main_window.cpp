#include "app/main_window.h"

#include <QTabWidget>

#include "engineer/engineer_view.h"
#include "operator/operator_station.h"
#include "operator/operator_view.h"
#include "qa/qa_view.h"

namespace gizrig::gui {

MainWindow::MainWindow(GuiContext& context, QWidget* parent) : QMainWindow(parent), context_(context) {
  setWindowTitle(tr("gizrig - GAgent test rig"));
  tabs_ = new QTabWidget(this);
  auto* operatorView = new OperatorView(context_);
  auto* engineerView = new EngineerView(context_);
  tabs_->addTab(operatorView, tr("Operator"));
  auto* qaView = new QaView(context_);
  tabs_->addTab(qaView, tr("QA"));
  tabs_->addTab(engineerView, tr("Engineer"));
  connect(operatorView, &OperatorView::engineerRequested, this, [this, operatorView, engineerView](int slot) {
    core::McuPlug* plug = operatorView->station().slotMcu(slot);
    if (plug == nullptr) return;
    engineerView->attachMcu(plug, context_.clock);
    tabs_->setCurrentWidget(engineerView);
  });
  // "Test duration per slot" follows the records as runs finish, from either view (issue 13).
  connect(&operatorView->station(), &OperatorStation::resultsChanged, engineerView,
          &EngineerView::refreshRecords);
  connect(qaView, &QaView::runFinished, engineerView, &EngineerView::refreshRecords);
  setCentralWidget(tabs_);
  resize(1200, 800);
}

}  // namespace gizrig::gui
