#include "gizrig/links/traced_lan_links.h"

#include <QPointer>

namespace gizrig::core {

namespace {

class TracedDatagramLink final : public DatagramLink {
 public:
  TracedDatagramLink(LanLinkFactory& inner, LanTrafficTap& tap, QObject* parent)
      : DatagramLink(parent), inner_(inner.createDatagram(this)), tap_(&tap) {
    connect(inner_, &DatagramLink::received, this,
            [this](const QByteArray& bytes, const QHostAddress& from, quint16 fromPort) {
              if (tap_) emit tap_->datagram(false, from, fromPort, bytes);
              emit received(bytes, from, fromPort);
            });
    connect(inner_, &DatagramLink::errorOccurred, this, &DatagramLink::errorOccurred);
  }
  bool bind(const QHostAddress& address, quint16 port) override { return inner_->bind(address, port); }
  bool sendTo(const QByteArray& datagram, const QHostAddress& to, quint16 port) override {
    const bool sent = inner_->sendTo(datagram, to, port);
    if (sent && tap_) emit tap_->datagram(true, to, port, datagram);
    return sent;
  }
  void close() override { inner_->close(); }
  [[nodiscard]] quint16 localPort() const override { return inner_->localPort(); }

 private:
  DatagramLink* inner_;  // a child
  QPointer<LanTrafficTap> tap_;
};

class TracedStreamLink final : public StreamLink {
 public:
  TracedStreamLink(LanLinkFactory& inner, LanTrafficTap& tap, QObject* parent)
      : StreamLink(parent), inner_(inner.createStream(this)), tap_(&tap) {
    connect(inner_, &StreamLink::connected, this, &StreamLink::connected);
    connect(inner_, &StreamLink::received, this, [this](const QByteArray& bytes) {
      if (tap_) emit tap_->stream(key(), false, peer_, port_, bytes);
      emit received(bytes);
    });
    connect(inner_, &StreamLink::disconnected, this, [this] {
      if (tap_) emit tap_->streamClosed(key());
      emit disconnected();
    });
    connect(inner_, &StreamLink::errorOccurred, this, &StreamLink::errorOccurred);
  }
  ~TracedStreamLink() override {
    if (tap_) emit tap_->streamClosed(key());
  }
  void connectTo(const QHostAddress& address, quint16 port) override {
    peer_ = address;
    port_ = port;
    inner_->connectTo(address, port);
  }
  void write(const QByteArray& bytes) override {
    if (tap_) emit tap_->stream(key(), true, peer_, port_, bytes);
    inner_->write(bytes);
  }
  void close() override { inner_->close(); }
  [[nodiscard]] bool isConnected() const override { return inner_->isConnected(); }

 private:
  [[nodiscard]] quintptr key() const { return reinterpret_cast<quintptr>(this); }

  StreamLink* inner_;  // a child
  QPointer<LanTrafficTap> tap_;
  QHostAddress peer_;
  quint16 port_ = 0;
};

}  // namespace

DatagramLink* TracedLanLinkFactory::createDatagram(QObject* parent) {
  return new TracedDatagramLink(inner_, tap_, parent);
}

StreamLink* TracedLanLinkFactory::createStream(QObject* parent) {
  return new TracedStreamLink(inner_, tap_, parent);
}

}  // namespace gizrig::core
