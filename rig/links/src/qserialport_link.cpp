#include "gizrig/links/qserialport_link.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace gizrig::core {

namespace {

QChar parityLetter(QSerialPort::Parity parity) {
  switch (parity) {
    case QSerialPort::EvenParity:
      return u'E';
    case QSerialPort::OddParity:
      return u'O';
    case QSerialPort::SpaceParity:
      return u'S';
    case QSerialPort::MarkParity:
      return u'M';
    default:
      return u'N';
  }
}

QString stopBitsText(QSerialPort::StopBits stopBits) {
  switch (stopBits) {
    case QSerialPort::OneAndHalfStop:
      return QStringLiteral("1.5");
    case QSerialPort::TwoStop:
      return QStringLiteral("2");
    default:
      return QStringLiteral("1");
  }
}

// Processes with the device open, from /proc/<pid>/fd (what `fuser` does): "1234 (minicom)".
QStringList holdersOf(const QString& device) {
  const QString target = QFileInfo(device).canonicalFilePath();
  QStringList holders;
  if (target.isEmpty()) return holders;
  const QDir proc(QStringLiteral("/proc"));
  for (const QString& pid : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    bool numeric = false;
    pid.toLongLong(&numeric);
    if (!numeric) continue;
    const QDir fds(proc.filePath(pid + "/fd"));
    for (const QFileInfo& fd : fds.entryInfoList(QDir::System | QDir::NoDotAndDotDot)) {
      if (fd.symLinkTarget() != target) continue;
      QFile comm(proc.filePath(pid + "/comm"));
      const QString name = comm.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(comm.readAll()).trimmed()
                                                          : QStringLiteral("?");
      holders << QStringLiteral("%1 (%2)").arg(pid, name);
      break;
    }
  }
  return holders;
}

}  // namespace

QString QSerialPortLink::describeOpenError(const QString& path, QSerialPort::SerialPortError error,
                                           const QString& osReason) {
  QString message = QStringLiteral("%1: %2").arg(path, osReason);
  switch (error) {
    case QSerialPort::DeviceNotFoundError:
      message += QStringLiteral(" (no such device: is the adapter plugged in? ls /dev/serial/by-id)");
      break;
    case QSerialPort::PermissionError:
      message += QStringLiteral(
          " (permission denied: add the user to the dialout group, "
          "sudo usermod -aG dialout $USER, and log in again)");
      break;
    case QSerialPort::OpenError:
    case QSerialPort::ResourceError: {
      const QStringList holders = holdersOf(path);
      if (!holders.isEmpty()) message += QStringLiteral(" (busy: open in %1)").arg(holders.join(", "));
      break;
    }
    default:
      break;
  }
  return message;
}

QSerialPortLink::QSerialPortLink(QString path, SerialSettings settings, QObject* parent)
    : SerialLink(parent), path_(std::move(path)), settings_(settings), port_(this) {
  connect(&port_, &QSerialPort::readyRead, this, [this] {
    const QByteArray bytes = port_.readAll();
    if (!bytes.isEmpty()) emit received(bytes);
  });
  connect(&port_, &QSerialPort::errorOccurred, this, &QSerialPortLink::onError);
}

QSerialPortLink::~QSerialPortLink() {
  // Disconnect first: closing emits no error we want to hear about from a half-destroyed link.
  port_.disconnect(this);
  if (port_.isOpen()) port_.close();
}

bool QSerialPortLink::open() {
  if (port_.isOpen()) return true;
  if (path_.isEmpty()) {
    emit errorOccurred(QStringLiteral("serial link: no device path"));
    return false;
  }
  // A pty path given by gagent-sim is a symlink; QSerialPort takes any absolute path as the device. The
  // resolved target keeps its lock file name (LCK..pts) the same whichever link name is used.
  const QFileInfo info(path_);
  port_.setPortName(info.isSymLink() ? info.symLinkTarget() : path_);
  // QSerialPort signals its own errorOccurred inside open(); open() reports once, with the path.
  opening_ = true;
  const bool opened = port_.open(QIODevice::ReadWrite);
  opening_ = false;
  if (!opened) {
    emit errorOccurred(describeOpenError(path_, port_.error(), port_.errorString()));
    return false;
  }
  opening_ = true;
  const bool configured = port_.setBaudRate(settings_.baud) && port_.setDataBits(settings_.dataBits) &&
                          port_.setParity(settings_.parity) && port_.setStopBits(settings_.stopBits) &&
                          port_.setFlowControl(QSerialPort::NoFlowControl);
  opening_ = false;
  if (!configured) {
    const QString message =
        QStringLiteral("%1: cannot set %2: %3").arg(path_, describe(), port_.errorString());
    port_.close();
    emit errorOccurred(message);
    return false;
  }
  return true;
}

void QSerialPortLink::close() {
  if (port_.isOpen()) port_.close();
}

bool QSerialPortLink::isOpen() const {
  return port_.isOpen();
}

void QSerialPortLink::write(const QByteArray& bytes) {
  if (!port_.isOpen()) {
    emit errorOccurred(QStringLiteral("%1: write on a closed port").arg(path_));
    return;
  }
  if (port_.write(bytes) != bytes.size()) {
    emit errorOccurred(QStringLiteral("%1: write: %2").arg(path_, port_.errorString()));
    return;
  }
  // Hand the bytes to the driver now rather than on the next event-loop pass (never blocks).
  port_.flush();
}

QString QSerialPortLink::describe() const {
  return QStringLiteral("%1 %2 %3%4%5")
      .arg(path_)
      .arg(settings_.baud)
      .arg(static_cast<int>(settings_.dataBits))
      .arg(parityLetter(settings_.parity))
      .arg(stopBitsText(settings_.stopBits));
}

void QSerialPortLink::onError(QSerialPort::SerialPortError error) {
  if (error == QSerialPort::NoError || opening_) return;
  const QString message = QStringLiteral("%1: %2").arg(path_, port_.errorString());
  port_.clearError();
  // A vanished device (a gagent-sim that exited) keeps signalling; close so the event loop does not spin.
  if (error == QSerialPort::ResourceError && port_.isOpen()) port_.close();
  emit errorOccurred(message);
}

}  // namespace gizrig::core
