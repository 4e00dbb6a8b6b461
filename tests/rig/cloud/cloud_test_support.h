#pragma once
// Shared helpers of the stand-in cloud tests: a QCoreApplication for the process, an event-loop wait, and a
// raw MQTT 3.1 client built from the proto codec that logs in as the firmware does (MQIsdp level 3, client id
// = user name = DID, password = passcode, §3.7).

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>
#include <array>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gagent/proto/mqtt.h"

namespace gizrig::cloud::test {

inline QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "gizrig_cloud_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication* instance =
      QCoreApplication::instance() != nullptr ? nullptr : new QCoreApplication(argc, argv);
  (void)instance;
  return *QCoreApplication::instance();
}

// Runs the event loop until `done` holds or `timeoutMs` passes. The timeout only bounds a broken test; no
// assertion is made on how fast anything happens.
inline bool waitFor(const std::function<bool()>& done, int timeoutMs = 15000) {
  app();
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.hasExpired(timeoutMs)) return false;
    QEventLoop loop;
    QTimer::singleShot(5, &loop, &QEventLoop::quit);
    loop.exec();
  }
  return true;
}

// Lets the event loop run for a while (used only to show that something does NOT happen).
inline void spin(int ms) {
  QElapsedTimer clock;
  clock.start();
  waitFor([&] { return clock.hasExpired(ms); }, ms + 1000);
}

using ByteVector = std::vector<std::uint8_t>;

inline ByteVector toVector(gagent::proto::Bytes bytes) {
  return {bytes.begin(), bytes.end()};
}

// A received packet, owning its body.
struct OwnedPacket {
  gagent::proto::MqttPacketType type = gagent::proto::MqttPacketType::Connect;
  std::uint8_t flags = 0;
  ByteVector body;
  [[nodiscard]] gagent::proto::MqttPacket view() const { return {type, flags, body}; }
};

// What the firmware's MQTT session does, done by hand with the proto codec, driven by the event loop.
class RawMqttClient {
 public:
  RawMqttClient() {
    app();
    QObject::connect(&socket_, &QTcpSocket::readyRead, &socket_, [this] { read(); });
  }

  bool connectTo(quint16 port) {
    socket_.connectToHost(QHostAddress::LocalHost, port);
    return waitFor([this] {
             return socket_.state() == QAbstractSocket::ConnectedState ||
                    socket_.state() == QAbstractSocket::UnconnectedState;
           }) &&
           socket_.state() == QAbstractSocket::ConnectedState;
  }

  void sendRaw(const ByteVector& bytes) {
    socket_.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
  }
  void send(std::size_t size) {
    ASSERT_GT(size, 0u);
    socket_.write(reinterpret_cast<const char*>(out_.data()), static_cast<qint64>(size));
  }

  void sendConnect(const std::string& did, const std::string& passcode) {
    send(gagent::proto::encodeMqttConnect(out_, did, did, passcode, gagent::proto::kMqttKeepAliveSeconds,
                                          true));
  }
  void sendSubscribe(std::uint16_t packetId, const std::string& filter) {
    send(gagent::proto::encodeMqttSubscribe(out_, packetId, filter, 0));
  }
  void sendPublish(const std::string& topic, const ByteVector& payload) {
    send(gagent::proto::encodeMqttPublish(out_, topic, payload));
  }
  void sendPingreq() { send(gagent::proto::encodeMqttPingreq(out_)); }

  // The next packet, or nullopt when none comes (or the connection closes) within the timeout.
  std::optional<OwnedPacket> next(int timeoutMs = 15000) {
    waitFor([this] { return !packets_.empty() || closed(); }, timeoutMs);
    if (packets_.empty()) return std::nullopt;
    OwnedPacket packet = std::move(packets_.front());
    packets_.pop_front();
    return packet;
  }
  // The next packet of `type`, skipping others (e.g. PINGRESP).
  std::optional<OwnedPacket> nextOf(gagent::proto::MqttPacketType type, int timeoutMs = 15000) {
    for (auto packet = next(timeoutMs); packet; packet = next(timeoutMs)) {
      if (packet->type == type) return packet;
    }
    return std::nullopt;
  }
  [[nodiscard]] bool hasPacket() const { return !packets_.empty(); }

  // CONNACK code, or -1 without a well-formed CONNACK.
  int connack(int timeoutMs = 15000) {
    const auto packet = next(timeoutMs);
    if (!packet || packet->type != gagent::proto::MqttPacketType::Connack) return -1;
    const auto parsed = gagent::proto::parseMqttConnack(packet->view());
    return parsed.ok() ? static_cast<int>(parsed.value.code) : -1;
  }
  // Logs in and returns the CONNACK code.
  int login(quint16 port, const std::string& did, const std::string& passcode) {
    if (!connectTo(port)) return -1;
    sendConnect(did, passcode);
    return connack();
  }
  // Granted QoS of a one-topic SUBSCRIBE, or -1.
  int subscribe(std::uint16_t packetId, const std::string& filter) {
    sendSubscribe(packetId, filter);
    const auto packet = nextOf(gagent::proto::MqttPacketType::Suback);
    if (!packet) return -1;
    const auto parsed = gagent::proto::parseMqttSuback(packet->view());
    if (!parsed.ok() || parsed.value.packetId != packetId || parsed.value.grantedQos.size() != 1) return -1;
    return parsed.value.grantedQos[0];
  }

  [[nodiscard]] bool closed() const { return socket_.state() == QAbstractSocket::UnconnectedState; }
  bool waitClosed(int timeoutMs = 15000) {
    return waitFor([this] { return closed(); }, timeoutMs);
  }
  void close() { socket_.abort(); }
  [[nodiscard]] bool decodeFailed() const { return decoder_.failed(); }

 private:
  void read() {
    const QByteArray bytes = socket_.readAll();
    gagent::proto::Bytes data(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                              static_cast<std::size_t>(bytes.size()));
    while (!data.empty() && !decoder_.failed()) {
      data = data.subspan(decoder_.feed(data));
      for (auto next = decoder_.next(); next.ok(); next = decoder_.next()) {
        packets_.push_back({next.packet.type, next.packet.flags, toVector(next.packet.body)});
      }
    }
  }

  QTcpSocket socket_;
  gagent::proto::MqttStreamDecoder decoder_;
  std::deque<OwnedPacket> packets_;
  std::array<std::uint8_t, gagent::proto::kMqttMaxPacket> out_{};
};

// The PUBLISH in `packet`: topic and payload copied out.
struct ReceivedPublish {
  std::string topic;
  ByteVector payload;
};
inline std::optional<ReceivedPublish> asPublish(const OwnedPacket& packet) {
  if (packet.type != gagent::proto::MqttPacketType::Publish) return std::nullopt;
  const auto parsed = gagent::proto::parseMqttPublish(packet.view());
  if (!parsed.ok()) return std::nullopt;
  return ReceivedPublish{std::string(parsed.value.topic), toVector(parsed.value.payload)};
}

}  // namespace gizrig::cloud::test
