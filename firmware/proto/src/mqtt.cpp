#include "gagent/proto/mqtt.h"

#include <algorithm>

#include "gagent/proto/mqtt_topics.h"
#include "gagent/proto/varint.h"

namespace gagent::proto {

namespace {

constexpr std::uint16_t kMaxStringLength = 0xFFFF;
constexpr std::string_view kMqisdpName = "MQIsdp";
constexpr std::uint8_t kMqisdpLevel = 3;
constexpr std::string_view kMqttName = "MQTT";
constexpr std::uint8_t kMqttLevel = 4;

// Connect flags (MQTT 3.1 §3.1 / 3.1.1 §3.1.2.3).
constexpr std::uint8_t kFlagUsername = 0x80;
constexpr std::uint8_t kFlagPassword = 0x40;
constexpr std::uint8_t kFlagWillRetain = 0x20;
constexpr std::uint8_t kFlagWill = 0x04;
constexpr std::uint8_t kFlagCleanSession = 0x02;
constexpr std::uint8_t kFlagReserved = 0x01;
constexpr int kWillQosShift = 3;

// Low nibble required by SUBSCRIBE, UNSUBSCRIBE and PUBREL (QoS 1 in the 3.1 header, "reserved 0010"
// in 3.1.1).
constexpr std::uint8_t kQos1HeaderFlags = 0x02;

constexpr std::uint8_t firstByte(MqttPacketType type, std::uint8_t flags) {
  return static_cast<std::uint8_t>((static_cast<std::uint8_t>(type) << 4) | (flags & 0x0F));
}

constexpr std::size_t stringSize(std::string_view text) {
  return 2 + text.size();
}

// Writes the fixed header for a body of `bodySize` bytes. Fails the writer if the whole packet would exceed
// kMqttMaxPacket, so every encoder's output can be read back by decodeMqttPacket.
void beginPacket(ByteWriter& w, std::uint8_t first, std::size_t bodySize) {
  if (bodySize >= kMqttMaxPacket ||
      1 + varintSize(static_cast<std::uint32_t>(bodySize)) + bodySize > kMqttMaxPacket) {
    w.fail();
    return;
  }
  w.u8(first);
  encodeVarint(w, static_cast<std::uint32_t>(bodySize));
}

void writeString(ByteWriter& w, std::string_view text) {
  if (text.size() > kMaxStringLength) {
    w.fail();
    return;
  }
  w.lengthPrefixed16(asBytes(text));
}

std::size_t finish(const ByteWriter& w) {
  return w.ok() ? w.size() : 0;
}

std::string_view readString(ByteReader& r) {
  return asText(r.lengthPrefixed16());
}

template <typename T>
MqttParse<T> fail(MqttError error) {
  MqttParse<T> result;
  result.error = error;
  return result;
}

template <typename T>
MqttParse<T> success(const T& value) {
  MqttParse<T> result;
  result.status = ParseStatus::Ok;
  result.value = value;
  return result;
}

// Shared checks of a typed parser: the right type and the low nibble that type requires.
MqttError checkHeader(const MqttPacket& packet, MqttPacketType type, std::uint8_t flags) {
  if (packet.type != type) return MqttError::WrongPacketType;
  if (packet.flags != flags) return MqttError::BadFixedHeaderFlags;
  return MqttError::None;
}

// Reads `packetId` and validates a SUBSCRIBE/UNSUBSCRIBE topic list; returns the entry count via `count`.
MqttError readTopicList(const MqttPacket& packet, bool withQos, std::uint16_t& packetId, Bytes& entries,
                        std::size_t& count) {
  ByteReader r(packet.body);
  packetId = r.u16();
  if (!r.ok()) return MqttError::Truncated;
  if (packetId == 0) return MqttError::ZeroPacketId;
  entries = packet.body.subspan(r.position());
  count = 0;
  while (!r.atEnd()) {
    const std::string_view filter = readString(r);
    const std::uint8_t qos = withQos ? r.u8() : 0;
    if (!r.ok()) return MqttError::Truncated;
    if (!isValidTopicFilter(filter)) return MqttError::BadTopicFilter;
    if (qos > 2) return MqttError::BadQos;  // 3.1.1: the upper six bits are reserved too
    ++count;
  }
  return count == 0 ? MqttError::NoTopics : MqttError::None;
}

bool isPacketIdAck(MqttPacketType type) {
  switch (type) {
    case MqttPacketType::Puback:
    case MqttPacketType::Pubrec:
    case MqttPacketType::Pubrel:
    case MqttPacketType::Pubcomp:
    case MqttPacketType::Unsuback:
      return true;
    default:
      return false;
  }
}

std::size_t encodeEmpty(MutableBytes out, MqttPacketType type) {
  ByteWriter w(out);
  beginPacket(w, firstByte(type, 0), 0);
  return finish(w);
}

}  // namespace

std::string_view mqttPacketTypeName(MqttPacketType type) {
  switch (type) {
    case MqttPacketType::Connect:
      return "CONNECT";
    case MqttPacketType::Connack:
      return "CONNACK";
    case MqttPacketType::Publish:
      return "PUBLISH";
    case MqttPacketType::Puback:
      return "PUBACK";
    case MqttPacketType::Pubrec:
      return "PUBREC";
    case MqttPacketType::Pubrel:
      return "PUBREL";
    case MqttPacketType::Pubcomp:
      return "PUBCOMP";
    case MqttPacketType::Subscribe:
      return "SUBSCRIBE";
    case MqttPacketType::Suback:
      return "SUBACK";
    case MqttPacketType::Unsubscribe:
      return "UNSUBSCRIBE";
    case MqttPacketType::Unsuback:
      return "UNSUBACK";
    case MqttPacketType::Pingreq:
      return "PINGREQ";
    case MqttPacketType::Pingresp:
      return "PINGRESP";
    case MqttPacketType::Disconnect:
      return "DISCONNECT";
  }
  return "reserved";
}

std::string_view connackCodeName(ConnackCode code) {
  switch (code) {
    case ConnackCode::Accepted:
      return "accepted";
    case ConnackCode::UnacceptableProtocol:
      return "unacceptable protocol version";
    case ConnackCode::IdentifierRejected:
      return "identifier rejected";
    case ConnackCode::ServerUnavailable:
      return "server unavailable";
    case ConnackCode::BadUserNameOrPassword:
      return "bad user name or password";
    case ConnackCode::NotAuthorized:
      return "not authorized";
  }
  return "reserved";
}

std::string_view mqttErrorName(MqttError error) {
  switch (error) {
    case MqttError::None:
      return "none";
    case MqttError::ReservedPacketType:
      return "reserved packet type";
    case MqttError::RemainingLengthTooLong:
      return "remaining length longer than 4 bytes";
    case MqttError::PacketTooLarge:
      return "packet too large";
    case MqttError::WrongPacketType:
      return "wrong packet type";
    case MqttError::BadFixedHeaderFlags:
      return "bad fixed header flags";
    case MqttError::Truncated:
      return "truncated";
    case MqttError::TrailingBytes:
      return "trailing bytes";
    case MqttError::UnsupportedProtocol:
      return "unsupported protocol name or level";
    case MqttError::BadConnectFlags:
      return "bad connect flags";
    case MqttError::BadQos:
      return "bad QoS";
    case MqttError::ZeroPacketId:
      return "packet id 0";
    case MqttError::BadTopicName:
      return "bad topic name";
    case MqttError::BadTopicFilter:
      return "bad topic filter";
    case MqttError::NoTopics:
      return "no topics";
    case MqttError::BadConnackFlags:
      return "bad CONNACK flags";
    case MqttError::BadReturnCode:
      return "bad return code";
  }
  return "unknown";
}

std::string_view mqttProtocolName(MqttProtocol protocol) {
  return protocol == MqttProtocol::Mqtt31 ? "MQIsdp/3" : "MQTT/4";
}

// ---- framing ----

MqttFrameDecode decodeMqttPacket(Bytes in) {
  MqttFrameDecode result;
  if (in.empty()) return result;
  const std::uint8_t type = in[0] >> 4;
  if (type == 0 || type == 15) {
    result.status = ParseStatus::Malformed;
    result.error = MqttError::ReservedPacketType;
    return result;
  }
  const VarintDecode length = decodeVarint(in.subspan(1));
  if (length.status == ParseStatus::Malformed) {
    result.status = ParseStatus::Malformed;
    result.error = MqttError::RemainingLengthTooLong;
    return result;
  }
  if (length.status == ParseStatus::NeedMore) return result;
  const std::size_t headerSize = 1 + length.consumed;
  if (length.value > kMqttMaxPacket - headerSize) {
    result.status = ParseStatus::Malformed;
    result.error = MqttError::PacketTooLarge;
    return result;
  }
  const std::size_t total = headerSize + length.value;
  if (in.size() < total) return result;
  result.status = ParseStatus::Ok;
  result.packet.type = static_cast<MqttPacketType>(type);
  result.packet.flags = in[0] & 0x0F;
  result.packet.body = in.subspan(headerSize, length.value);
  result.consumed = total;
  return result;
}

std::size_t MqttStreamDecoder::feed(Bytes in) {
  if (failed()) return in.size();  // the connection is being dropped: nothing more is worth keeping
  if (begin_ > 0) {
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(begin_),
              buffer_.begin() + static_cast<std::ptrdiff_t>(end_), buffer_.begin());
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t taken = std::min(in.size(), kCapacity - end_);
  std::copy_n(in.begin(), taken, buffer_.begin() + static_cast<std::ptrdiff_t>(end_));
  end_ += taken;
  return taken;
}

MqttFrameDecode MqttStreamDecoder::next() {
  if (failed()) {
    MqttFrameDecode result;
    result.status = ParseStatus::Malformed;
    result.error = error_;
    return result;
  }
  MqttFrameDecode result = decodeMqttPacket(Bytes(buffer_).subspan(begin_, end_ - begin_));
  if (result.status == ParseStatus::Malformed) error_ = result.error;
  if (result.ok()) begin_ += result.consumed;
  return result;
}

void MqttStreamDecoder::reset() {
  begin_ = 0;
  end_ = 0;
  error_ = MqttError::None;
}

// ---- CONNECT ----

std::size_t encodeMqttConnect(MutableBytes out, const MqttConnect& connect) {
  if (connect.password && !connect.username) return 0;
  std::uint8_t flags = connect.cleanSession ? kFlagCleanSession : 0;
  std::size_t payloadSize = stringSize(connect.clientId);
  if (connect.will) {
    const MqttWill& will = *connect.will;
    if (will.qos > 2 || !isValidTopicName(will.topic) || will.message.size() > kMaxStringLength) return 0;
    flags = static_cast<std::uint8_t>(flags | kFlagWill | (will.qos << kWillQosShift) |
                                      (will.retain ? kFlagWillRetain : 0));
    payloadSize += stringSize(will.topic) + 2 + will.message.size();
  }
  if (connect.username) {
    flags |= kFlagUsername;
    payloadSize += stringSize(*connect.username);
  }
  if (connect.password) {
    flags |= kFlagPassword;
    payloadSize += stringSize(*connect.password);
  }
  const bool v31 = connect.protocol == MqttProtocol::Mqtt31;
  const std::string_view name = v31 ? kMqisdpName : kMqttName;
  const std::size_t bodySize = stringSize(name) + 1 + 1 + 2 + payloadSize;

  ByteWriter w(out);
  beginPacket(w, firstByte(MqttPacketType::Connect, 0), bodySize);
  writeString(w, name);
  w.u8(v31 ? kMqisdpLevel : kMqttLevel);
  w.u8(flags);
  w.u16(connect.keepAliveSeconds);
  writeString(w, connect.clientId);
  if (connect.will) {
    writeString(w, connect.will->topic);
    w.lengthPrefixed16(connect.will->message);
  }
  if (connect.username) writeString(w, *connect.username);
  if (connect.password) writeString(w, *connect.password);
  return finish(w);
}

std::size_t encodeMqttConnect(MutableBytes out, std::string_view clientId,
                              std::optional<std::string_view> username,
                              std::optional<std::string_view> password, std::uint16_t keepAliveSeconds,
                              bool cleanSession) {
  MqttConnect connect;
  connect.clientId = clientId;
  connect.username = username;
  connect.password = password;
  connect.keepAliveSeconds = keepAliveSeconds;
  connect.cleanSession = cleanSession;
  return encodeMqttConnect(out, connect);
}

MqttParse<MqttConnect> parseMqttConnect(const MqttPacket& packet) {
  using Result = MqttConnect;
  if (const MqttError e = checkHeader(packet, MqttPacketType::Connect, 0); e != MqttError::None)
    return fail<Result>(e);
  ByteReader r(packet.body);
  MqttConnect connect;
  const std::string_view name = readString(r);
  const std::uint8_t level = r.u8();
  if (!r.ok()) return fail<Result>(MqttError::Truncated);
  if (name == kMqisdpName && level == kMqisdpLevel) {
    connect.protocol = MqttProtocol::Mqtt31;
  } else if (name == kMqttName && level == kMqttLevel) {
    connect.protocol = MqttProtocol::Mqtt311;
  } else {
    return fail<Result>(MqttError::UnsupportedProtocol);
  }
  const std::uint8_t flags = r.u8();
  connect.keepAliveSeconds = r.u16();
  if (!r.ok()) return fail<Result>(MqttError::Truncated);
  const bool hasWill = (flags & kFlagWill) != 0;
  const auto willQos = static_cast<std::uint8_t>((flags >> kWillQosShift) & 0x03);
  const bool willRetain = (flags & kFlagWillRetain) != 0;
  const bool hasUsername = (flags & kFlagUsername) != 0;
  const bool hasPassword = (flags & kFlagPassword) != 0;
  // Inconsistent flags: the reserved bit, will QoS 3, will QoS/retain without a will, a password without a
  // user name (3.1.1 forbids it; a 3.1 broker would silently drop the password).
  if ((flags & kFlagReserved) != 0 || willQos > 2 || (!hasWill && (willQos != 0 || willRetain)) ||
      (hasPassword && !hasUsername)) {
    return fail<Result>(MqttError::BadConnectFlags);
  }
  connect.cleanSession = (flags & kFlagCleanSession) != 0;
  connect.clientId = readString(r);
  if (hasWill) {
    MqttWill will;
    will.qos = willQos;
    will.retain = willRetain;
    will.topic = readString(r);
    will.message = r.lengthPrefixed16();
    if (r.ok() && !isValidTopicName(will.topic)) return fail<Result>(MqttError::BadTopicName);
    connect.will = will;
  }
  if (hasUsername) connect.username = readString(r);
  if (hasPassword) connect.password = readString(r);
  if (!r.ok()) return fail<Result>(MqttError::Truncated);
  if (!r.atEnd()) return fail<Result>(MqttError::TrailingBytes);
  return success(connect);
}

// ---- CONNACK ----

std::size_t encodeMqttConnack(MutableBytes out, bool sessionPresent, ConnackCode code) {
  ByteWriter w(out);
  beginPacket(w, firstByte(MqttPacketType::Connack, 0), 2);
  w.u8(sessionPresent ? 1 : 0);
  w.u8(static_cast<std::uint8_t>(code));
  return finish(w);
}

MqttParse<MqttConnack> parseMqttConnack(const MqttPacket& packet) {
  using Result = MqttConnack;
  if (const MqttError e = checkHeader(packet, MqttPacketType::Connack, 0); e != MqttError::None)
    return fail<Result>(e);
  if (packet.body.size() < 2) return fail<Result>(MqttError::Truncated);
  if (packet.body.size() > 2) return fail<Result>(MqttError::TrailingBytes);
  if ((packet.body[0] & 0xFE) != 0) return fail<Result>(MqttError::BadConnackFlags);
  if (packet.body[1] > static_cast<std::uint8_t>(ConnackCode::NotAuthorized))
    return fail<Result>(MqttError::BadReturnCode);
  MqttConnack connack;
  connack.sessionPresent = (packet.body[0] & 0x01) != 0;
  connack.code = static_cast<ConnackCode>(packet.body[1]);
  return success(connack);
}

// ---- SUBSCRIBE / SUBACK / UNSUBSCRIBE ----

bool MqttTopicListCursor::next(MqttSubscription& out) {
  if (!reader_.ok() || reader_.atEnd()) return false;
  const std::string_view filter = readString(reader_);
  const std::uint8_t qos = withQos_ ? reader_.u8() : 0;
  if (!reader_.ok()) return false;
  out.topicFilter = filter;
  out.qos = qos;
  return true;
}

std::size_t encodeMqttSubscribe(MutableBytes out, std::uint16_t packetId, std::string_view topicFilter,
                                std::uint8_t qos) {
  const MqttSubscription one{topicFilter, qos};
  return encodeMqttSubscribe(out, packetId, std::span<const MqttSubscription>(&one, 1));
}

std::size_t encodeMqttSubscribe(MutableBytes out, std::uint16_t packetId,
                                std::span<const MqttSubscription> topics) {
  if (packetId == 0 || topics.empty()) return 0;
  std::size_t bodySize = 2;
  for (const MqttSubscription& topic : topics) {
    if (!isValidTopicFilter(topic.topicFilter) || topic.qos > 2) return 0;
    bodySize += stringSize(topic.topicFilter) + 1;
    if (bodySize > kMqttMaxPacket) return 0;
  }
  ByteWriter w(out);
  beginPacket(w, firstByte(MqttPacketType::Subscribe, kQos1HeaderFlags), bodySize);
  w.u16(packetId);
  for (const MqttSubscription& topic : topics) {
    writeString(w, topic.topicFilter);
    w.u8(topic.qos);
  }
  return finish(w);
}

MqttParse<MqttSubscribe> parseMqttSubscribe(const MqttPacket& packet) {
  using Result = MqttSubscribe;
  if (const MqttError e = checkHeader(packet, MqttPacketType::Subscribe, kQos1HeaderFlags);
      e != MqttError::None)
    return fail<Result>(e);
  MqttSubscribe subscribe;
  if (const MqttError e = readTopicList(packet, true, subscribe.packetId, subscribe.entries, subscribe.count);
      e != MqttError::None) {
    return fail<Result>(e);
  }
  return success(subscribe);
}

std::size_t encodeMqttSuback(MutableBytes out, std::uint16_t packetId, std::uint8_t grantedQos) {
  return encodeMqttSuback(out, packetId, Bytes(&grantedQos, 1));
}

std::size_t encodeMqttSuback(MutableBytes out, std::uint16_t packetId, Bytes grantedQos) {
  if (packetId == 0 || grantedQos.empty()) return 0;
  for (std::uint8_t code : grantedQos) {
    if (code > 2 && code != kMqttSubackFailure) return 0;
  }
  ByteWriter w(out);
  beginPacket(w, firstByte(MqttPacketType::Suback, 0), 2 + grantedQos.size());
  w.u16(packetId);
  w.bytes(grantedQos);
  return finish(w);
}

MqttParse<MqttSuback> parseMqttSuback(const MqttPacket& packet) {
  using Result = MqttSuback;
  if (const MqttError e = checkHeader(packet, MqttPacketType::Suback, 0); e != MqttError::None)
    return fail<Result>(e);
  ByteReader r(packet.body);
  MqttSuback suback;
  suback.packetId = r.u16();
  if (!r.ok()) return fail<Result>(MqttError::Truncated);
  if (suback.packetId == 0) return fail<Result>(MqttError::ZeroPacketId);
  suback.grantedQos = r.rest();
  if (suback.grantedQos.empty()) return fail<Result>(MqttError::NoTopics);
  for (std::uint8_t code : suback.grantedQos) {
    if (code > 2 && code != kMqttSubackFailure) return fail<Result>(MqttError::BadReturnCode);
  }
  return success(suback);
}

std::size_t encodeMqttUnsubscribe(MutableBytes out, std::uint16_t packetId, std::string_view topicFilter) {
  if (packetId == 0 || !isValidTopicFilter(topicFilter)) return 0;
  ByteWriter w(out);
  beginPacket(w, firstByte(MqttPacketType::Unsubscribe, kQos1HeaderFlags), 2 + stringSize(topicFilter));
  w.u16(packetId);
  writeString(w, topicFilter);
  return finish(w);
}

MqttParse<MqttUnsubscribe> parseMqttUnsubscribe(const MqttPacket& packet) {
  using Result = MqttUnsubscribe;
  if (const MqttError e = checkHeader(packet, MqttPacketType::Unsubscribe, kQos1HeaderFlags);
      e != MqttError::None) {
    return fail<Result>(e);
  }
  MqttUnsubscribe unsubscribe;
  if (const MqttError e =
          readTopicList(packet, false, unsubscribe.packetId, unsubscribe.entries, unsubscribe.count);
      e != MqttError::None) {
    return fail<Result>(e);
  }
  return success(unsubscribe);
}

// ---- PUBLISH ----

std::size_t encodeMqttPublish(MutableBytes out, std::string_view topic, Bytes payload) {
  MqttPublish publish;
  publish.topic = topic;
  publish.payload = payload;
  return encodeMqttPublish(out, publish);
}

std::size_t encodeMqttPublish(MutableBytes out, const MqttPublish& publish) {
  if (publish.qos > 2 || !isValidTopicName(publish.topic)) return 0;
  if (publish.qos == 0 && publish.dup) return 0;
  if (publish.qos > 0 && publish.packetId == 0) return 0;
  if (publish.payload.size() > kMqttMaxPacket) return 0;
  const std::size_t bodySize = stringSize(publish.topic) + (publish.qos > 0 ? 2 : 0) + publish.payload.size();
  const auto flags =
      static_cast<std::uint8_t>((publish.dup ? 0x08 : 0) | (publish.qos << 1) | (publish.retain ? 0x01 : 0));
  ByteWriter w(out);
  beginPacket(w, firstByte(MqttPacketType::Publish, flags), bodySize);
  writeString(w, publish.topic);
  if (publish.qos > 0) w.u16(publish.packetId);
  w.bytes(publish.payload);
  return finish(w);
}

MqttParse<MqttPublish> parseMqttPublish(const MqttPacket& packet) {
  using Result = MqttPublish;
  if (packet.type != MqttPacketType::Publish) return fail<Result>(MqttError::WrongPacketType);
  MqttPublish publish;
  publish.dup = (packet.flags & 0x08) != 0;
  publish.qos = static_cast<std::uint8_t>((packet.flags >> 1) & 0x03);
  publish.retain = (packet.flags & 0x01) != 0;
  if (publish.qos == 3) return fail<Result>(MqttError::BadQos);
  if (publish.qos == 0 && publish.dup) return fail<Result>(MqttError::BadFixedHeaderFlags);
  ByteReader r(packet.body);
  publish.topic = readString(r);
  if (!r.ok()) return fail<Result>(MqttError::Truncated);
  if (!isValidTopicName(publish.topic)) return fail<Result>(MqttError::BadTopicName);
  if (publish.qos > 0) {
    // QoS 1/2 carry a packet id before the payload; reading it keeps the payload exact (GAgent only uses 0).
    publish.packetId = r.u16();
    if (!r.ok()) return fail<Result>(MqttError::Truncated);
    if (publish.packetId == 0) return fail<Result>(MqttError::ZeroPacketId);
  }
  publish.payload = r.rest();
  return success(publish);
}

std::size_t encodeMqttPacketIdAck(MutableBytes out, MqttPacketType type, std::uint16_t packetId) {
  if (!isPacketIdAck(type) || packetId == 0) return 0;
  ByteWriter w(out);
  beginPacket(w, firstByte(type, type == MqttPacketType::Pubrel ? kQos1HeaderFlags : 0), 2);
  w.u16(packetId);
  return finish(w);
}

MqttParse<std::uint16_t> parseMqttPacketIdAck(const MqttPacket& packet) {
  using Result = std::uint16_t;
  if (!isPacketIdAck(packet.type)) return fail<Result>(MqttError::WrongPacketType);
  const std::uint8_t flags = packet.type == MqttPacketType::Pubrel ? kQos1HeaderFlags : 0;
  if (packet.flags != flags) return fail<Result>(MqttError::BadFixedHeaderFlags);
  if (packet.body.size() < 2) return fail<Result>(MqttError::Truncated);
  if (packet.body.size() > 2) return fail<Result>(MqttError::TrailingBytes);
  const auto packetId = static_cast<std::uint16_t>((packet.body[0] << 8) | packet.body[1]);
  if (packetId == 0) return fail<Result>(MqttError::ZeroPacketId);
  return success(packetId);
}

// ---- PINGREQ / PINGRESP / DISCONNECT ----

std::size_t encodeMqttPingreq(MutableBytes out) {
  return encodeEmpty(out, MqttPacketType::Pingreq);
}
std::size_t encodeMqttPingresp(MutableBytes out) {
  return encodeEmpty(out, MqttPacketType::Pingresp);
}
std::size_t encodeMqttDisconnect(MutableBytes out) {
  return encodeEmpty(out, MqttPacketType::Disconnect);
}

MqttParse<MqttPacketType> parseMqttEmptyPacket(const MqttPacket& packet) {
  using Result = MqttPacketType;
  if (packet.type != MqttPacketType::Pingreq && packet.type != MqttPacketType::Pingresp &&
      packet.type != MqttPacketType::Disconnect) {
    return fail<Result>(MqttError::WrongPacketType);
  }
  if (packet.flags != 0) return fail<Result>(MqttError::BadFixedHeaderFlags);
  if (!packet.body.empty()) return fail<Result>(MqttError::TrailingBytes);
  return success(packet.type);
}

}  // namespace gagent::proto
