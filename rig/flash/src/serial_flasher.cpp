#include "gizrig/flash/serial_flasher.h"

namespace gizrig::flash {

SerialFlasher::SerialFlasher(QString portName, FlashPlan plan, QObject* parent)
    : QObject(parent), portName_(std::move(portName)), flasher_(std::move(plan)) {
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, [this] {
    flasher_.tick(clock_.elapsed());
    pump();
  });
  connect(&port_, &QSerialPort::readyRead, this, &SerialFlasher::onReadyRead);
  connect(&port_, &QSerialPort::errorOccurred, this, &SerialFlasher::onError);
}

bool SerialFlasher::start() {
  clock_.start();
  port_.setPortName(portName_);
  port_.setBaudRate(static_cast<qint32>(kRomBaud));
  port_.setDataBits(QSerialPort::Data8);
  port_.setParity(QSerialPort::NoParity);
  port_.setStopBits(QSerialPort::OneStop);
  port_.setFlowControl(QSerialPort::NoFlowControl);
  if (!port_.open(QIODevice::ReadWrite)) {
    portError_ = QStringLiteral("cannot open %1: %2").arg(portName_, port_.errorString());
    return false;
  }
  port_.clear();
  started_ = true;
  flasher_.start(clock_.elapsed());
  pump();
  return true;
}

void SerialFlasher::onReadyRead() {
  const QByteArray bytes = port_.readAll();
  flasher_.receive(std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                             static_cast<std::size_t>(bytes.size())),
                   clock_.elapsed());
  pump();
}

void SerialFlasher::onError(QSerialPort::SerialPortError error) {
  // A pty or an adapter without modem lines refuses DTR/RTS (UnsupportedOperation): not a port failure.
  // Errors of open() itself are start()'s to report.
  if (!started_ || flasher_.finished()) return;
  switch (error) {
    case QSerialPort::ResourceError:
    case QSerialPort::ReadError:
    case QSerialPort::WriteError:
    case QSerialPort::DeviceNotFoundError:
    case QSerialPort::PermissionError:
      if (port_.isOpen()) port_.close();
      flasher_.portFailed(port_.errorString().toStdString(), clock_.elapsed());
      pump();
      break;
    default:
      break;
  }
}

void SerialFlasher::pump() {
  for (const Flasher::Lines& lines : flasher_.takeLineChanges()) {
    if (!port_.isOpen()) break;
    // Both at once where the driver allows, as esptool does (DTR first keeps EN and GPIO0 from glitching).
    port_.setDataTerminalReady(lines.dtr);
    port_.setRequestToSend(lines.rts);
  }
  const std::vector<std::uint8_t> out = flasher_.takeOutput();
  if (!out.empty() && port_.isOpen()) {
    port_.write(reinterpret_cast<const char*>(out.data()), static_cast<qint64>(out.size()));
  }
  if (const auto baud = flasher_.takeBaudChange(); baud && port_.isOpen()) {
    port_.flush();
    port_.setBaudRate(static_cast<qint32>(*baud));
  }
  emit progressed();
  if (flasher_.finished()) {
    timer_.stop();
    closeWhenWritten();
    return;
  }
  const qint64 wait = std::max<qint64>(0, flasher_.nextDeadline() - clock_.elapsed());
  timer_.start(static_cast<int>(std::min<qint64>(wait, 60'000)));
}

void SerialFlasher::closeWhenWritten() {
  if (closing_) return;  // the bytesWritten or the time limit closes it
  if (port_.isOpen()) {
    port_.flush();
    // RUN_USER_CODE must leave before the port closes, but without blocking the event loop: the other ports
    // of a station flash in it (a blocking wait for bytes already gone stalled them a second each, P7).
    if (port_.bytesToWrite() > 0) {
      closing_ = true;
      connect(&port_, &QSerialPort::bytesWritten, this, [this] {
        if (port_.bytesToWrite() == 0) closeAndReport();
      });
      QTimer::singleShot(kCloseWaitMs, this, [this] { closeAndReport(); });
      return;
    }
  }
  closeAndReport();
}

void SerialFlasher::closeAndReport() {
  if (port_.isOpen()) port_.close();
  if (reported_) return;
  reported_ = true;
  emit done();
}

}  // namespace gizrig::flash
