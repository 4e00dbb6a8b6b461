#pragma once
// MQTT 3.1 (protocol name "MQIsdp", level 3) packets as GAgent speaks them to the M2M server (§3.7), plus the
// 3.1.1 ("MQTT", level 4) CONNECT so the rig's M2M gate can read either. Both directions of every packet:
// the firmware encodes CONNECT/SUBSCRIBE/PUBLISH/PINGREQ and decodes CONNACK/SUBACK/PUBLISH/PINGRESP; the
// gate does the reverse.
//
// Nothing here allocates. Encoders write into a caller buffer and return the packet size, 0 when the packet
// does not fit, a field cannot be encoded (string > 65535 bytes, QoS > 2, packet id 0 where one is needed) or
// the packet would exceed kMqttMaxPacket (so we never send what this codec could not read back).
// Decoding is two steps: MqttStreamDecoder (or decodeMqttPacket on a contiguous buffer) cuts the TCP byte
// stream into packets {type, flags, body}; the typed parsers then read one packet's body. Views returned by
// parsers point into the packet they were given.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "gagent/proto/bytes.h"

namespace gagent::proto {

// Largest whole packet (fixed header + remaining length + body) this codec decodes or encodes. GAgent reads a
// PUBLISH with one recv() of <= 1024 bytes (§3.7); 2048 leaves room for a LAN-sized payload plus topic.
inline constexpr std::size_t kMqttMaxPacket = 2048;
// Fixed header byte + the longest remaining-length varint.
inline constexpr std::size_t kMqttMaxFixedHeader = 5;
// MQTT 3.1 limits client ids to 1..23 characters (the DID is 22, §3.7).
inline constexpr std::size_t kMqtt31MaxClientIdLength = 23;
// Keep-alive GAgent puts in CONNECT (§3.7, §9 "cloud heartbeat", S8.5).
inline constexpr std::uint16_t kMqttKeepAliveSeconds = 120;

// Upper nibble of the fixed header. 0 and 15 are reserved and malformed on the wire.
enum class MqttPacketType : std::uint8_t {
  Connect = 1,
  Connack = 2,
  Publish = 3,
  Puback = 4,
  Pubrec = 5,
  Pubrel = 6,
  Pubcomp = 7,
  Subscribe = 8,
  Suback = 9,
  Unsubscribe = 10,
  Unsuback = 11,
  Pingreq = 12,
  Pingresp = 13,
  Disconnect = 14,
};
[[nodiscard]] std::string_view mqttPacketTypeName(MqttPacketType type);

// S8.9: the CONNACK return codes and what the module does on each.
enum class ConnackCode : std::uint8_t {
  Accepted = 0,
  UnacceptableProtocol = 1,
  IdentifierRejected = 2,
  ServerUnavailable = 3,
  BadUserNameOrPassword = 4,
  NotAuthorized = 5,
};
[[nodiscard]] std::string_view connackCodeName(ConnackCode code);

// Why a packet could not be decoded. Any of these on the stream means the peer is broken: the caller drops
// the TCP connection (MQTT over TCP has no resynchronisation). UnsupportedProtocol is the one a server
// answers first, with CONNACK UnacceptableProtocol.
enum class MqttError : std::uint8_t {
  None,
  ReservedPacketType,      // type 0 or 15
  RemainingLengthTooLong,  // remaining-length varint needs a fifth byte
  PacketTooLarge,          // whole packet > kMqttMaxPacket
  WrongPacketType,         // a typed parser was given another packet type
  BadFixedHeaderFlags,     // low nibble not the value the type requires (or DUP on a QoS 0 PUBLISH)
  Truncated,               // the body ends inside a field
  TrailingBytes,           // bytes after the last field
  UnsupportedProtocol,     // CONNECT protocol name/level other than MQIsdp/3 or MQTT/4
  BadConnectFlags,         // reserved bit, will QoS 3, will fields without will, password without user name
  BadQos,                  // QoS 3 in a PUBLISH, SUBSCRIBE entry or SUBACK
  ZeroPacketId,            // packet id 0 where one is required
  BadTopicName,            // empty or containing a wildcard
  BadTopicFilter,          // empty, or '+'/'#' not alone in their level, or '#' not last
  NoTopics,                // SUBSCRIBE/UNSUBSCRIBE/SUBACK without a single entry
  BadConnackFlags,         // CONNACK acknowledge flags other than session-present
  BadReturnCode,           // CONNACK code > 5, SUBACK code other than 0/1/2/0x80
};
[[nodiscard]] std::string_view mqttErrorName(MqttError error);

// One framed packet. `body` is everything after the remaining length (variable header + payload).
struct MqttPacket {
  MqttPacketType type = MqttPacketType::Connect;
  std::uint8_t flags = 0;  // low nibble of the fixed header
  Bytes body;
};

struct [[nodiscard]] MqttFrameDecode {
  ParseStatus status = ParseStatus::NeedMore;
  MqttError error = MqttError::None;
  MqttPacket packet;
  std::size_t consumed = 0;  // whole packet size when Ok
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
};

// Frames the packet at the start of `in`. NeedMore until it is complete; Malformed as soon as the first byte
// (reserved type) or the remaining length (too long, packet > kMqttMaxPacket) proves it bad.
MqttFrameDecode decodeMqttPacket(Bytes in);

// Cuts a TCP byte stream into packets using a fixed buffer, for split and coalesced segments alike:
//   while (!data.empty()) {
//     data = data.subspan(decoder.feed(data));
//     for (auto next = decoder.next(); next.ok(); next = decoder.next()) handle(next.packet);
//     if (decoder.failed()) { drop the connection; break; }
//   }
// Every packet that passes the size check fits in the buffer, so a full buffer always yields a packet.
// After a malformed packet the decoder stays failed (next() repeats the error, feed() discards) until
// reset(): the caller drops the connection, as MQTT over TCP has no way to find the next packet boundary.
class MqttStreamDecoder {
 public:
  static constexpr std::size_t kCapacity = kMqttMaxPacket;

  // Copies as much of `in` as fits; returns how many bytes were taken. Invalidates packets returned earlier.
  std::size_t feed(Bytes in);
  // The next whole packet (its body views this decoder's buffer, valid until the next feed() or reset()),
  // NeedMore, or Malformed with the reason.
  MqttFrameDecode next();
  void reset();

  [[nodiscard]] bool failed() const { return error_ != MqttError::None; }
  [[nodiscard]] MqttError error() const { return error_; }
  [[nodiscard]] std::size_t buffered() const { return end_ - begin_; }

 private:
  std::array<std::uint8_t, kCapacity> buffer_{};
  std::size_t begin_ = 0;  // start of the first packet not yet returned
  std::size_t end_ = 0;
  MqttError error_ = MqttError::None;
};

// Result of a typed parser: Ok or Malformed (a framed packet is always complete, never NeedMore).
template <typename T>
struct [[nodiscard]] MqttParse {
  ParseStatus status = ParseStatus::Malformed;
  MqttError error = MqttError::None;
  T value{};
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
};

// ---- CONNECT ----

enum class MqttProtocol : std::uint8_t {
  Mqtt31,   // "MQIsdp", level 3: what GAgent sends (§9 MQTT)
  Mqtt311,  // "MQTT", level 4
};
[[nodiscard]] std::string_view mqttProtocolName(MqttProtocol protocol);

struct MqttWill {
  std::string_view topic;
  Bytes message;
  std::uint8_t qos = 0;
  bool retain = false;
};

// The connect flags follow from which optional fields are present.
struct MqttConnect {
  MqttProtocol protocol = MqttProtocol::Mqtt31;
  std::string_view clientId;
  std::optional<std::string_view> username;
  std::optional<std::string_view> password;  // only with a username
  std::optional<MqttWill> will;
  std::uint16_t keepAliveSeconds = kMqttKeepAliveSeconds;
  bool cleanSession = true;
};

[[nodiscard]] std::size_t encodeMqttConnect(MutableBytes out, const MqttConnect& connect);
// The §3.7 login: MQIsdp/3, no will. With a user name, a password and clean session the flags are 0xC2.
[[nodiscard]] std::size_t encodeMqttConnect(MutableBytes out, std::string_view clientId,
                                            std::optional<std::string_view> username,
                                            std::optional<std::string_view> password,
                                            std::uint16_t keepAliveSeconds, bool cleanSession);
// Strict: flags 0, a known protocol, consistent connect flags, every flagged field present, nothing after.
MqttParse<MqttConnect> parseMqttConnect(const MqttPacket& packet);

// ---- CONNACK ----

struct MqttConnack {
  bool sessionPresent = false;  // MQTT 3.1.1 only; a 3.1 server sends 0 and GAgent ignores it
  ConnackCode code = ConnackCode::Accepted;
};
[[nodiscard]] std::size_t encodeMqttConnack(MutableBytes out, bool sessionPresent, ConnackCode code);
// Return codes above 5 are reserved: Malformed (BadReturnCode), which the module treats as a refusal.
MqttParse<MqttConnack> parseMqttConnack(const MqttPacket& packet);

// ---- SUBSCRIBE / SUBACK / UNSUBSCRIBE / UNSUBACK ----

struct MqttSubscription {
  std::string_view topicFilter;
  std::uint8_t qos = 0;
};

// The validated entries of a SUBSCRIBE (topic filter + QoS each) or UNSUBSCRIBE (topic filter each), walked
// without copying: `for (MqttSubscription s; cursor.next(s);)`.
class MqttTopicListCursor {
 public:
  MqttTopicListCursor() = default;
  MqttTopicListCursor(Bytes entries, bool withQos) : reader_(entries), withQos_(withQos) {}
  bool next(MqttSubscription& out);

 private:
  ByteReader reader_{Bytes{}};
  bool withQos_ = true;
};

struct MqttSubscribe {
  std::uint16_t packetId = 0;
  std::size_t count = 0;
  Bytes entries;  // already validated: walk them with cursor() or forEachMqttSubscription()
  [[nodiscard]] MqttTopicListCursor cursor() const { return {entries, true}; }
};

template <typename Visitor>  // void(const MqttSubscription&)
void forEachMqttSubscription(const MqttSubscribe& subscribe, Visitor&& visit) {
  MqttTopicListCursor cursor = subscribe.cursor();
  for (MqttSubscription entry; cursor.next(entry);) visit(entry);
}

// GAgent sends one topic per SUBSCRIBE (fixed header 0x82) and waits for its SUBACK (§3.7).
[[nodiscard]] std::size_t encodeMqttSubscribe(MutableBytes out, std::uint16_t packetId,
                                              std::string_view topicFilter, std::uint8_t qos);
[[nodiscard]] std::size_t encodeMqttSubscribe(MutableBytes out, std::uint16_t packetId,
                                              std::span<const MqttSubscription> topics);
MqttParse<MqttSubscribe> parseMqttSubscribe(const MqttPacket& packet);

inline constexpr std::uint8_t kMqttSubackFailure = 0x80;  // 3.1.1 "subscription refused"

struct MqttSuback {
  std::uint16_t packetId = 0;
  Bytes grantedQos;  // one code per requested topic: 0, 1, 2 or kMqttSubackFailure
};
[[nodiscard]] std::size_t encodeMqttSuback(MutableBytes out, std::uint16_t packetId, std::uint8_t grantedQos);
[[nodiscard]] std::size_t encodeMqttSuback(MutableBytes out, std::uint16_t packetId, Bytes grantedQos);
MqttParse<MqttSuback> parseMqttSuback(const MqttPacket& packet);

struct MqttUnsubscribe {
  std::uint16_t packetId = 0;
  std::size_t count = 0;
  Bytes entries;
  [[nodiscard]] MqttTopicListCursor cursor() const { return {entries, false}; }  // qos reads as 0
};
[[nodiscard]] std::size_t encodeMqttUnsubscribe(MutableBytes out, std::uint16_t packetId,
                                                std::string_view topicFilter);
MqttParse<MqttUnsubscribe> parseMqttUnsubscribe(const MqttPacket& packet);

// ---- PUBLISH and the packet-id-only acknowledgements ----

struct MqttPublish {
  std::string_view topic;
  Bytes payload;
  std::uint8_t qos = 0;
  bool retain = false;
  bool dup = false;
  std::uint16_t packetId = 0;  // only on the wire when qos > 0
};
// QoS 0, retain 0: how GAgent publishes (§3.7).
[[nodiscard]] std::size_t encodeMqttPublish(MutableBytes out, std::string_view topic, Bytes payload);
[[nodiscard]] std::size_t encodeMqttPublish(MutableBytes out, const MqttPublish& publish);
MqttParse<MqttPublish> parseMqttPublish(const MqttPacket& packet);

// PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK carry only a packet id (PUBREL with flags 0x2).
[[nodiscard]] std::size_t encodeMqttPacketIdAck(MutableBytes out, MqttPacketType type,
                                                std::uint16_t packetId);
MqttParse<std::uint16_t> parseMqttPacketIdAck(const MqttPacket& packet);

// ---- PINGREQ C0 00, PINGRESP D0 00, DISCONNECT E0 00 ----

[[nodiscard]] std::size_t encodeMqttPingreq(MutableBytes out);
[[nodiscard]] std::size_t encodeMqttPingresp(MutableBytes out);
[[nodiscard]] std::size_t encodeMqttDisconnect(MutableBytes out);
// Ok for a PINGREQ, PINGRESP or DISCONNECT with flags 0 and an empty body; value is the type.
MqttParse<MqttPacketType> parseMqttEmptyPacket(const MqttPacket& packet);

}  // namespace gagent::proto
