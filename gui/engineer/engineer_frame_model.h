#pragma once
// The engineer console's frame table: every frame the console was given (live from an McuPlug, loaded or
// replayed from a capture), with a filter that hides rows without dropping them.

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QVector>

#include "gizrig/plugs/mcu_capture.h"
#include "shared/bounded_table_model.h"
#include "engineer/engineer_frame_filter.h"

namespace gizrig::gui {

class FrameTableModel : public BoundedTableModel<core::FrameLogEntry> {
  Q_OBJECT
 public:
  enum Column { Time, Direction, Command, Fields, Checksum, Raw, ColumnCount };

  using BoundedTableModel::BoundedTableModel;

  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
};

class FrameFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setFilter(const FrameFilter& filter);
  [[nodiscard]] const FrameFilter& filter() const { return filter_; }

 protected:
  [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  FrameFilter filter_;
};

}  // namespace gizrig::gui
