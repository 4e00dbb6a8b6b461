#include "engineer/engineer_wire_model.h"

#include <QBrush>
#include <QColor>
#include <QFontDatabase>
#include <QStringList>

#include "engineer/engineer_frame_filter.h"

namespace gizrig::gui {

namespace {

QString hexOf(const core::WirePacket& packet) {
  return spacedHex(QByteArray(reinterpret_cast<const char*>(packet.bytes.data()),
                              static_cast<qsizetype>(packet.bytes.size())));
}

}  // namespace

QString wireDirectionText(const core::WirePacket& packet) {
  const QString peer = QString::fromStdString(packet.peer);
  const QString arrow = packet.fromModule ? QStringLiteral(" → ") : QStringLiteral(" ← ");
  return QStringLiteral("module") + arrow + peer + (packet.udp ? QStringLiteral(" (UDP)") : QString());
}

QString wireFieldsText(const core::WirePacket& packet) {
  QStringList parts;
  for (const auto& [name, value] : packet.item.fields)
    parts << QString::fromStdString(name) + QLatin1Char('=') + QString::fromStdString(value);
  return parts.join(QLatin1Char(' '));
}

QString wireVerdict(const core::WirePacket& packet) {
  return packet.item.ok ? QStringLiteral("ok")
                        : QStringLiteral("bad: ") + QString::fromStdString(packet.item.error);
}

bool WireFilter::matches(const core::WirePacket& packet) const {
  if (!kinds.isEmpty() && !kinds.contains(packet.kind)) return false;
  if (text.isEmpty()) return true;
  const QString hex = hexOf(packet);
  QString compactHex = hex;
  compactHex.remove(QLatin1Char(' '));
  for (const QString& haystack :
       {QString::fromStdString(packet.item.name), wireFieldsText(packet), QString::fromStdString(packet.peer),
        hex, compactHex, wireVerdict(packet)}) {
    if (haystack.contains(text, Qt::CaseInsensitive)) return true;
  }
  return false;
}

int WireTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant WireTableModel::data(const QModelIndex& index, int role) const {
  const core::WirePacket* found = entryAt(index);
  if (found == nullptr) return {};
  const core::WirePacket& packet = *found;
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Time:
        return QString::number(static_cast<double>(packet.time) / 1000.0, 'f', 3);
      case Protocol:
        return QString::fromLatin1(core::wireKindName(packet.kind));
      case Direction:
        return wireDirectionText(packet);
      case Packet:
        return QString::fromStdString(packet.item.name);
      case Fields:
        return wireFieldsText(packet);
      case Verdict:
        return wireVerdict(packet);
      case Raw:
        return hexOf(packet);
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) return wireFieldsText(packet).replace(QLatin1Char(' '), QLatin1Char('\n'));
  if (role == Qt::ForegroundRole) {
    if (index.column() == Verdict && !packet.item.ok) return QBrush(QColor(0xc0, 0x10, 0x10));
    // The serial console's colours: what the module said in blue, what the rig's side said in green.
    return QBrush(packet.fromModule ? QColor(0x15, 0x4f, 0xa8) : QColor(0x1d, 0x7a, 0x2c));
  }
  if (role == Qt::BackgroundRole && !packet.item.ok) return QBrush(QColor(0xfd, 0xe2, 0xe2));
  if (role == Qt::FontRole && index.column() == Raw)
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
  return {};
}

QVariant WireTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Time:
      return tr("Time (s)");
    case Protocol:
      return tr("Protocol");
    case Direction:
      return tr("Direction");
    case Packet:
      return tr("Packet");
    case Fields:
      return tr("Fields");
    case Verdict:
      return tr("Verdict");
    case Raw:
      return tr("Raw hex");
    default:
      return {};
  }
}

void WireFilterProxy::setFilter(const WireFilter& filter) {
  filter_ = filter;
  invalidateFilter();
}

bool WireFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& /*sourceParent*/) const {
  const auto* model = qobject_cast<const WireTableModel*>(sourceModel());
  if (model == nullptr || sourceRow >= model->entries().size()) return true;
  return filter_.matches(model->entries()[sourceRow]);
}

}  // namespace gizrig::gui
