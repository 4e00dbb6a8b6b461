#pragma once
// The engineer's Flash panel (issue 14, docs/flashing.md): a module's ROM serial loader on a port the system
// lists (QSerialPortInfo) or a typed path (gagent-sim --boot rom's pty), at a chosen baud; "Read chip / MAC"
// asks the loader who it is and leaves it waiting; "Flash" writes an image file the engineer chose at an
// address, verifies its MD5 where the loader can, and runs the new firmware. The flasher (rig/flash
// SerialFlasher) is driven by the port's own signals on the event loop, so the window never waits on the
// serial line; the result - chip, MAC, MD5 verdict, throughput - or the flasher's own error shows below.

#include <QElapsedTimer>
#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace gizrig::flash {
class SerialFlasher;
struct FlashReport;
}  // namespace gizrig::flash

namespace gizrig::gui {

class EngineerFlashPanel : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerFlashPanel(QWidget* parent = nullptr);
  ~EngineerFlashPanel() override;

  void refreshPorts();
  // Ask the loader for its chip and MAC (nothing written; the module stays in its loader).
  bool readChip();
  // Write the chosen image; false (and the reason shown) when the inputs are not usable.
  bool flash();
  void cancel();
  [[nodiscard]] bool busy() const { return flasher_ != nullptr; }

  // The inputs, for tests and for the view's own port box.
  [[nodiscard]] QComboBox* portBox() const { return port_; }
  [[nodiscard]] QComboBox* baudBox() const { return baud_; }
  [[nodiscard]] QLineEdit* imageEdit() const { return image_; }
  [[nodiscard]] QLineEdit* addressEdit() const { return address_; }
  [[nodiscard]] QCheckBox* verifyBox() const { return verify_; }
  [[nodiscard]] QProgressBar* progressBar() const { return progress_; }
  [[nodiscard]] QPushButton* flashButton() const { return flashButton_; }
  [[nodiscard]] QPushButton* readButton() const { return readButton_; }
  [[nodiscard]] QString resultText() const;

 signals:
  void message(const QString& text);
  void finished(bool ok);

 private:
  enum class Job : std::uint8_t { ReadChip, Flash };
  bool begin(Job job);
  void chooseImage();
  void onProgress();
  void onDone();
  [[nodiscard]] QString portPath() const;
  [[nodiscard]] QString describe(const flash::FlashReport& report) const;
  void setBusy(bool busy);

  QComboBox* port_;
  QComboBox* baud_;
  QLineEdit* image_;
  QLineEdit* address_;
  QCheckBox* verify_;
  QPushButton* browse_;
  QPushButton* readButton_;
  QPushButton* flashButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* result_;
  std::unique_ptr<flash::SerialFlasher> flasher_;
  Job job_ = Job::Flash;
  QElapsedTimer elapsed_;
};

}  // namespace gizrig::gui
