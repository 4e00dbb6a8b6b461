#pragma once
// LAN packets as QByteArrays, through the proto codecs (never hand-assembled): the glue between the rig's Qt
// links and firmware/proto's span-based encoders.

#include <QByteArray>
#include <utility>

#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"

namespace gizrig::core {

inline gagent::proto::Bytes asProtoBytes(const QByteArray& bytes) {
  return {reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size())};
}

inline QByteArray toQByteArray(gagent::proto::Bytes bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())};
}

// One packet carrying `payload`; empty when the payload is too large (kLanMaxPayload).
inline QByteArray encodeLan(gagent::proto::LanCmd cmd, const QByteArray& payload = {}) {
  QByteArray out(static_cast<qsizetype>(gagent::proto::kLanMaxPacketSize), '\0');
  const std::size_t size =
      gagent::proto::encodeLanPacket(cmd, asProtoBytes(payload),
                                     gagent::proto::MutableBytes(reinterpret_cast<std::uint8_t*>(out.data()),
                                                                 static_cast<std::size_t>(out.size())));
  out.resize(static_cast<qsizetype>(size));
  return out;
}

// One packet whose payload `build(ByteWriter&)` writes; empty when the builder refused (e.g. an SSID over 32
// bytes) or the payload does not fit.
template <typename Build>
QByteArray encodeLanWith(gagent::proto::LanCmd cmd, Build&& build) {
  QByteArray out(static_cast<qsizetype>(gagent::proto::kLanMaxPacketSize), '\0');
  const std::size_t size = gagent::proto::encodeLanPacketWith(
      cmd, std::forward<Build>(build),
      gagent::proto::MutableBytes(reinterpret_cast<std::uint8_t*>(out.data()),
                                  static_cast<std::size_t>(out.size())));
  out.resize(static_cast<qsizetype>(size));
  return out;
}

}  // namespace gizrig::core
