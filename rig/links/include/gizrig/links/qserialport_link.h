#pragma once
// The MCU's serial line in real time: a real port (/dev/ttyUSB0) or the pty a gagent-sim made
// (gagent-sim --uart pty:PATH; PATH is a symlink the rig opens like any port). 9600 8N1 by default (S3.2),
// no flow control: the module's UART has none (protocol §1.1).

#include <QSerialPort>
#include <QString>

#include "gizrig/links/links.h"

namespace gizrig::core {

struct SerialSettings {
  qint32 baud = 9600;  // S3.2
  QSerialPort::DataBits dataBits = QSerialPort::Data8;
  QSerialPort::Parity parity = QSerialPort::NoParity;
  QSerialPort::StopBits stopBits = QSerialPort::OneStop;
};

class QSerialPortLink final : public SerialLink {
  Q_OBJECT
 public:
  explicit QSerialPortLink(QString path, SerialSettings settings = {}, QObject* parent = nullptr);
  ~QSerialPortLink() override;

  bool open() override;
  void close() override;
  [[nodiscard]] bool isOpen() const override;
  void write(const QByteArray& bytes) override;
  [[nodiscard]] QString describe() const override;  // "/tmp/x/uart.pty 9600 8N1"

  // Why a port did not open, for a factory engineer: the OS reason plus what to do (no such device, the
  // dialout group, which process holds a busy port).
  static QString describeOpenError(const QString& path, QSerialPort::SerialPortError error,
                                   const QString& osReason);

 private:
  void onError(QSerialPort::SerialPortError error);

  QString path_;
  SerialSettings settings_;
  QSerialPort port_;
  bool opening_ = false;
};

}  // namespace gizrig::core
