#pragma once
// The main window: one tab per audience (Operator, QA, Engineer) over one shared GuiContext.

#include <QMainWindow>

#include "app/gui_context.h"

class QTabWidget;

namespace gizrig::gui {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(GuiContext& context, QWidget* parent = nullptr);

 private:
  GuiContext& context_;
  QTabWidget* tabs_ = nullptr;
};

}  // namespace gizrig::gui
