// SimCloud: the M2M broker of §3.7 (MQTT 3.1) with the CONNACK codes of S8.9, the device's own three
// subscriptions, PINGREQ answers, the device's publishes recorded, and the app side publishing to devices.
// Every packet is framed by MqttStreamDecoder and read/written with the proto MQTT codecs.
#include <algorithm>
#include <array>

#include "gagent/proto/cloud_mgmt.h"
#include "gagent/proto/mqtt_topics.h"
#include "sim_cloud_internal.h"

namespace gagent::sim {
namespace {

using Packet = std::array<std::uint8_t, proto::kMqttMaxPacket>;

bool sendPacket(PeerTcpConnection& peer, const Packet& packet, std::size_t size) {
  return size != 0 && peer.send(proto::Bytes(packet).first(size));
}

// The client id part of app2dev/<did>/<clientid> (§3.7): one topic level of 1..23 characters.
bool isAppClientId(std::string_view clientId) {
  return !clientId.empty() && clientId.size() <= proto::kMqttAppClientIdMaxLength &&
         clientId.find_first_of("/+#") == std::string_view::npos &&
         clientId.find('\0') == std::string_view::npos;
}

}  // namespace

void SimCloud::forceConnack(proto::ConnackCode code, std::size_t count) {
  forcedConnack_ = code;
  forcedConnackCount_ = code == proto::ConnackCode::Accepted ? 0 : count;
}

void SimCloud::setSilent(bool silent) {
  silent_ = silent;
  if (!silent) return;
  for (auto& session : sessions_) session->hung = true;
}

void SimCloud::dropAllSessions() {
  for (auto& session : sessions_) session->peer->close();
  sessions_.clear();
}

SimCloud::Session* SimCloud::onlineSession(std::string_view did) {
  for (auto& session : sessions_) {
    if (session->connected && !session->closed && !session->hung && session->did == did) return session.get();
  }
  return nullptr;
}

const SimCloud::Session* SimCloud::onlineSession(std::string_view did) const {
  return const_cast<SimCloud*>(this)->onlineSession(did);
}

bool SimCloud::deviceOnline(std::string_view did) const {
  return onlineSession(did) != nullptr;
}

std::vector<std::string> SimCloud::subscriptions(std::string_view did) const {
  const Session* session = onlineSession(did);
  return session == nullptr ? std::vector<std::string>{} : session->subscriptions;
}

bool SimCloud::serviceM2m(hal::Millis now) {
  bool sent = false;
  while (PeerTcpConnection* peer = m2mListener_.accept()) {
    sessions_.push_back(std::make_unique<Session>());
    sessions_.back()->peer = peer;
    sessions_.back()->hung = silent_;
  }
  // By index: a CONNECT may close another session (never adds or removes one).
  for (std::size_t i = 0; i < sessions_.size(); ++i) {
    Session& session = *sessions_[i];
    if (session.closed) continue;
    const std::vector<std::uint8_t> bytes = session.peer->receiveAll();
    if (session.hung) continue;  // a hung broker reads and forgets
    proto::Bytes data(bytes);
    while (!data.empty() && !session.closed) {
      data = data.subspan(session.decoder.feed(data));
      for (auto next = session.decoder.next(); next.ok() && !session.closed; next = session.decoder.next()) {
        sent = handlePacket(session, next.packet, now) || sent;
      }
      if (session.decoder.failed() && !session.closed) {
        // MQTT over TCP cannot resynchronise: drop the connection, as a real broker does.
        session.closed = true;
        session.peer->close();
        sent = true;
      }
    }
  }
  std::erase_if(sessions_, [](const auto& session) { return session->closed || session->peer->isClosed(); });
  return sent;
}

bool SimCloud::handlePacket(Session& session, const proto::MqttPacket& packet, hal::Millis now) {
  using proto::MqttPacketType;
  const auto drop = [&session] {
    session.closed = true;
    session.peer->close();
    return true;
  };
  if (!session.connected)
    return packet.type == MqttPacketType::Connect ? handleConnect(session, packet, now) : drop();

  Packet out{};
  switch (packet.type) {
    case MqttPacketType::Subscribe:
      return handleSubscribe(session, packet);
    case MqttPacketType::Publish:
      return handlePublish(session, packet, now);
    case MqttPacketType::Pingreq:
      if (!proto::parseMqttEmptyPacket(packet).ok()) return drop();
      return sendPacket(*session.peer, out, proto::encodeMqttPingresp(out));
    case MqttPacketType::Unsubscribe: {
      const auto parsed = proto::parseMqttUnsubscribe(packet);
      if (!parsed.ok()) return drop();
      proto::MqttTopicListCursor cursor = parsed.value.cursor();
      for (proto::MqttSubscription entry; cursor.next(entry);)
        std::erase(session.subscriptions, entry.topicFilter);
      return sendPacket(*session.peer, out,
                        proto::encodeMqttPacketIdAck(out, MqttPacketType::Unsuback, parsed.value.packetId));
    }
    case MqttPacketType::Puback:
    case MqttPacketType::Pubrec:
    case MqttPacketType::Pubcomp:
      return false;  // the broker publishes at QoS 0: nothing to acknowledge, nothing to do
    case MqttPacketType::Disconnect:
    default:
      // DISCONNECT ends the session; a second CONNECT, server-side packets or PUBREL (no QoS 2) are
      // protocol violations that end it too.
      return drop();
  }
}

bool SimCloud::handleConnect(Session& session, const proto::MqttPacket& packet, hal::Millis now) {
  using proto::ConnackCode;
  const auto parsed = proto::parseMqttConnect(packet);
  ConnackCode code = ConnackCode::Accepted;
  std::string clientId;
  if (!parsed.ok()) {
    if (parsed.error != proto::MqttError::UnsupportedProtocol) {
      session.closed = true;
      session.peer->close();
      return true;
    }
    code = ConnackCode::UnacceptableProtocol;
  } else {
    const proto::MqttConnect& connect = parsed.value;
    clientId = connect.clientId;
    if (forcedConnackCount_ > 0) {
      code = forcedConnack_;
      if (forcedConnackCount_ != kPersistent) --forcedConnackCount_;
    } else if (connect.protocol != proto::MqttProtocol::Mqtt31) {
      code = ConnackCode::UnacceptableProtocol;
    } else if (clientId.empty() || clientId.size() > kMaxMqttClientId) {
      code = ConnackCode::IdentifierRejected;
    } else if (!connect.username || *connect.username != connect.clientId || !connect.password ||
               !registry_.authenticates(connect.clientId, *connect.password)) {
      code = ConnackCode::BadUserNameOrPassword;
    }
  }
  connects_.push_back({now, clientId, code});

  if (code == ConnackCode::Accepted) {
    // S8.9 0x02 note: a device reusing its DID replaces its old session.
    for (auto& other : sessions_) {
      if (other.get() != &session && other->connected && !other->closed && other->did == clientId) {
        other->closed = true;
        other->peer->close();
      }
    }
    session.connected = true;
    session.did = clientId;
    session.productKey = registry_.find(clientId)->productKey;
  }
  Packet out{};
  sendPacket(*session.peer, out, proto::encodeMqttConnack(out, false, code));
  if (code != ConnackCode::Accepted) {
    session.closed = true;
    session.peer->close();
  }
  return true;
}

// §3.7: QoS 0 granted for ser2cli_noti/<pk>, ser2cli_res/<did> and app2dev/<did>/#; 0x80 for anything else.
bool SimCloud::handleSubscribe(Session& session, const proto::MqttPacket& packet) {
  const auto parsed = proto::parseMqttSubscribe(packet);
  if (!parsed.ok()) {
    session.closed = true;
    session.peer->close();
    return true;
  }
  const std::array<proto::MqttTopic, 3> own = {proto::serToCliNotiTopic(session.productKey),
                                               proto::serToCliResTopic(session.did),
                                               proto::appToDevFilter(session.did)};
  std::vector<std::uint8_t> granted;
  proto::forEachMqttSubscription(parsed.value, [&](const proto::MqttSubscription& entry) {
    const bool isOwn = std::any_of(own.begin(), own.end(), [&](const proto::MqttTopic& topic) {
      return topic.ok() && topic.view() == entry.topicFilter;
    });
    granted.push_back(isOwn ? 0 : proto::kMqttSubackFailure);
    auto& subscribed = session.subscriptions;
    if (isOwn && std::find(subscribed.begin(), subscribed.end(), entry.topicFilter) == subscribed.end()) {
      subscribed.emplace_back(entry.topicFilter);
    }
  });
  Packet out{};
  return sendPacket(*session.peer, out, proto::encodeMqttSuback(out, parsed.value.packetId, granted));
}

bool SimCloud::handlePublish(Session& session, const proto::MqttPacket& packet, hal::Millis now) {
  const auto parsed = proto::parseMqttPublish(packet);
  if (!parsed.ok() || parsed.value.qos == 2) {  // QoS 2 is not part of Gizwits' M2M
    session.closed = true;
    session.peer->close();
    return true;
  }
  const proto::MqttPublish& publish = parsed.value;
  const std::string perClient = std::string(proto::devToAppTopic(session.did).view()) + "/+";
  const bool own = publish.topic == proto::devToAppTopic(session.did).view() ||
                   proto::topicMatches(perClient, publish.topic) || publish.topic == proto::kCliToSerReqTopic;
  published_.push_back({now, session.did, std::string(publish.topic),
                        std::vector<std::uint8_t>(publish.payload.begin(), publish.payload.end()), own});

  bool sent = false;
  if (publish.qos == 1) {
    Packet out{};
    sent = sendPacket(*session.peer, out,
                      proto::encodeMqttPacketIdAck(out, proto::MqttPacketType::Puback, publish.packetId));
  }
  // §3.7 0x020F: the device asks how many apps are online; the broker answers 0x0210.
  if (publish.topic == proto::kCliToSerReqTopic) {
    const auto request = proto::decodeMgmt(publish.payload);
    if (request.ok() && request.value.cmd == static_cast<std::uint16_t>(proto::MgmtCmd::AppCountRequest)) {
      std::uint16_t count = 0;
      for (const auto& [did, n] : appCounts_) {
        if (did == session.did) count = n;
      }
      std::array<std::uint8_t, 16> payload{};
      const std::size_t size = proto::encodeMgmtAppCount(payload, count);
      const proto::MqttTopic topic = proto::serToCliResTopic(session.did);
      sent = sendPublish(session.did, topic.view(), proto::Bytes(payload).first(size)) || sent;
    }
  }
  return sent;
}

bool SimCloud::sendPublish(std::string_view did, std::string_view topic, proto::Bytes payload) {
  Session* session = onlineSession(did);
  if (session == nullptr || topic.empty()) return false;
  const auto& subscribed = session->subscriptions;
  const bool matches = std::any_of(subscribed.begin(), subscribed.end(), [topic](const std::string& filter) {
    return proto::topicMatches(filter, topic);
  });
  if (!matches) return false;
  Packet out{};
  return sendPacket(*session->peer, out, proto::encodeMqttPublish(out, topic, payload));
}

bool SimCloud::appPublish(std::string_view did, std::string_view clientId, proto::Bytes lanPacket) {
  if (!isAppClientId(clientId)) return false;
  const std::string topic = "app2dev/" + std::string(did) + "/" + std::string(clientId);
  return proto::isValidTopicName(topic) && sendPublish(did, topic, lanPacket);
}

bool SimCloud::pushOta(std::string_view did, proto::OtaFirmwareType type) {
  std::array<std::uint8_t, 16> payload{};
  const std::size_t size = proto::encodeMgmtOtaPush(payload, type);
  const proto::MqttTopic topic = proto::serToCliResTopic(did);
  return size != 0 && sendPublish(did, topic.view(), proto::Bytes(payload).first(size));
}

bool SimCloud::pushAppCount(std::string_view did, std::uint16_t count) {
  std::erase_if(appCounts_, [did](const auto& entry) { return entry.first == did; });
  appCounts_.emplace_back(std::string(did), count);
  std::array<std::uint8_t, 16> payload{};
  const std::size_t size = proto::encodeMgmtAppCount(payload, count);
  const proto::MqttTopic topic = proto::serToCliResTopic(did);
  return size != 0 && sendPublish(did, topic.view(), proto::Bytes(payload).first(size));
}

}  // namespace gagent::sim
