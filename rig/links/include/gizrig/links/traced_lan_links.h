#pragma once
// One slot's LAN traffic, for its wire trace (`--trace DIR`): a LanLinkFactory that wraps another and reports
// every datagram and every stream's bytes, both ways, on a LanTrafficTap before passing them on unchanged.
// The plugs see the same links and signals as without it.

#include <QHostAddress>
#include <QObject>

#include "gizrig/links/links.h"

namespace gizrig::core {

class LanTrafficTap : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;

 signals:
  // `fromRig`: the rig sent it (to `peer`); otherwise the rig received it (from `peer`).
  void datagram(bool fromRig, const QHostAddress& peer, quint16 port, const QByteArray& bytes);
  // `connection`: a key stable while that stream is open.
  void stream(quintptr connection, bool fromRig, const QHostAddress& peer, quint16 port,
              const QByteArray& bytes);
  void streamClosed(quintptr connection);
};

class TracedLanLinkFactory final : public LanLinkFactory {
 public:
  TracedLanLinkFactory(LanLinkFactory& inner, LanTrafficTap& tap) : inner_(inner), tap_(tap) {}
  DatagramLink* createDatagram(QObject* parent) override;
  StreamLink* createStream(QObject* parent) override;

 private:
  LanLinkFactory& inner_;
  LanTrafficTap& tap_;
};

}  // namespace gizrig::core
