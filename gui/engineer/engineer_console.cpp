#include "engineer/engineer_console.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "engineer/engineer_frame_detail.h"
#include "engineer/engineer_frame_model.h"

namespace gizrig::gui {

EngineerConsole::EngineerConsole(QWidget* parent)
    : QWidget(parent),
      model_(new FrameTableModel(this)),
      proxy_(new FrameFilterProxy(this)),
      table_(new QTableView(this)),
      detail_(new FrameDetailPane(this)),
      commandFilter_(new QLineEdit(this)),
      directionFilter_(new QComboBox(this)),
      textFilter_(new QLineEdit(this)),
      count_(new QLabel(this)) {
  proxy_->setSourceModel(model_);
  table_->setModel(proxy_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->horizontalHeader()->setStretchLastSection(true);
  // Narrow enough that Checksum and the start of Raw hex stay in view beside the composer (issue 13); the
  // detail pane below shows a selected frame's fields and bytes in full.
  table_->setColumnWidth(FrameTableModel::Time, 64);
  table_->setColumnWidth(FrameTableModel::Direction, 104);
  table_->setColumnWidth(FrameTableModel::Command, 150);
  table_->setColumnWidth(FrameTableModel::Fields, 210);
  table_->setColumnWidth(FrameTableModel::Checksum, 70);
  table_->horizontalHeader()->setMinimumSectionSize(40);

  commandFilter_->setPlaceholderText(tr("command (0x02, status)"));
  directionFilter_->addItems({tr("both directions"), tr("module → MCU"), tr("MCU → module")});
  textFilter_->setPlaceholderText(tr("text in name, fields or hex"));
  textFilter_->setClearButtonEnabled(true);
  connect(commandFilter_, &QLineEdit::textChanged, this, &EngineerConsole::applyFilter);
  connect(textFilter_, &QLineEdit::textChanged, this, &EngineerConsole::applyFilter);
  connect(directionFilter_, &QComboBox::currentIndexChanged, this, &EngineerConsole::applyFilter);

  auto* clearButton = new QPushButton(tr("Clear"), this);
  auto* saveButton = new QPushButton(tr("Save…"), this);
  auto* loadButton = new QPushButton(tr("Load…"), this);
  auto* replayButton = new QPushButton(tr("Replay"), this);
  connect(clearButton, &QPushButton::clicked, this, &EngineerConsole::clear);
  connect(saveButton, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save capture"), {}, tr("Captures (*.jsonl)"));
    if (path.isEmpty()) return;
    QString error;
    emit message(saveCapture(path, error) ? tr("saved %1").arg(path) : error);
  });
  connect(loadButton, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Load capture"), {}, tr("Captures (*.jsonl *.json);;All (*)"));
    if (path.isEmpty()) return;
    QString error;
    emit message(loadCapture(path, error) ? tr("loaded %1").arg(path) : error);
  });
  connect(replayButton, &QPushButton::clicked, this, [this] { replay(); });

  auto* filters = new QHBoxLayout;
  filters->addWidget(new QLabel(tr("Filter:"), this));
  filters->addWidget(commandFilter_, 1);
  filters->addWidget(directionFilter_);
  filters->addWidget(textFilter_, 2);
  filters->addWidget(count_);
  filters->addSpacing(12);
  filters->addWidget(clearButton);
  filters->addWidget(saveButton);
  filters->addWidget(loadButton);
  filters->addWidget(replayButton);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(filters);
  // The table above, the selected frame in full below: the Raw hex column is cut at the window's edge.
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(table_);
  split->addWidget(detail_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &EngineerConsole::showSelected);

  // Follow new frames only while the engineer is at the bottom: reading older rows is not interrupted.
  connect(table_->verticalScrollBar(), &QScrollBar::valueChanged, this,
          [this](int value) { follow_ = value >= table_->verticalScrollBar()->maximum() - 1; });
  replayTimer_.setSingleShot(true);
  connect(&replayTimer_, &QTimer::timeout, this, &EngineerConsole::replayNext);
  updateCount();
}

void EngineerConsole::addFrame(const core::FrameLogEntry& entry) {
  const bool follow = follow_;
  model_->append(entry);
  if (follow) table_->scrollToBottom();
  updateCount();
}

void EngineerConsole::showSelected() {
  const QModelIndex current = proxy_->mapToSource(table_->currentIndex());
  const auto& entries = model_->entries();
  detail_->showFrame(current.isValid() && current.row() < entries.size() ? &entries[current.row()] : nullptr);
}

void EngineerConsole::clear() {
  replayTimer_.stop();
  replayQueue_.clear();
  model_->clear();
  detail_->showFrame(nullptr);
  updateCount();
}

bool EngineerConsole::saveCapture(const QString& path, QString& error) const {
  core::McuCapture capture(static_cast<std::size_t>(FrameTableModel::kMaxRows));
  for (const auto& entry : model_->entries()) capture.append(entry);
  return capture.save(path, error);
}

bool EngineerConsole::loadCapture(const QString& path, QString& error) {
  core::McuCapture capture;
  if (!capture.load(path, error)) return false;
  loaded_.assign(capture.entries().begin(), capture.entries().end());
  clear();
  for (const auto& entry : loaded_) model_->append(entry);
  table_->scrollToBottom();
  updateCount();
  return true;
}

void EngineerConsole::replay(double speed) {
  if (loaded_.empty()) {
    emit message(tr("load a capture first"));
    return;
  }
  clear();
  replaySpeed_ = speed > 0 ? speed : 1;
  replayQueue_ = loaded_;
  replayTimer_.start(0);
}

void EngineerConsole::replayNext() {
  if (replayQueue_.empty()) return;
  const auto entry = replayQueue_.front();
  replayQueue_.pop_front();
  addFrame(entry);
  if (replayQueue_.empty()) {
    emit message(tr("replay done: %1 frames").arg(model_->rowCount()));
    return;
  }
  // The recorded gap, sped up, and never longer than a second so long idle stretches do not stall it.
  const double gap = static_cast<double>(replayQueue_.front().time - entry.time) / replaySpeed_;
  replayTimer_.start(static_cast<int>(std::clamp(gap, 0.0, 1000.0)));
}

void EngineerConsole::setFilterText(const QString& command, int direction, const QString& text) {
  commandFilter_->setText(command);
  directionFilter_->setCurrentIndex(direction);
  textFilter_->setText(text);
  applyFilter();
}

void EngineerConsole::applyFilter() {
  FrameFilter filter;
  filter.command = commandFilter_->text();
  filter.direction = static_cast<FrameFilter::Direction>(directionFilter_->currentIndex());
  filter.text = textFilter_->text();
  proxy_->setFilter(filter);
  updateCount();
}

void EngineerConsole::updateCount() {
  count_->setText(tr("%1 / %2 frames").arg(proxy_->rowCount()).arg(model_->rowCount()));
}

}  // namespace gizrig::gui
