#include "operator/operator_slot_tile.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace gizrig::gui {

namespace {
constexpr int kBlinkMs = 400;
const QColor kFailDark(0x6a, 0x08, 0x08);  // the blink's other phase: white text stays readable on both
}  // namespace

OperatorSlotTile::OperatorSlotTile(QWidget* parent)
    : QFrame(parent),
      title_(new QLabel(this)),
      verdict_(new QLabel(this)),
      dut_(new QLabel(this)),
      progress_(new QProgressBar(this)),
      readout_(new QLabel(this)),
      duplicate_(new QLabel(this)),
      failure_(new QLabel(this)),
      start_(new QPushButton(tr("Start"), this)),
      retest_(new QPushButton(tr("Retest"), this)),
      abort_(new QPushButton(tr("Abort"), this)),
      blink_(new QTimer(this)) {
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
  for (QLabel* label : {readout_, duplicate_, failure_}) label->setWordWrap(true);
  // The duplicate flag stands out on any tile colour: black on yellow.
  duplicate_->setStyleSheet(QStringLiteral("background: #ffe14d; color: black; padding: 2px;"));
  duplicate_->setVisible(false);
  progress_->setRange(0, 100);
  auto* buttons = new QHBoxLayout;
  for (QPushButton* button : {start_, retest_, abort_}) buttons->addWidget(button);
  layout->addWidget(title_);
  layout->addWidget(verdict_, 1);
  layout->addWidget(dut_);
  layout->addWidget(progress_);
  layout->addWidget(readout_);
  layout->addWidget(duplicate_);
  layout->addWidget(failure_);
  layout->addLayout(buttons);
  connect(start_, &QPushButton::clicked, this, &OperatorSlotTile::startRequested);
  connect(retest_, &QPushButton::clicked, this, &OperatorSlotTile::retestRequested);
  connect(abort_, &QPushButton::clicked, this, &OperatorSlotTile::abortRequested);
  blink_->setInterval(kBlinkMs);
  connect(blink_, &QTimer::timeout, this, [this] {
    blinkDark_ = !blinkDark_;
    paintState();
  });
  // For the engineer at the line: the slot's serial console, one right click away.
  engineerAction_ = new QAction(tr("Open in engineer view"), this);
  connect(engineerAction_, &QAction::triggered, this, &OperatorSlotTile::engineerRequested);
  addAction(engineerAction_);
  setContextMenuPolicy(Qt::ActionsContextMenu);
}

void OperatorSlotTile::display(const SlotTile& tile, const QStringList& readout) {
  if (tile.state() != TileState::Fail) acknowledge();
  state_ = tile.state();
  paintState();
  title_->setText(tr("Slot %1").arg(tile.name()));
  verdict_->setText(tile.verdictText());
  dut_->setText(tr("MAC %1   Serial %2")
                    .arg(tile.mac().isEmpty() ? QStringLiteral("-") : tile.mac(),
                         tile.serial().isEmpty() ? QStringLiteral("-") : tile.serial()));
  progress_->setValue(tile.progressPercent());
  const bool stopped = tile.state() == TileState::Fail || tile.state() == TileState::Error;
  progress_->setFormat(stopped && tile.stepTotal() > 0
                           ? tr("stopped at step %1 of %2").arg(tile.stepIndex() + 1).arg(tile.stepTotal())
                           : QStringLiteral("%p%"));
  readout_->setText(readout.join('\n'));
  readout_->setVisible(!readout.isEmpty());
  duplicate_->setText(tr("DUPLICATE: %1").arg(tile.duplicate()));
  duplicate_->setVisible(!tile.duplicate().isEmpty());
  QString failure = tile.failureText();
  if (tile.rejected())
    failure += tr("\nNo retests left: put the module in the reject bin.");
  else if (tile.state() == TileState::Fail && tile.retestsLeft())
    failure += tr("\nRetests left: %1").arg(*tile.retestsLeft());
  failure_->setText(failure);
  failure_->setVisible(!failure.isEmpty());
  start_->setEnabled(tile.free());
  retest_->setEnabled((tile.state() == TileState::Fail && !tile.rejected()) ||
                      tile.state() == TileState::Error);
  abort_->setEnabled(tile.state() == TileState::Running);
}

void OperatorSlotTile::startBlinking() {
  if (state_ != TileState::Fail) return;
  blinkDark_ = false;
  blink_->start();
}

void OperatorSlotTile::acknowledge() {
  blink_->stop();
  blinkDark_ = false;
  paintState();
}

bool OperatorSlotTile::blinking() const {
  return blink_->isActive();
}

QColor OperatorSlotTile::background() const {
  return palette().color(QPalette::Window);
}

void OperatorSlotTile::mousePressEvent(QMouseEvent* event) {
  acknowledge();  // the operator has seen it
  QFrame::mousePressEvent(event);
}

void OperatorSlotTile::paintState() {
  QPalette p = palette();
  p.setColor(QPalette::Window, blinkDark_ ? kFailDark : tileColour(state_));
  p.setColor(QPalette::WindowText,
             state_ == TileState::Fail || state_ == TileState::Error ? QColor(Qt::white) : QColor(Qt::black));
  setPalette(p);
}

}  // namespace gizrig::gui
