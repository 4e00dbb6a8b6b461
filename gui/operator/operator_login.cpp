#include "operator/operator_login.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace gizrig::gui {

OperatorLogin::OperatorLogin(QWidget* parent)
    : QWidget(parent),
      field_(new QLineEdit(this)),
      logInButton_(new QPushButton(tr("Log in"), this)),
      who_(new QLabel(this)),
      logOutButton_(new QPushButton(tr("Log out"), this)) {
  field_->setPlaceholderText(tr("Your name or badge"));
  field_->setMinimumWidth(180);
  QFont bold = who_->font();
  bold.setBold(true);
  who_->setFont(bold);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Operator:"), this));
  layout->addWidget(field_);
  layout->addWidget(logInButton_);
  layout->addWidget(who_);
  layout->addWidget(logOutButton_);
  connect(field_, &QLineEdit::returnPressed, this, [this] { logIn(field_->text()); });
  connect(logInButton_, &QPushButton::clicked, this, [this] { logIn(field_->text()); });
  connect(logOutButton_, &QPushButton::clicked, this, &OperatorLogin::logOut);
  showState();
}

void OperatorLogin::logIn(const QString& nameOrBadge) {
  const QString name = nameOrBadge.trimmed();
  if (name.isEmpty()) return;
  name_ = name;
  field_->clear();
  showState();
  emit changed(name_);
}

void OperatorLogin::logOut() {
  name_.clear();
  showState();
  emit changed(name_);
}

void OperatorLogin::showState() {
  const bool in = !name_.isEmpty();
  field_->setVisible(!in);
  logInButton_->setVisible(!in);
  who_->setVisible(in);
  logOutButton_->setVisible(in);
  who_->setText(name_);
}

}  // namespace gizrig::gui
