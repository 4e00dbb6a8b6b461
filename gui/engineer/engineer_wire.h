#pragma once
// One traffic tab of the engineer view: the module's packets of some protocols (LAN; MQTT and HTTP) from the
// shared WireTableModel, with a text filter. The packets come from EngineerSession::wirePacket: in the
// virtual world every packet on the virtual LAN; a module on a serial port has no tap (the view says so).

#include <QList>
#include <QWidget>

#include "gizrig/decode/wire_tap.h"

class QLabel;
class QLineEdit;
class QTableView;

namespace gizrig::gui {

class WireFilterProxy;
class WireTableModel;

class EngineerWireView : public QWidget {
  Q_OBJECT
 public:
  EngineerWireView(WireTableModel& model, QList<core::WireKind> kinds, QWidget* parent = nullptr);
  [[nodiscard]] QTableView* table() const { return table_; }
  [[nodiscard]] WireFilterProxy* proxy() const { return proxy_; }
  void setTextFilter(const QString& text);
  // Shown above the table: where the packets come from, or why there are none.
  void setSourceNote(const QString& note);

 private:
  void updateCount();

  WireTableModel& model_;
  WireFilterProxy* proxy_;
  QTableView* table_;
  QLineEdit* text_;
  QLabel* note_;
  QLabel* count_;
};

}  // namespace gizrig::gui
