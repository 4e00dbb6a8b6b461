#pragma once
// Byte links between the rig's plugs and the DUT (docs/rig.md). Plugs speak bytes only through these, so one
// plug works over a real serial port / real sockets and over the in-process virtual-time world alike.

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

namespace gizrig::core {

// The MCU's serial line: QSerialPort (a real port or a gagent-sim pty) or the MCU side of sim::SimUart.
class SerialLink : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  virtual bool open() = 0;  // false + errorOccurred on failure
  virtual void close() = 0;
  [[nodiscard]] virtual bool isOpen() const = 0;
  virtual void write(const QByteArray& bytes) = 0;
  [[nodiscard]] virtual QString describe() const = 0;  // "/dev/ttyUSB0 9600 8N1", "sim uart"

 signals:
  void received(const QByteArray& bytes);
  void errorOccurred(const QString& message);
};

// A UDP socket of the app (discovery, SoftAP onboarding, announcements on 2415).
class DatagramLink : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  virtual bool bind(const QHostAddress& address, quint16 port) = 0;
  virtual bool sendTo(const QByteArray& datagram, const QHostAddress& to, quint16 port) = 0;
  virtual void close() = 0;
  [[nodiscard]] virtual quint16 localPort() const = 0;

 signals:
  void received(const QByteArray& datagram, const QHostAddress& from, quint16 fromPort);
  void errorOccurred(const QString& message);
};

// A TCP connection of the app to the module (12416) or of a browser (WebConfig).
class StreamLink : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  virtual void connectTo(const QHostAddress& address, quint16 port) = 0;
  virtual void write(const QByteArray& bytes) = 0;
  virtual void close() = 0;
  [[nodiscard]] virtual bool isConnected() const = 0;

 signals:
  void connected();
  void received(const QByteArray& bytes);
  void disconnected();
  void errorOccurred(const QString& message);
};

// Creates the LAN links of one world (real sockets, or SimNet peers).
class LanLinkFactory {
 public:
  virtual ~LanLinkFactory() = default;
  virtual DatagramLink* createDatagram(QObject* parent) = 0;
  virtual StreamLink* createStream(QObject* parent) = 0;
};

}  // namespace gizrig::core
