#include "qa/qa_scenario_tree.h"

#include <QBrush>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QSet>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/scenario_loader.h"

namespace gizrig::gui {

namespace {
constexpr int kFileRole = Qt::UserRole + 1;
constexpr int kTagsRole = Qt::UserRole + 2;  // the scenario's tags, for the tag filter

const core::ActionRegistry& scenarioActions() {
  static const core::ActionRegistry registry = core::standardActions();
  return registry;
}
}  // namespace

QaScenarioTree::QaScenarioTree(QString fixturesDir, QWidget* parent)
    : QWidget(parent),
      fixturesDir_(std::move(fixturesDir)),
      search_(new QLineEdit(this)),
      tags_(new QComboBox(this)),
      tree_(new QTreeWidget(this)) {
  search_->setPlaceholderText(tr("Search name, file, tag, clause"));
  search_->setClearButtonEnabled(true);
  tags_->setToolTip(tr("Show the scenarios with this tag only"));
  tree_->setHeaderLabels({tr("Suite / scenario"), tr("Tags"), tr("Clauses")});
  // The name takes what the tags and clauses leave: no horizontal scroll bar (the full name is the tooltip).
  tree_->header()->setStretchLastSection(false);
  tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  tree_->setColumnWidth(1, 130);
  tree_->setColumnWidth(2, 90);
  tree_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* filters = new QHBoxLayout;
  filters->addWidget(search_, 1);
  filters->addWidget(tags_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(filters);
  layout->addWidget(tree_, 1);
  connect(search_, &QLineEdit::textChanged, this, &QaScenarioTree::applyFilter);
  connect(tags_, &QComboBox::currentIndexChanged, this, &QaScenarioTree::applyFilter);
  reload();
}

QTreeWidgetItem* QaScenarioTree::scenarioItem(QTreeWidgetItem* parent, const QString& file) {
  const core::ScenarioLoader loader(scenarioActions(), fixturesDir_);
  QString error;
  const auto scenario = loader.loadFile(file, error);
  auto* item = new QTreeWidgetItem(parent);
  item->setData(0, kFileRole, file);
  item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
  item->setCheckState(0, Qt::Unchecked);
  if (scenario) {
    item->setText(0, scenario->name);
    item->setText(1, scenario->tags.join(QStringLiteral(", ")));
    item->setText(2, scenario->clauses.join(QStringLiteral(", ")));
    item->setData(0, kTagsRole, scenario->tags);
    item->setToolTip(0, scenario->name + QStringLiteral("\n") + QFileInfo(file).fileName() +
                            QStringLiteral("\n") + scenario->description);
  } else {
    item->setText(0, QFileInfo(file).fileName());
    item->setText(1, tr("does not load"));
    item->setToolTip(0, error);
    item->setForeground(0, QBrush(QColor(0xc0, 0x10, 0x10)));
  }
  return item;
}

void QaScenarioTree::reload() {
  tree_->clear();
  const core::ScenarioLoader loader(scenarioActions(), fixturesDir_);
  const QDir fixtures(fixturesDir_);
  const QDir suites(fixtures.filePath(QStringLiteral("suites")));
  const QDir scenarios(fixtures.filePath(QStringLiteral("scenarios")));
  for (const QFileInfo& file : suites.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
    QString error;
    const auto suite = loader.loadSuiteFile(file.absoluteFilePath(), error);
    auto* item = new QTreeWidgetItem(tree_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
    item->setCheckState(0, Qt::Unchecked);
    item->setText(0, tr("Suite: %1").arg(suite ? suite->name : file.fileName()));
    item->setToolTip(0, suite ? suite->description : error);
    if (suite)
      for (const QString& path : suite->scenarioFiles) scenarioItem(item, path);
  }
  auto* all = new QTreeWidgetItem(tree_);
  all->setFlags(all->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
  all->setCheckState(0, Qt::Unchecked);
  all->setText(0, tr("All scenarios"));
  for (const QFileInfo& file : scenarios.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
    scenarioItem(all, file.absoluteFilePath());
  all->setExpanded(true);

  // The tag filter offers every tag the scenarios carry.
  QSet<QString> tagSet;
  for (int t = 0; t < tree_->topLevelItemCount(); ++t)
    for (int c = 0; c < tree_->topLevelItem(t)->childCount(); ++c)
      for (const QString& tag : tree_->topLevelItem(t)->child(c)->data(0, kTagsRole).toStringList())
        tagSet << tag;
  QStringList tagList(tagSet.begin(), tagSet.end());
  tagList.sort();
  const QString current = tags_->currentData().toString();
  const QSignalBlocker quiet(tags_);
  tags_->clear();
  tags_->addItem(tr("All tags"), QString());
  for (const QString& tag : tagList) tags_->addItem(tag, tag);
  tags_->setCurrentIndex(std::max(0, tags_->findData(current)));
  applyFilter();
}

void QaScenarioTree::select(const QStringList& files) {
  for (int t = 0; t < tree_->topLevelItemCount(); ++t) {
    auto* top = tree_->topLevelItem(t);
    for (int c = 0; c < top->childCount(); ++c) {
      auto* item = top->child(c);
      const QString path = item->data(0, kFileRole).toString();
      const bool wanted = files.contains(path) || files.contains(QFileInfo(path).fileName());
      item->setCheckState(0, wanted ? Qt::Checked : Qt::Unchecked);
    }
  }
}

QStringList QaScenarioTree::selectedFiles() const {
  QStringList files;
  for (int t = 0; t < tree_->topLevelItemCount(); ++t) {
    const auto* top = tree_->topLevelItem(t);
    for (int c = 0; c < top->childCount(); ++c) {
      const auto* item = top->child(c);
      const QString file = item->data(0, kFileRole).toString();
      if (item->checkState(0) == Qt::Checked && !item->isHidden() && !files.contains(file)) files << file;
    }
  }
  return files;
}

void QaScenarioTree::setFilter(const QString& tag, const QString& search) {
  tags_->setCurrentIndex(std::max(0, tags_->findData(tag)));
  search_->setText(search);
  applyFilter();
}

void QaScenarioTree::applyFilter() {
  const QString tag = tags_->currentData().toString();
  const QString text = search_->text().trimmed();
  for (int t = 0; t < tree_->topLevelItemCount(); ++t) {
    auto* top = tree_->topLevelItem(t);
    int shown = 0;
    for (int c = 0; c < top->childCount(); ++c) {
      auto* item = top->child(c);
      const bool tagged = tag.isEmpty() || item->data(0, kTagsRole).toStringList().contains(tag);
      const QString haystack = QStringList{item->text(0), item->text(1), item->text(2),
                                           QFileInfo(item->data(0, kFileRole).toString()).fileName()}
                                   .join('\n');
      const bool found = text.isEmpty() || haystack.contains(text, Qt::CaseInsensitive);
      item->setHidden(!(tagged && found));
      shown += tagged && found ? 1 : 0;
    }
    top->setHidden(shown == 0 && (!tag.isEmpty() || !text.isEmpty()));
    if (!tag.isEmpty() || !text.isEmpty()) top->setExpanded(shown > 0);
  }
}

}  // namespace gizrig::gui
