#pragma once
// The OTA push panel: publish an image in the stand-in cloud (cloud.publishFirmware builds a real firmware
// image) and push it to the DUT (cloud.pushOta, 0x0211), then follow the module: its reboot (0x0F), the new
// handshake (0x01), and the version it reports in 0x22 after the panel asks with 0x21. Cancel stops following
// (a push already sent stays with the module: the cloud cannot take it back).

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace gizrig::gui {

class EngineerSession;

class EngineerOtaPanel : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerOtaPanel(EngineerSession& session, QWidget* parent = nullptr);
  void push();
  void cancel();
  [[nodiscard]] bool busy() const;
  [[nodiscard]] QString readBackVersion() const { return readBack_; }

 signals:
  void message(const QString& text);

 private:
  enum class Stage : std::uint8_t { Idle, Publishing, Pushing, WaitingReboot, WaitingInfo, Done };
  void onMcuEvent(const QString& name, const QVariantMap& fields);
  void setStage(Stage stage, const QString& text);

  EngineerSession& session_;
  QLineEdit* hardware_;
  QLineEdit* software_;
  QSpinBox* fid_;
  QSpinBox* size_;
  QPushButton* pushButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* status_;
  Stage stage_ = Stage::Idle;
  int attempt_ = 0;  // callbacks of a cancelled attempt find a newer number and do nothing
  QString readBack_;
};

}  // namespace gizrig::gui
