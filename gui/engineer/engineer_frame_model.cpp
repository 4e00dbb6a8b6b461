#include "engineer/engineer_frame_model.h"

#include <QBrush>
#include <QColor>
#include <QFontDatabase>

namespace gizrig::gui {

int FrameTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant FrameTableModel::data(const QModelIndex& index, int role) const {
  const core::FrameLogEntry* found = entryAt(index);
  if (found == nullptr) return {};
  const auto& entry = *found;
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Time:
        return QString::number(static_cast<double>(entry.time) / 1000.0, 'f', 3);
      case Direction:
        return directionText(entry.direction);
      case Command:
        return entry.name;
      case Fields:
        return fieldsText(entry);
      case Checksum:
        return checksumVerdict(entry);
      case Raw:
        return spacedHex(entry.raw);
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) return fieldsText(entry).replace(QLatin1Char(' '), QLatin1Char('\n'));
  if (role == Qt::ForegroundRole) {
    if (index.column() == Checksum && !entry.ok) return QBrush(QColor(0xc0, 0x10, 0x10));
    // Direction colours: what the module said in blue, what the rig's MCU said in green.
    return QBrush(entry.direction == core::FrameDirection::ToMcu ? QColor(0x15, 0x4f, 0xa8)
                                                                 : QColor(0x1d, 0x7a, 0x2c));
  }
  if (role == Qt::BackgroundRole && (!entry.ok || !entry.fault.isEmpty()))
    return QBrush(QColor(0xfd, 0xe2, 0xe2));
  if (role == Qt::FontRole && index.column() == Raw)
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
  return {};
}

QVariant FrameTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Time:
      return tr("Time (s)");
    case Direction:
      return tr("Direction");
    case Command:
      return tr("Command");
    case Fields:
      return tr("Fields");
    case Checksum:
      return tr("Checksum");
    case Raw:
      return tr("Raw hex");
    default:
      return {};
  }
}

void FrameFilterProxy::setFilter(const FrameFilter& filter) {
  filter_ = filter;
  invalidateFilter();
}

bool FrameFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& /*sourceParent*/) const {
  const auto* model = qobject_cast<const FrameTableModel*>(sourceModel());
  if (model == nullptr || sourceRow >= model->entries().size()) return true;
  return filter_.matches(model->entries()[sourceRow]);
}

}  // namespace gizrig::gui
