#pragma once
// The engineer's view (issue 6): a module's serial console with decoded frames, the command and data-point
// composer, the app's and the cloud's events, the LAN and MQTT packets on the wire, the OTA push, serial
// flashing through the ROM loader and live plots, over one EngineerSession (a virtual module, a serial port
// path, or an McuPlug attached from elsewhere). See docs/gui-engineer.md.

#include <QWidget>

#include "app/gui_context.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTabWidget;

namespace gizrig::core {
class McuPlug;
}

namespace gizrig::gui {

class EngineerComposer;
class EngineerConsole;
class EngineerFlashPanel;
class EngineerLanView;
class EngineerOtaPanel;
class EngineerPlots;
class EngineerSession;
class EngineerWireView;
class WireTableModel;

class EngineerView : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerView(gizrig::gui::GuiContext& context, QWidget* parent = nullptr);
  ~EngineerView() override;

  // One click: an in-process virtual module with `productFile` (default: the first product in fixtures).
  bool startVirtualModule(const QString& productFile = {});
  // `baud` 0: the speed chosen in the bar (9600 unless the engineer picked another).
  bool openSerialPort(const QString& path, const QString& productFile = {}, qint32 baud = 0);
  // The serial ports the system lists (QSerialPortInfo), refreshed into the port box; a pty path may be
  // typed.
  void refreshSerialPorts();
  [[nodiscard]] QComboBox* serialPortBox() const { return serialPort_; }
  [[nodiscard]] QComboBox* baudBox() const { return baud_; }
  // One module of a virtual lab in real time (gagent-sim, the air, the stand-in cloud); returns at once, the
  // session's opened() or failed() follows. Close cancels a start in progress.
  bool startLabModule(const QString& productFile = {});
  void attachMcu(core::McuPlug* plug, core::RigClock* clock);  // e.g. a lab slot's module
  void closeModule();
  // The records' test durations per slot into the duration plot.
  void refreshRecords();

  [[nodiscard]] EngineerSession& session() const { return *session_; }
  [[nodiscard]] EngineerConsole* console() const { return console_; }
  [[nodiscard]] EngineerComposer* composer() const { return composer_; }
  [[nodiscard]] EngineerLanView* lanView() const { return lan_; }
  [[nodiscard]] EngineerOtaPanel* otaPanel() const { return ota_; }
  [[nodiscard]] EngineerFlashPanel* flashPanel() const { return flash_; }
  [[nodiscard]] EngineerWireView* lanWireView() const { return lanWire_; }
  [[nodiscard]] EngineerWireView* mqttWireView() const { return mqttWire_; }
  [[nodiscard]] WireTableModel* wireModel() const { return wireModel_; }
  [[nodiscard]] EngineerPlots* plots() const { return plots_; }
  [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
  [[nodiscard]] QString lastMessage() const;

 private:
  QString productPath() const;
  void showMessage(const QString& text);
  void clearTraffic();
  void showProduct(const QString& productFile);  // the product box follows what the session runs

  GuiContext& context_;
  EngineerSession* session_;
  QComboBox* product_;
  QComboBox* serialPort_;  // editable: a listed port, or a typed path (a lab slot's pty)
  QComboBox* baud_;
  QComboBox* speed_;
  QLabel* source_;
  QTabWidget* tabs_;
  EngineerConsole* console_;
  EngineerComposer* composer_;
  EngineerLanView* lan_;
  WireTableModel* wireModel_;
  EngineerWireView* lanWire_;
  EngineerWireView* mqttWire_;
  EngineerOtaPanel* ota_;
  EngineerFlashPanel* flash_;  // the ROM serial loader: a port of its own, not the session's
  EngineerPlots* plots_;
  QLabel* message_;
};

}  // namespace gizrig::gui
