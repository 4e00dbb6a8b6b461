#pragma once
// The engineer's LAN and MQTT traffic tables: the module's network packets as the rig's WireTap names them
// (rig/core/wire_tap.h), with the serial console's columns and colours so both read the same way. One model
// holds every packet; each view filters it by protocol and text without dropping rows.

#include <QAbstractTableModel>
#include <QList>
#include <QSortFilterProxyModel>
#include <QVector>

#include "gizrig/decode/wire_tap.h"
#include "shared/bounded_table_model.h"

namespace gizrig::gui {

// "module → 10.0.0.1:1883" / "module ← 10.0.0.20:50211"; UDP marked, since broadcasts and sessions differ.
[[nodiscard]] QString wireDirectionText(const core::WirePacket& packet);
// "client=did1 keepalive=120" in wire order.
[[nodiscard]] QString wireFieldsText(const core::WirePacket& packet);
// "ok" or "bad: <why>".
[[nodiscard]] QString wireVerdict(const core::WirePacket& packet);

struct WireFilter {
  QList<core::WireKind> kinds;  // empty = every protocol
  QString text;                 // "" = any; case-insensitive substring of name, fields, peer, hex, verdict
  [[nodiscard]] bool matches(const core::WirePacket& packet) const;
};

class WireTableModel : public BoundedTableModel<core::WirePacket> {
  Q_OBJECT
 public:
  enum Column { Time, Protocol, Direction, Packet, Fields, Verdict, Raw, ColumnCount };

  using BoundedTableModel::BoundedTableModel;

  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
};

class WireFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setFilter(const WireFilter& filter);
  [[nodiscard]] const WireFilter& filter() const { return filter_; }

 protected:
  [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  WireFilter filter_;
};

}  // namespace gizrig::gui
