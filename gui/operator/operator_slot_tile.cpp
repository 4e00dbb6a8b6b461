#include "operator/operator_slot_tile.h"

#include <QAction>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace gizrig::gui {

OperatorSlotTile::OperatorSlotTile(QWidget* parent)
    : QFrame(parent),
      title_(new QLabel(this)),
      verdict_(new QLabel(this)),
      dut_(new QLabel(this)),
      step_(new QLabel(this)),
      progress_(new QProgressBar(this)),
      failure_(new QLabel(this)) {
  setFrameShape(QFrame::Box);
  setMinimumSize(260, 190);
  setAutoFillBackground(true);
  auto* layout = new QVBoxLayout(this);
  QFont big = verdict_->font();
  big.setPointSize(28);
  big.setBold(true);
  verdict_->setFont(big);
  verdict_->setAlignment(Qt::AlignCenter);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  failure_->setWordWrap(true);
  progress_->setRange(0, 100);
  layout->addWidget(title_);
  layout->addWidget(verdict_, 1);
  layout->addWidget(dut_);
  layout->addWidget(step_);
  layout->addWidget(progress_);
  layout->addWidget(failure_);
  // For the engineer at the line: the slot's serial console, one right click away.
  engineerAction_ = new QAction(tr("Open in engineer view"), this);
  connect(engineerAction_, &QAction::triggered, this, &OperatorSlotTile::engineerRequested);
  addAction(engineerAction_);
  setContextMenuPolicy(Qt::ActionsContextMenu);
}

void OperatorSlotTile::display(const SlotTile& tile) {
  state_ = tile.state();
  QPalette p = palette();
  p.setColor(QPalette::Window, tileColour(tile.state()));
  p.setColor(QPalette::WindowText, tile.state() == TileState::Fail || tile.state() == TileState::Error
                                       ? QColor(Qt::white)
                                       : QColor(Qt::black));
  setPalette(p);
  title_->setText(tr("Slot %1").arg(tile.name()));
  verdict_->setText(tileStateName(tile.state()));
  dut_->setText(tr("MAC %1   Serial %2")
                    .arg(tile.mac().isEmpty() ? QStringLiteral("-") : tile.mac(),
                         tile.serial().isEmpty() ? QStringLiteral("-") : tile.serial()));
  step_->setText(tile.state() != TileState::Running      ? QString()
                 : tile.step() == QLatin1String("flash") ? tile.stepText()
                                                         : tr("Step: %1").arg(tile.stepText()));
  progress_->setValue(tile.progressPercent());
  failure_->setText(tile.failureText());
}

}  // namespace gizrig::gui
