#include "engineer/engineer_wire.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include "engineer/engineer_wire_model.h"

namespace gizrig::gui {

EngineerWireView::EngineerWireView(WireTableModel& model, QList<core::WireKind> kinds, QWidget* parent)
    : QWidget(parent),
      model_(model),
      proxy_(new WireFilterProxy(this)),
      table_(new QTableView(this)),
      text_(new QLineEdit(this)),
      note_(new QLabel(this)),
      count_(new QLabel(this)) {
  proxy_->setSourceModel(&model_);
  WireFilter filter;
  filter.kinds = std::move(kinds);
  proxy_->setFilter(filter);
  table_->setModel(proxy_);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setColumnWidth(WireTableModel::Time, 80);
  table_->setColumnWidth(WireTableModel::Protocol, 60);
  table_->setColumnWidth(WireTableModel::Direction, 210);
  table_->setColumnWidth(WireTableModel::Packet, 300);
  table_->setColumnWidth(WireTableModel::Fields, 240);
  table_->setColumnWidth(WireTableModel::Verdict, 70);

  text_->setPlaceholderText(tr("filter: packet name, field, peer or hex"));
  text_->setClearButtonEnabled(true);
  connect(text_, &QLineEdit::textChanged, this, &EngineerWireView::setTextFilter);
  auto* clear = new QPushButton(tr("Clear"), this);
  clear->setToolTip(tr("Clears the LAN and the MQTT tables"));
  connect(clear, &QPushButton::clicked, &model_, &WireTableModel::clear);

  auto* bar = new QHBoxLayout;
  bar->addWidget(text_, 1);
  bar->addWidget(count_);
  bar->addWidget(clear);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(note_);
  layout->addLayout(bar);
  layout->addWidget(table_, 1);

  // Follow new packets while the engineer is at the bottom; leave the view alone while they read history.
  connect(proxy_, &QAbstractItemModel::rowsInserted, this, [this] {
    updateCount();
    const QScrollBar* scroll = table_->verticalScrollBar();
    if (scroll == nullptr || scroll->value() >= scroll->maximum() - 1) table_->scrollToBottom();
  });
  connect(proxy_, &QAbstractItemModel::modelReset, this, &EngineerWireView::updateCount);
  connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &EngineerWireView::updateCount);
  updateCount();
}

void EngineerWireView::setTextFilter(const QString& text) {
  WireFilter filter = proxy_->filter();
  filter.text = text.trimmed();
  proxy_->setFilter(filter);
  if (text_->text() != text) text_->setText(text);
  updateCount();
}

void EngineerWireView::setSourceNote(const QString& note) {
  note_->setText(note);
}

void EngineerWireView::updateCount() {
  count_->setText(tr("%1 of %2 packets").arg(proxy_->rowCount()).arg(model_.rowCount()));
}

}  // namespace gizrig::gui
