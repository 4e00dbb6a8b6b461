#include "gate_login.h"

namespace gizrig::cloud::detail {

namespace proto = gagent::proto;

GateLogin readGateLogin(proto::Bytes received) {
  GateLogin login;
  if (received.empty()) return login;
  if (received[0] != 0x10) {
    login.status = GateLoginStatus::Malformed;
    return login;
  }
  const proto::MqttFrameDecode frame = proto::decodeMqttPacket(received);
  if (frame.status == proto::ParseStatus::NeedMore) {
    if (received.size() >= kMaxLoginBytes) login.status = GateLoginStatus::Malformed;
    return login;
  }
  if (!frame.ok() || frame.packet.type != proto::MqttPacketType::Connect || frame.consumed > kMaxLoginBytes) {
    login.status = GateLoginStatus::Malformed;
    return login;
  }
  const proto::MqttParse<proto::MqttConnect> connect = proto::parseMqttConnect(frame.packet);
  if (!connect.ok()) {
    login.status = connect.error == proto::MqttError::UnsupportedProtocol
                       ? GateLoginStatus::UnsupportedProtocol
                       : GateLoginStatus::Malformed;
    return login;
  }
  login.status = GateLoginStatus::Connect;
  login.connect = connect.value;
  return login;
}

}  // namespace gizrig::cloud::detail
