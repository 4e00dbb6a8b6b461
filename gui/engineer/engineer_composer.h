#pragma once
// The composer: the MCU's requests as buttons (0x09 SoftAP / AirLink, 0x0B, 0x13, 0x15, 0x17, 0x21, 0x29,
// sent with the rig's `mcu.send` action so retries and the ACK verdict are the engine's), a form generated
// from the product's data points (bool -> check box, enum -> combo, number -> spin box, binary -> hex) that
// sends a 0x05 report through McuPlug::setDataPoints, the virtual world's onboarding shortcut, and the hand
// tools (raw hex, the MCU plug's faults: EngineerInjectPanel). Nothing is clickable while no module is open.

#include <QMap>
#include <QWidget>

class QFormLayout;
class QGroupBox;
class QLabel;

namespace gizrig::gui {

class EngineerInjectPanel;
class EngineerSession;

class EngineerComposer : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerComposer(EngineerSession& session, QWidget* parent = nullptr);

  // Rebuilds the data-point form from the open MCU's product (empty when nothing is open).
  void rebuild();
  // The form's values by point name, as McuPlug::setDataPoints takes them.
  [[nodiscard]] QVariantMap formValues() const;
  // Sends `cmd` ("configMode", "reset", ... as mcu.send names them); `method` for configMode.
  void sendCommand(const QString& cmd, const QString& method = {});
  void sendReport();
  [[nodiscard]] EngineerInjectPanel* injectPanel() const { return inject_; }

 signals:
  void message(const QString& text);

 private:
  QWidget* editorFor(int attrIndex);

  EngineerSession& session_;
  QGroupBox* commandsBox_;
  EngineerInjectPanel* inject_;
  QGroupBox* pointsBox_;
  QFormLayout* pointsForm_;
  QMap<QString, QWidget*> editors_;
};

}  // namespace gizrig::gui
