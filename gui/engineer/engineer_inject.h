#pragma once
// The composer's hand tools (issue 13): raw bytes typed in hex and sent as they are (a hand-made frame, or
// garbage to see how the module copes), and the MCU plug's faults armed from the GUI - bad checksum and
// unstuffed FF on the next N frames, frames split into chunks, ACKs sent late, silence - with a line that
// says what is armed now (read back from the plug, so it is true after frames have used a fault up).

#include <QByteArray>
#include <QString>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace gizrig::gui {

class EngineerSession;

// `text` as bytes: hex digits, optionally separated by spaces, ':' or '-'. "" and an error naming the first
// non-hex character (1-based position) or the odd digit count; bytes on success.
[[nodiscard]] QByteArray parseHexBytes(const QString& text, QString& error);

class EngineerInjectPanel : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerInjectPanel(EngineerSession& session, QWidget* parent = nullptr);

  // Sends the typed hex unframed; false (and a message why) when it does not parse or nothing is open.
  bool sendRawHex();
  void armBadChecksums();
  void armUnstuffedFf();
  void applySplit(bool on);
  void applyLateAck(bool on);
  void applySilence(bool on);
  void clearFaults();
  // Re-reads the plug's faults into the armed line and the check boxes (after frames used some up, or a
  // new module opened).
  void refresh();

  [[nodiscard]] QLineEdit* hexEdit() const { return hex_; }
  [[nodiscard]] QString armedText() const;

 signals:
  void message(const QString& text);

 private:
  QLineEdit* hex_;
  QSpinBox* count_;
  QSpinBox* chunk_;
  QSpinBox* gap_;
  QSpinBox* delay_;
  QCheckBox* split_;
  QCheckBox* late_;
  QCheckBox* silent_;
  QLabel* armed_;
  EngineerSession& session_;
};

}  // namespace gizrig::gui
