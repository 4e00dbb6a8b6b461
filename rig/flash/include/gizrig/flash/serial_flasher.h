#pragma once
// The flasher (flasher.h) on a serial port: a QSerialPort at 115200 8N1, the modem lines and baud-rate
// changes the flasher asks for, a timer for its deadlines. One per port; several run side by side in one
// event loop (gizrig flash --station).

#include <QElapsedTimer>
#include <QObject>
#include <QSerialPort>
#include <QTimer>
#include <memory>

#include "gizrig/flash/flasher.h"

namespace gizrig::flash {

class SerialFlasher : public QObject {
  Q_OBJECT

 public:
  SerialFlasher(QString portName, FlashPlan plan, QObject* parent = nullptr);

  // Opens the port and starts. False (and portError()) when the port cannot be opened: a rig error, the
  // module was never reached.
  bool start();
  [[nodiscard]] const QString& portName() const { return portName_; }
  [[nodiscard]] const QString& portError() const { return portError_; }
  [[nodiscard]] bool finished() const { return flasher_.finished() || !portError_.isEmpty(); }
  [[nodiscard]] const FlashReport& report() const { return flasher_.report(); }
  [[nodiscard]] const FlashProgress& progress() const { return flasher_.progress(); }
  [[nodiscard]] qint64 elapsedMs() const { return clock_.elapsed(); }

 signals:
  void progressed();
  void done();

 private:
  void pump();
  void onReadyRead();
  void onError(QSerialPort::SerialPortError error);
  // Once the flasher is finished: the port closes when what is queued has left (at most kCloseWaitMs), then
  // done().
  void closeWhenWritten();
  void closeAndReport();

  static constexpr int kCloseWaitMs = 1000;

  QString portName_;
  QSerialPort port_;
  Flasher flasher_;
  QTimer timer_;
  QElapsedTimer clock_;
  QString portError_;
  bool started_ = false;
  bool reported_ = false;
  bool closing_ = false;
};

}  // namespace gizrig::flash
