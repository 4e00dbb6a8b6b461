#pragma once
// LAN and cloud traffic of the virtual world, as the rig's plugs decode it: the phone app's events (AppPlug:
// discovery, login, control and read with their packets and round trips) and what the device published to
// the app through the stand-in cloud. Buttons run the app's standard actions.

#include <QList>
#include <QWidget>

class QPushButton;
class QTableWidget;

namespace gizrig::gui {

class EngineerSession;

// "did=abc rssi=3" from an event's fields, nested maps and lists flattened ("values.LED_R=true").
[[nodiscard]] QString eventFieldsText(const QVariantMap& fields);

class EngineerLanView : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerLanView(EngineerSession& session, QWidget* parent = nullptr);
  void addEvent(const QString& source, const QString& name, const QVariantMap& fields);
  [[nodiscard]] QTableWidget* table() const { return table_; }

 signals:
  void message(const QString& text);

 private:
  void run(const QString& action, const QVariantMap& params = {});

  void updateButtons();  // the app's actions need an open module

  EngineerSession& session_;
  QTableWidget* table_;
  QList<QPushButton*> buttons_;
};

}  // namespace gizrig::gui
