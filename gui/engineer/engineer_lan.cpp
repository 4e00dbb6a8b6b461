#include "engineer/engineer_lan.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QStringList>
#include <QTableWidget>
#include <QVBoxLayout>

#include "engineer/engineer_session.h"

namespace gizrig::gui {

namespace {

void flatten(const QString& prefix, const QVariant& value, QStringList& out) {
  if (value.typeId() == QMetaType::QVariantMap) {
    const QVariantMap map = value.toMap();
    for (auto it = map.begin(); it != map.end(); ++it)
      flatten(prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key(), it.value(), out);
  } else if (value.typeId() == QMetaType::QVariantList) {
    QStringList items;
    for (const QVariant& item : value.toList()) items << item.toString();
    out << prefix + QStringLiteral("=[") + items.join(QLatin1Char(',')) + QLatin1Char(']');
  } else {
    out << prefix + QLatin1Char('=') + value.toString();
  }
}

}  // namespace

QString eventFieldsText(const QVariantMap& fields) {
  QStringList parts;
  for (auto it = fields.begin(); it != fields.end(); ++it)
    if (it.key() != QLatin1String("time")) flatten(it.key(), it.value(), parts);
  return parts.join(QLatin1Char(' '));
}

EngineerLanView::EngineerLanView(EngineerSession& session, QWidget* parent)
    : QWidget(parent), session_(session), table_(new QTableWidget(0, 4, this)) {
  table_->setHorizontalHeaderLabels({tr("Time (s)"), tr("Source"), tr("Event"), tr("Fields")});
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setColumnWidth(0, 80);
  table_->setColumnWidth(2, 170);
  auto* buttons = new QHBoxLayout;
  const QList<QPair<QString, QString>> actions{{tr("Discover (0003)"), QStringLiteral("app.discover")},
                                               {tr("Login (0006/0008)"), QStringLiteral("app.login")},
                                               {tr("Read (0090 02)"), QStringLiteral("app.read")},
                                               {tr("Device info (0013)"), QStringLiteral("app.deviceInfo")},
                                               {tr("Logout"), QStringLiteral("app.logout")}};
  for (const auto& [label, action] : actions) {
    auto* button = new QPushButton(label, this);
    connect(button, &QPushButton::clicked, this, [this, action] { run(action); });
    buttons->addWidget(button);
    buttons_.append(button);
  }
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(buttons);
  layout->addWidget(table_, 1);
  connect(&session_, &EngineerSession::appEvent, this,
          [this](const QString& name, const QVariantMap& fields) { addEvent(tr("app"), name, fields); });
  connect(&session_, &EngineerSession::cloudEvent, this,
          [this](const QString& name, const QVariantMap& fields) { addEvent(tr("cloud"), name, fields); });
  connect(&session_, &EngineerSession::opened, this, &EngineerLanView::updateButtons);
  connect(&session_, &EngineerSession::closed, this, &EngineerLanView::updateButtons);
  updateButtons();
}

void EngineerLanView::updateButtons() {
  for (QPushButton* button : buttons_) button->setEnabled(session_.mcu() != nullptr);
}

void EngineerLanView::addEvent(const QString& source, const QString& name, const QVariantMap& fields) {
  const int row = table_->rowCount();
  table_->insertRow(row);
  const double seconds = fields.value(QStringLiteral("time")).toDouble() / 1000.0;
  table_->setItem(row, 0, new QTableWidgetItem(QString::number(seconds, 'f', 3)));
  table_->setItem(row, 1, new QTableWidgetItem(source));
  table_->setItem(row, 2, new QTableWidgetItem(name));
  table_->setItem(row, 3, new QTableWidgetItem(eventFieldsText(fields)));
  const QColor colour = source == tr("app") ? QColor(0x7a, 0x3e, 0x9d) : QColor(0xa8, 0x5a, 0x15);
  for (int c = 0; c < 4; ++c) table_->item(row, c)->setForeground(colour);
  table_->scrollToBottom();
}

void EngineerLanView::run(const QString& action, const QVariantMap& params) {
  session_.runAction(action, params, [this, action](const core::ActionResult& r) {
    emit message(r.outcome == core::Outcome::Pass
                     ? tr("%1: PASS %2").arg(action, eventFieldsText(r.values))
                     : tr("%1: %2 (%3)").arg(action, core::outcomeName(r.outcome), r.message));
  });
}

}  // namespace gizrig::gui
