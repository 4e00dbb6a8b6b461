#pragma once
// The QA view's left side: every suite of fixtures/suites/ with its scenarios, and "All scenarios" from
// fixtures/scenarios/, checkable, with name, tags and clauses (a file that does not load is red with the
// loader's error). A tag filter and a search field (name, file, tags, clauses) narrow the tree; what they
// hide is not run.

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace gizrig::gui {

class QaScenarioTree : public QWidget {
  Q_OBJECT
 public:
  explicit QaScenarioTree(QString fixturesDir, QWidget* parent = nullptr);

  void reload();
  // Checks the scenario items whose file name (e.g. "discovery.json") or absolute path is in `files`,
  // unchecks the rest.
  void select(const QStringList& files);
  // Absolute paths of the checked scenarios the filter shows, each once, in tree order.
  [[nodiscard]] QStringList selectedFiles() const;
  // "" = every tag.
  void setFilter(const QString& tag, const QString& search);

  [[nodiscard]] QTreeWidget* tree() const { return tree_; }
  [[nodiscard]] QComboBox* tagFilter() const { return tags_; }
  [[nodiscard]] QLineEdit* search() const { return search_; }

 private:
  QTreeWidgetItem* scenarioItem(QTreeWidgetItem* parent, const QString& file);
  void applyFilter();

  QString fixturesDir_;
  QLineEdit* search_;
  QComboBox* tags_;
  QTreeWidget* tree_;
};

}  // namespace gizrig::gui
