#pragma once
// Who is testing (issue 13): the operator types a name or scans a badge (a keyboard-wedge scanner types it
// and Enter) and is logged in; every run started afterwards records that name. "Log out" at the end of the
// shift. Nothing starts while nobody is logged in (OperatorStation refuses).

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace gizrig::gui {

class OperatorLogin : public QWidget {
  Q_OBJECT
 public:
  explicit OperatorLogin(QWidget* parent = nullptr);

  void logIn(const QString& nameOrBadge);  // empty (after trimming): ignored
  void logOut();
  [[nodiscard]] const QString& name() const { return name_; }
  [[nodiscard]] QLineEdit* field() const { return field_; }
  [[nodiscard]] QLabel* who() const { return who_; }

 signals:
  void changed(const QString& name);  // "" when logged out

 private:
  void showState();

  QString name_;
  QLineEdit* field_;
  QPushButton* logInButton_;
  QLabel* who_;
  QPushButton* logOutButton_;
};

}  // namespace gizrig::gui
