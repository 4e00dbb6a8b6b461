#pragma once
// The OTA push panel: publish an image in the stand-in cloud (cloud.publishFirmware builds a real firmware
// image) and push it to the DUT (cloud.pushOta, 0x0211), then follow the module: its reboot (0x0F), the new
// handshake (0x01), and the version it reports in 0x22 after the panel asks with 0x21. Cancel stops following
// (a push already sent stays with the module: the cloud cannot take it back).
// The image is either synthetic (a valid image of the chosen size, built by the action) or a file the
// engineer chose (issue 13; `gizrig image` writes them): read size-capped and checked as the module will
// check it, so a wrong file is refused here with the reason instead of after a download; its versions fill
// the form.

#include <QByteArray>
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
  // The largest image file the panel reads (the module's OTA region is far smaller; past this it is no
  // image).
  static constexpr qint64 kMaxImageBytes = 4 * 1024 * 1024;

  // Uses the image in `path` for the next push; false (the previous choice kept, a message why) when it
  // cannot be read or is not a valid firmware image. Choose… calls it with the file the dialog returns.
  bool setImageFile(const QString& path);
  void useSyntheticImage();
  [[nodiscard]] QString imageFile() const { return imageFile_; }
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
  void updateButtons();

  EngineerSession& session_;
  QLineEdit* hardware_;
  QLineEdit* software_;
  QSpinBox* fid_;
  QSpinBox* size_;
  QLineEdit* file_;
  QPushButton* synthetic_;
  QString imageFile_;  // "" = synthetic
  QByteArray image_;
  QPushButton* pushButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* status_;
  Stage stage_ = Stage::Idle;
  int attempt_ = 0;  // callbacks of a cancelled attempt find a newer number and do nothing
  QString readBack_;
};

}  // namespace gizrig::gui
