#pragma once
// A table model over a list of entries that keeps at most kMaxRows (the oldest go first, like McuCapture):
// the engineer's frame and packet tables. Derived models give the columns (columnCount, headerData) and
// the cells (data).

#include <QAbstractTableModel>
#include <QVector>

namespace gizrig::gui {

template <typename Entry>
class BoundedTableModel : public QAbstractTableModel {
 public:
  static constexpr int kMaxRows = 20000;

  using QAbstractTableModel::QAbstractTableModel;

  void append(const Entry& entry) {
    if (entries_.size() >= kMaxRows) {
      beginRemoveRows({}, 0, 0);
      entries_.removeFirst();
      endRemoveRows();
    }
    const auto row = static_cast<int>(entries_.size());
    beginInsertRows({}, row, row);
    entries_.append(entry);
    endInsertRows();
  }
  void clear() {
    beginResetModel();
    entries_.clear();
    endResetModel();
  }
  [[nodiscard]] const QVector<Entry>& entries() const { return entries_; }

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() ? 0 : static_cast<int>(entries_.size());
  }

 protected:
  // The entry of a valid index, or null.
  [[nodiscard]] const Entry* entryAt(const QModelIndex& index) const {
    return index.isValid() && index.row() < entries_.size() ? &entries_[index.row()] : nullptr;
  }

 private:
  QVector<Entry> entries_;
};

}  // namespace gizrig::gui
