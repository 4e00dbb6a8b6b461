#include "gagent/proto/mqtt.h"

#include <gtest/gtest.h>

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

using namespace gagent::proto;

namespace {

using Buffer = std::vector<std::uint8_t>;

constexpr std::string_view kDid = "XGKyqeDz5ogKZhAVF8nA3k";  // 22 characters (S8.1)
constexpr std::string_view kPasscode = "JKLMNOPQRS";         // 10 characters (§3.7)
constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";

Buffer bytes(std::initializer_list<int> values) {
  Buffer out;
  for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

Buffer text(std::string_view s) {
  return Buffer(s.begin(), s.end());
}

Buffer cat(std::initializer_list<Buffer> parts) {
  Buffer out;
  for (const Buffer& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Runs an encoder into a roomy buffer and returns exactly what it wrote.
template <typename Encode>
Buffer encoded(Encode encode) {
  std::array<std::uint8_t, kMqttMaxPacket + 16> buffer{};
  const std::size_t size = encode(MutableBytes(buffer));
  return Buffer(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
}

// Every output buffer shorter than the packet makes the encoder return 0.
template <typename Encode>
void expectNeedsExactly(std::size_t size, Encode encode) {
  Buffer buffer(size);
  EXPECT_EQ(encode(MutableBytes(buffer)), size);
  for (std::size_t shorter = 0; shorter < size; ++shorter) {
    Buffer small(shorter);
    EXPECT_EQ(encode(MutableBytes(small)), 0u) << "buffer of " << shorter;
  }
}

MqttPacket frame(const Buffer& wire) {
  const MqttFrameDecode d = decodeMqttPacket(wire);
  EXPECT_EQ(d.status, ParseStatus::Ok);
  EXPECT_EQ(d.consumed, wire.size());
  return d.packet;
}

MqttPacket packet(MqttPacketType type, std::uint8_t flags, const Buffer& body) {
  return {type, flags, body};
}

Buffer toBuffer(Bytes b) {
  return Buffer(b.begin(), b.end());
}

// The Appendix B CONNECT: 10 48 00 06 'MQIsdp' 03 C2 00 78 00 16 <did> 00 16 <did> 00 0A <passcode>.
const Buffer kAppendixBConnect =
    cat({bytes({0x10, 0x48, 0x00, 0x06}), text("MQIsdp"), bytes({0x03, 0xC2, 0x00, 0x78, 0x00, 0x16}),
         text(kDid), bytes({0x00, 0x16}), text(kDid), bytes({0x00, 0x0A}), text(kPasscode)});

}  // namespace

// ---- CONNECT ----

TEST(MqttConnect, AppendixB_S8_5_LoginEncodesByteExact) {
  EXPECT_EQ(kAppendixBConnect.size(), 74u);
  const Buffer wire = encoded([](MutableBytes out) {
    return encodeMqttConnect(out, kDid, kDid, kPasscode, kMqttKeepAliveSeconds, true);
  });
  EXPECT_EQ(wire, kAppendixBConnect);
  expectNeedsExactly(
      74, [](MutableBytes out) { return encodeMqttConnect(out, kDid, kDid, kPasscode, 120, true); });
}

TEST(MqttConnect, AppendixB_S8_5_LoginDecodes) {
  const auto parsed = parseMqttConnect(frame(kAppendixBConnect));
  ASSERT_TRUE(parsed.ok()) << mqttErrorName(parsed.error);
  const MqttConnect& c = parsed.value;
  EXPECT_EQ(c.protocol, MqttProtocol::Mqtt31);
  EXPECT_EQ(mqttProtocolName(c.protocol), "MQIsdp/3");
  EXPECT_EQ(c.clientId, kDid);
  ASSERT_TRUE(c.username.has_value());
  EXPECT_EQ(*c.username, kDid);
  ASSERT_TRUE(c.password.has_value());
  EXPECT_EQ(*c.password, kPasscode);
  EXPECT_FALSE(c.will.has_value());
  EXPECT_EQ(c.keepAliveSeconds, 120);
  EXPECT_TRUE(c.cleanSession);
}

TEST(MqttConnect, Proto3_7_FlagsFollowThePresentFields) {
  // No user name, no password, not clean: flags 00.
  EXPECT_EQ(encoded([](MutableBytes out) {
              return encodeMqttConnect(out, "c", std::nullopt, std::nullopt, 60, false);
            }),
            cat({bytes({0x10, 0x0F, 0x00, 0x06}), text("MQIsdp"),
                 bytes({0x03, 0x00, 0x00, 0x3C, 0x00, 0x01, 'c'})}));
  // User name only, clean: 0x82.
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttConnect(out, "c", "u", std::nullopt, 0, true); }),
            cat({bytes({0x10, 0x12, 0x00, 0x06}), text("MQIsdp"),
                 bytes({0x03, 0x82, 0x00, 0x00, 0x00, 0x01, 'c', 0x00, 0x01, 'u'})}));
  // A password without a user name cannot be encoded.
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttConnect(out, "c", std::nullopt, "p", 0, true); }),
            Buffer{});
}

TEST(MqttConnect, Mqtt311WithWillRoundTrips) {
  MqttConnect c;
  c.protocol = MqttProtocol::Mqtt311;
  c.clientId = "rig";
  const Buffer message = text("gone");
  c.will = MqttWill{"status/rig", message, 1, true};
  c.username = "user";
  c.password = std::string_view("\x00\xFF", 2);
  c.keepAliveSeconds = 0x1234;
  c.cleanSession = false;
  const Buffer wire = encoded([&](MutableBytes out) { return encodeMqttConnect(out, c); });
  // flags: user 0x80 | password 0x40 | will retain 0x20 | will QoS 1 0x08 | will 0x04 = 0xEC.
  EXPECT_EQ(wire,
            cat({bytes({0x10, 0x2B, 0x00, 0x04}), text("MQTT"), bytes({0x04, 0xEC, 0x12, 0x34, 0x00, 0x03}),
                 text("rig"), bytes({0x00, 0x0A}), text("status/rig"), bytes({0x00, 0x04}), text("gone"),
                 bytes({0x00, 0x04}), text("user"), bytes({0x00, 0x02, 0x00, 0xFF})}));
  const auto parsed = parseMqttConnect(frame(wire));
  ASSERT_TRUE(parsed.ok()) << mqttErrorName(parsed.error);
  const MqttConnect& d = parsed.value;
  EXPECT_EQ(d.protocol, MqttProtocol::Mqtt311);
  EXPECT_EQ(d.clientId, "rig");
  ASSERT_TRUE(d.will.has_value());
  EXPECT_EQ(d.will->topic, "status/rig");
  EXPECT_EQ(toBuffer(d.will->message), message);
  EXPECT_EQ(d.will->qos, 1);
  EXPECT_TRUE(d.will->retain);
  EXPECT_EQ(*d.username, "user");
  EXPECT_EQ(*d.password, std::string_view("\x00\xFF", 2));
  EXPECT_EQ(d.keepAliveSeconds, 0x1234);
  EXPECT_FALSE(d.cleanSession);
}

namespace {
// A CONNECT body: protocol name, level, flags, keep-alive 120, then `payload`.
Buffer connectBody(std::string_view name, int level, int flags, const Buffer& payload) {
  return cat(
      {bytes({0x00, static_cast<int>(name.size())}), text(name), bytes({level, flags, 0x00, 0x78}), payload});
}
MqttError connectError(const Buffer& body, std::uint8_t headerFlags = 0) {
  const auto parsed = parseMqttConnect(packet(MqttPacketType::Connect, headerFlags, body));
  EXPECT_FALSE(parsed.ok());
  return parsed.error;
}
const Buffer kClientC = bytes({0x00, 0x01, 'c'});
}  // namespace

TEST(MqttConnect, S8_9_UnknownProtocolIsReportedForConnackUnacceptableProtocol) {
  EXPECT_EQ(connectError(connectBody("MQIsdp", 4, 0x02, kClientC)), MqttError::UnsupportedProtocol);
  EXPECT_EQ(connectError(connectBody("MQTT", 3, 0x02, kClientC)), MqttError::UnsupportedProtocol);
  EXPECT_EQ(connectError(connectBody("MQTT", 5, 0x02, kClientC)), MqttError::UnsupportedProtocol);
  EXPECT_EQ(connectError(connectBody("mqisdp", 3, 0x02, kClientC)), MqttError::UnsupportedProtocol);
  // Both accepted ones, reporting which (the bodies outlive the views the parser returns).
  const Buffer body31 = connectBody("MQIsdp", 3, 0x02, kClientC);
  const auto v31 = parseMqttConnect(packet(MqttPacketType::Connect, 0, body31));
  ASSERT_TRUE(v31.ok());
  EXPECT_EQ(v31.value.protocol, MqttProtocol::Mqtt31);
  const Buffer body311 = connectBody("MQTT", 4, 0x02, kClientC);
  const auto v311 = parseMqttConnect(packet(MqttPacketType::Connect, 0, body311));
  ASSERT_TRUE(v311.ok());
  EXPECT_EQ(v311.value.protocol, MqttProtocol::Mqtt311);
  EXPECT_EQ(v311.value.clientId, "c");
  EXPECT_FALSE(v311.value.username.has_value());
}

TEST(MqttConnect, InconsistentFlagsAreRejected) {
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x03, kClientC)),
            MqttError::BadConnectFlags);  // reserved bit
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x42, cat({kClientC, bytes({0, 1, 'p'})}))),
            MqttError::BadConnectFlags);  // password without user name
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x1E, kClientC)),
            MqttError::BadConnectFlags);  // will QoS 3
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x0A, kClientC)),
            MqttError::BadConnectFlags);  // QoS, no will
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x22, kClientC)),
            MqttError::BadConnectFlags);  // retain, no will
}

TEST(MqttConnect, MalformedBodiesAreRejected) {
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x02, kClientC), 0x02), MqttError::BadFixedHeaderFlags);
  // Flagged user name missing; client id cut short; header cut short.
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x82, kClientC)), MqttError::Truncated);
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x02, bytes({0x00, 0x02, 'c'}))), MqttError::Truncated);
  EXPECT_EQ(connectError(bytes({0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x03, 0x02, 0x00})),
            MqttError::Truncated);
  EXPECT_EQ(connectError(Buffer{}), MqttError::Truncated);
  // A byte after the last flagged field.
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x02, cat({kClientC, bytes({0x00})}))),
            MqttError::TrailingBytes);
  // Will topic with a wildcard.
  EXPECT_EQ(connectError(connectBody("MQIsdp", 3, 0x06, cat({kClientC, bytes({0, 1, '#', 0, 0})}))),
            MqttError::BadTopicName);
  // Another packet type.
  EXPECT_EQ(parseMqttConnect(packet(MqttPacketType::Connack, 0, bytes({0, 0}))).error,
            MqttError::WrongPacketType);
}

// ---- CONNACK ----

TEST(MqttConnack, S8_9_EveryReturnCodeRoundTrips) {
  const ConnackCode codes[] = {
      ConnackCode::Accepted,          ConnackCode::UnacceptableProtocol,  ConnackCode::IdentifierRejected,
      ConnackCode::ServerUnavailable, ConnackCode::BadUserNameOrPassword, ConnackCode::NotAuthorized};
  const std::string_view names[] = {
      "accepted",           "unacceptable protocol version", "identifier rejected",
      "server unavailable", "bad user name or password",     "not authorized"};
  for (int i = 0; i < 6; ++i) {
    const Buffer wire = encoded([&](MutableBytes out) { return encodeMqttConnack(out, false, codes[i]); });
    EXPECT_EQ(wire, bytes({0x20, 0x02, 0x00, i}));
    const auto parsed = parseMqttConnack(frame(wire));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value.code, codes[i]);
    EXPECT_FALSE(parsed.value.sessionPresent);
    EXPECT_EQ(connackCodeName(codes[i]), names[i]);
  }
  const Buffer present =
      encoded([](MutableBytes out) { return encodeMqttConnack(out, true, ConnackCode::Accepted); });
  EXPECT_EQ(present, bytes({0x20, 0x02, 0x01, 0x00}));
  EXPECT_TRUE(parseMqttConnack(frame(present)).value.sessionPresent);
  expectNeedsExactly(
      4, [](MutableBytes out) { return encodeMqttConnack(out, false, ConnackCode::NotAuthorized); });
}

TEST(MqttConnack, S8_9_ReservedCodesAndBadShapesAreMalformed) {
  EXPECT_EQ(parseMqttConnack(packet(MqttPacketType::Connack, 0, bytes({0, 6}))).error,
            MqttError::BadReturnCode);
  EXPECT_EQ(parseMqttConnack(packet(MqttPacketType::Connack, 0, bytes({0, 0xFF}))).error,
            MqttError::BadReturnCode);
  EXPECT_EQ(parseMqttConnack(packet(MqttPacketType::Connack, 0, bytes({2, 0}))).error,
            MqttError::BadConnackFlags);
  EXPECT_EQ(parseMqttConnack(packet(MqttPacketType::Connack, 0, bytes({0}))).error, MqttError::Truncated);
  EXPECT_EQ(parseMqttConnack(packet(MqttPacketType::Connack, 0, bytes({0, 0, 0}))).error,
            MqttError::TrailingBytes);
  EXPECT_EQ(parseMqttConnack(packet(MqttPacketType::Connack, 1, bytes({0, 0}))).error,
            MqttError::BadFixedHeaderFlags);
  EXPECT_EQ(parseMqttConnack(packet(MqttPacketType::Suback, 0, bytes({0, 0}))).error,
            MqttError::WrongPacketType);
}

// ---- SUBSCRIBE / SUBACK / UNSUBSCRIBE ----

TEST(MqttSubscribe, S8_6_TheThreeSubscriptionsByteExact) {
  const std::string noti = "ser2cli_noti/" + std::string(kProductKey);
  const std::string res = "ser2cli_res/" + std::string(kDid);
  const std::string app = "app2dev/" + std::string(kDid) + "/#";
  EXPECT_EQ(encoded([&](MutableBytes out) { return encodeMqttSubscribe(out, 1, noti, 0); }),
            cat({bytes({0x82, 0x32, 0x00, 0x01, 0x00, 0x2D}), text(noti), bytes({0x00})}));
  EXPECT_EQ(encoded([&](MutableBytes out) { return encodeMqttSubscribe(out, 2, res, 0); }),
            cat({bytes({0x82, 0x27, 0x00, 0x02, 0x00, 0x22}), text(res), bytes({0x00})}));
  const Buffer third = encoded([&](MutableBytes out) { return encodeMqttSubscribe(out, 3, app, 0); });
  EXPECT_EQ(third, cat({bytes({0x82, 0x25, 0x00, 0x03, 0x00, 0x20}), text(app), bytes({0x00})}));

  const auto parsed = parseMqttSubscribe(frame(third));
  ASSERT_TRUE(parsed.ok()) << mqttErrorName(parsed.error);
  EXPECT_EQ(parsed.value.packetId, 3);
  EXPECT_EQ(parsed.value.count, 1u);
  std::vector<std::pair<std::string, int>> seen;
  forEachMqttSubscription(
      parsed.value, [&](const MqttSubscription& s) { seen.emplace_back(std::string(s.topicFilter), s.qos); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, int>>{{app, 0}}));
}

TEST(MqttSubscribe, SeveralTopicsAreVisitedInOrder) {
  const MqttSubscription topics[] = {{"a/+", 0}, {"b/#", 1}, {"c", 2}};
  const Buffer wire = encoded([&](MutableBytes out) { return encodeMqttSubscribe(out, 0x0102, topics); });
  EXPECT_EQ(wire,
            bytes({0x82, 0x12, 0x01, 0x02, 0, 3, 'a', '/', '+', 0, 0, 3, 'b', '/', '#', 1, 0, 1, 'c', 2}));
  const auto parsed = parseMqttSubscribe(frame(wire));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.count, 3u);
  std::vector<std::pair<std::string, int>> seen;
  forEachMqttSubscription(
      parsed.value, [&](const MqttSubscription& s) { seen.emplace_back(std::string(s.topicFilter), s.qos); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, int>>{{"a/+", 0}, {"b/#", 1}, {"c", 2}}));
}

TEST(MqttSubscribe, MalformedSubscriptionsAreRejected) {
  auto error = [](std::uint8_t flags, const Buffer& body) {
    return parseMqttSubscribe(packet(MqttPacketType::Subscribe, flags, body)).error;
  };
  EXPECT_EQ(error(0x00, bytes({0, 1, 0, 1, 'a', 0})), MqttError::BadFixedHeaderFlags);  // 3.1.1: must be 0x82
  EXPECT_EQ(error(0x02, bytes({0, 0, 0, 1, 'a', 0})), MqttError::ZeroPacketId);
  EXPECT_EQ(error(0x02, bytes({0, 1})), MqttError::NoTopics);
  EXPECT_EQ(error(0x02, bytes({0})), MqttError::Truncated);
  EXPECT_EQ(error(0x02, bytes({0, 1, 0, 1, 'a'})), MqttError::Truncated);  // QoS byte missing
  EXPECT_EQ(error(0x02, bytes({0, 1, 0, 2, 'a'})), MqttError::Truncated);
  EXPECT_EQ(error(0x02, bytes({0, 1, 0, 1, 'a', 3})), MqttError::BadQos);
  EXPECT_EQ(error(0x02, bytes({0, 1, 0, 3, '#', '/', 'a', 0})), MqttError::BadTopicFilter);
  EXPECT_EQ(error(0x02, bytes({0, 1, 0, 0, 0})), MqttError::BadTopicFilter);  // empty filter
  // Encoder refusals: packet id 0, bad filter, QoS 3.
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttSubscribe(out, 0, "a", 0); }), Buffer{});
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttSubscribe(out, 1, "a+", 0); }), Buffer{});
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttSubscribe(out, 1, "a", 3); }), Buffer{});
}

TEST(MqttSuback, S8_6_SubackCarriesTheMessageId) {
  const Buffer wire = encoded([](MutableBytes out) { return encodeMqttSuback(out, 3, 0); });
  EXPECT_EQ(wire, bytes({0x90, 0x03, 0x00, 0x03, 0x00}));
  const auto parsed = parseMqttSuback(frame(wire));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.packetId, 3);
  EXPECT_EQ(toBuffer(parsed.value.grantedQos), bytes({0}));
  expectNeedsExactly(5, [](MutableBytes out) { return encodeMqttSuback(out, 3, 0); });

  const Buffer several = bytes({0x01, 0x02, kMqttSubackFailure});
  const Buffer wire2 = encoded([&](MutableBytes out) { return encodeMqttSuback(out, 0xABCD, several); });
  EXPECT_EQ(wire2, bytes({0x90, 0x05, 0xAB, 0xCD, 0x01, 0x02, 0x80}));
  EXPECT_EQ(toBuffer(parseMqttSuback(frame(wire2)).value.grantedQos), several);
}

TEST(MqttSuback, MalformedSubacksAreRejected) {
  auto error = [](std::uint8_t flags, const Buffer& body) {
    return parseMqttSuback(packet(MqttPacketType::Suback, flags, body)).error;
  };
  EXPECT_EQ(error(0, bytes({0, 1, 3})), MqttError::BadReturnCode);
  EXPECT_EQ(error(0, bytes({0, 1, 0x81})), MqttError::BadReturnCode);
  EXPECT_EQ(error(0, bytes({0, 0, 0})), MqttError::ZeroPacketId);
  EXPECT_EQ(error(0, bytes({0, 1})), MqttError::NoTopics);
  EXPECT_EQ(error(0, bytes({0})), MqttError::Truncated);
  EXPECT_EQ(error(2, bytes({0, 1, 0})), MqttError::BadFixedHeaderFlags);
}

TEST(MqttUnsubscribe, RoundTripsAndAcks) {
  const Buffer wire = encoded([](MutableBytes out) { return encodeMqttUnsubscribe(out, 7, "a/#"); });
  EXPECT_EQ(wire, bytes({0xA2, 0x07, 0x00, 0x07, 0x00, 0x03, 'a', '/', '#'}));
  const auto parsed = parseMqttUnsubscribe(frame(wire));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.packetId, 7);
  EXPECT_EQ(parsed.value.count, 1u);
  MqttTopicListCursor cursor = parsed.value.cursor();
  MqttSubscription entry;
  ASSERT_TRUE(cursor.next(entry));
  EXPECT_EQ(entry.topicFilter, "a/#");
  EXPECT_FALSE(cursor.next(entry));
  EXPECT_EQ(parseMqttUnsubscribe(packet(MqttPacketType::Unsubscribe, 2, bytes({0, 7}))).error,
            MqttError::NoTopics);

  const Buffer ack =
      encoded([](MutableBytes out) { return encodeMqttPacketIdAck(out, MqttPacketType::Unsuback, 7); });
  EXPECT_EQ(ack, bytes({0xB0, 0x02, 0x00, 0x07}));
  const auto id = parseMqttPacketIdAck(frame(ack));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id.value, 7);
}

TEST(MqttPacketIdAck, PubrelNeedsFlags2AndOthersZero) {
  EXPECT_EQ(
      encoded([](MutableBytes out) { return encodeMqttPacketIdAck(out, MqttPacketType::Puback, 0x1234); }),
      bytes({0x40, 0x02, 0x12, 0x34}));
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttPacketIdAck(out, MqttPacketType::Pubrel, 1); }),
            bytes({0x62, 0x02, 0x00, 0x01}));
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttPacketIdAck(out, MqttPacketType::Pingreq, 1); }),
            Buffer{});
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttPacketIdAck(out, MqttPacketType::Puback, 0); }),
            Buffer{});
  EXPECT_EQ(parseMqttPacketIdAck(packet(MqttPacketType::Pubrel, 0, bytes({0, 1}))).error,
            MqttError::BadFixedHeaderFlags);
  EXPECT_EQ(parseMqttPacketIdAck(packet(MqttPacketType::Pubcomp, 0, bytes({0, 0}))).error,
            MqttError::ZeroPacketId);
  EXPECT_EQ(parseMqttPacketIdAck(packet(MqttPacketType::Pubrec, 0, bytes({0}))).error, MqttError::Truncated);
  EXPECT_EQ(parseMqttPacketIdAck(packet(MqttPacketType::Pubrec, 0, bytes({0, 1, 2}))).error,
            MqttError::TrailingBytes);
  EXPECT_EQ(parseMqttPacketIdAck(packet(MqttPacketType::Publish, 0, bytes({0, 1}))).error,
            MqttError::WrongPacketType);
}

// ---- PUBLISH ----

namespace {
std::string appTopic(std::string_view client) {
  return "app2dev/" + std::string(kDid) + "/" + std::string(client);
}
std::string devTopic() {
  return "dev2app/" + std::string(kDid);
}
std::string devTopic(std::string_view client) {
  return devTopic() + "/" + std::string(client);
}

// Encodes a QoS 0 PUBLISH, checks it against `expected`, and checks it decodes back to topic + payload.
void expectPublishRoundTrip(const std::string& topic, const Buffer& payload, const Buffer& expected) {
  const Buffer wire = encoded([&](MutableBytes out) { return encodeMqttPublish(out, topic, payload); });
  EXPECT_EQ(wire, expected);
  const auto parsed = parseMqttPublish(frame(wire));
  ASSERT_TRUE(parsed.ok()) << mqttErrorName(parsed.error);
  EXPECT_EQ(parsed.value.topic, topic);
  EXPECT_EQ(toBuffer(parsed.value.payload), payload);
  EXPECT_EQ(parsed.value.qos, 0);
  EXPECT_FALSE(parsed.value.retain);
  EXPECT_FALSE(parsed.value.dup);
  EXPECT_EQ(parsed.value.packetId, 0);
}
}  // namespace

TEST(MqttPublish, Proto3_7_ObservedPayloadsWrappedInQos0Publish) {
  const Buffer ctrl93 = bytes({0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x93, 0x00, 0x00, 0x00, 0x07, 0x02});
  expectPublishRoundTrip(appTopic("phoneClient01"), ctrl93,
                         cat({bytes({0x30, 0x3B, 0x00, 0x2C}), text(appTopic("phoneClient01")), ctrl93}));
  const Buffer reply94 = bytes(
      {0x00, 0x00, 0x00, 0x03, 0x0C, 0x00, 0x00, 0x94, 0x00, 0x00, 0x00, 0x07, 0x03, 0x01, 0x7F, 0xFF, 0x10});
  expectPublishRoundTrip(devTopic("phoneClient01"), reply94,
                         cat({bytes({0x30, 0x3F, 0x00, 0x2C}), text(devTopic("phoneClient01")), reply94}));
  const Buffer ctrl90 = bytes({0x00, 0x00, 0x00, 0x03, 0x06, 0x00, 0x00, 0x90, 0x01, 0x01, 0x00});
  expectPublishRoundTrip(appTopic("phoneClient02"), ctrl90,
                         cat({bytes({0x30, 0x39, 0x00, 0x2C}), text(appTopic("phoneClient02")), ctrl90}));
  const Buffer ack91 = bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x91});
  expectPublishRoundTrip(devTopic(), ack91, cat({bytes({0x30, 0x28, 0x00, 0x1E}), text(devTopic()), ack91}));
  const Buffer report91 =
      bytes({0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x91, 0x04, 0x01, 0x7F, 0xFF, 0x10});
  expectPublishRoundTrip(devTopic(), report91,
                         cat({bytes({0x30, 0x2D, 0x00, 0x1E}), text(devTopic()), report91}));
  expectNeedsExactly(42, [&](MutableBytes out) { return encodeMqttPublish(out, devTopic(), ack91); });
}

TEST(MqttPublish, RemainingLengthUsesTwoVarintBytesAbove127) {
  const Buffer payload(200, 0xAB);
  // 2 + 1 + 200 = 203 = 0xCB 0x01.
  expectPublishRoundTrip("t", payload, cat({bytes({0x30, 0xCB, 0x01, 0x00, 0x01, 't'}), payload}));
}

TEST(MqttPublish, Qos1CarriesAPacketIdBeforeThePayload) {
  const Buffer wire = bytes({0x3B, 0x07, 0x00, 0x01, 't', 0x12, 0x34, 0xAA, 0xBB});  // DUP, QoS 1, retain
  const auto parsed = parseMqttPublish(frame(wire));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.topic, "t");
  EXPECT_EQ(parsed.value.qos, 1);
  EXPECT_TRUE(parsed.value.dup);
  EXPECT_TRUE(parsed.value.retain);
  EXPECT_EQ(parsed.value.packetId, 0x1234);
  EXPECT_EQ(toBuffer(parsed.value.payload), bytes({0xAA, 0xBB}));
  EXPECT_EQ(encoded([&](MutableBytes out) { return encodeMqttPublish(out, parsed.value); }), wire);
}

TEST(MqttPublish, MalformedPublishesAreRejected) {
  auto error = [](std::uint8_t flags, const Buffer& body) {
    return parseMqttPublish(packet(MqttPacketType::Publish, flags, body)).error;
  };
  EXPECT_EQ(error(0x06, bytes({0, 1, 't'})), MqttError::BadQos);
  EXPECT_EQ(error(0x08, bytes({0, 1, 't'})), MqttError::BadFixedHeaderFlags);  // DUP at QoS 0
  EXPECT_EQ(error(0x00, bytes({0, 1, '+'})), MqttError::BadTopicName);
  EXPECT_EQ(error(0x00, bytes({0, 3, 'a', '/', '#'})), MqttError::BadTopicName);
  EXPECT_EQ(error(0x00, bytes({0, 0})), MqttError::BadTopicName);
  EXPECT_EQ(error(0x00, bytes({0, 2, 't'})), MqttError::Truncated);
  EXPECT_EQ(error(0x00, bytes({0})), MqttError::Truncated);
  EXPECT_EQ(error(0x02, bytes({0, 1, 't', 0})), MqttError::Truncated);  // QoS 1 without a full packet id
  EXPECT_EQ(error(0x02, bytes({0, 1, 't', 0, 0})), MqttError::ZeroPacketId);
  EXPECT_EQ(parseMqttPublish(packet(MqttPacketType::Puback, 0, bytes({0, 1, 't'}))).error,
            MqttError::WrongPacketType);
  // An empty payload is fine.
  const auto empty = parseMqttPublish(packet(MqttPacketType::Publish, 0, bytes({0, 1, 't'})));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value.payload.empty());
}

TEST(MqttPublish, EncoderRefusesWhatCannotBeSentOrReadBack) {
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttPublish(out, "a/+", {}); }), Buffer{});
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMqttPublish(out, "", {}); }), Buffer{});
  MqttPublish p;
  p.topic = "t";
  p.qos = 1;  // packet id 0
  EXPECT_EQ(encoded([&](MutableBytes out) { return encodeMqttPublish(out, p); }), Buffer{});
  p.qos = 0;
  p.dup = true;
  EXPECT_EQ(encoded([&](MutableBytes out) { return encodeMqttPublish(out, p); }), Buffer{});
  // The largest packet: 1 + 2 (varint) + 2045 = kMqttMaxPacket; one more payload byte is refused.
  const Buffer fits(2045 - 3, 0x55);
  const Buffer wire = encoded([&](MutableBytes out) { return encodeMqttPublish(out, "t", fits); });
  EXPECT_EQ(wire.size(), kMqttMaxPacket);
  EXPECT_EQ(Buffer(wire.begin(), wire.begin() + 3), bytes({0x30, 0xFD, 0x0F}));
  const Buffer tooBig(2045 - 2, 0x55);
  EXPECT_EQ(encoded([&](MutableBytes out) { return encodeMqttPublish(out, "t", tooBig); }), Buffer{});
}

// ---- PINGREQ / PINGRESP / DISCONNECT ----

TEST(MqttEmptyPackets, S8_8_1_PingAndDisconnectBytes) {
  const Buffer ping = encoded([](MutableBytes out) { return encodeMqttPingreq(out); });
  const Buffer pong = encoded([](MutableBytes out) { return encodeMqttPingresp(out); });
  const Buffer bye = encoded([](MutableBytes out) { return encodeMqttDisconnect(out); });
  EXPECT_EQ(ping, bytes({0xC0, 0x00}));
  EXPECT_EQ(pong, bytes({0xD0, 0x00}));
  EXPECT_EQ(bye, bytes({0xE0, 0x00}));
  EXPECT_EQ(parseMqttEmptyPacket(frame(ping)).value, MqttPacketType::Pingreq);
  EXPECT_EQ(parseMqttEmptyPacket(frame(pong)).value, MqttPacketType::Pingresp);
  EXPECT_EQ(parseMqttEmptyPacket(frame(bye)).value, MqttPacketType::Disconnect);
  EXPECT_TRUE(parseMqttEmptyPacket(frame(bye)).ok());
  expectNeedsExactly(2, [](MutableBytes out) { return encodeMqttPingreq(out); });
  EXPECT_EQ(parseMqttEmptyPacket(packet(MqttPacketType::Pingresp, 1, {})).error,
            MqttError::BadFixedHeaderFlags);
  EXPECT_EQ(parseMqttEmptyPacket(packet(MqttPacketType::Pingresp, 0, bytes({0}))).error,
            MqttError::TrailingBytes);
  EXPECT_EQ(parseMqttEmptyPacket(packet(MqttPacketType::Connack, 0, {})).error, MqttError::WrongPacketType);
}

TEST(MqttNames, EveryTypeAndErrorHasAName) {
  EXPECT_EQ(mqttPacketTypeName(MqttPacketType::Subscribe), "SUBSCRIBE");
  EXPECT_EQ(mqttPacketTypeName(MqttPacketType::Pingresp), "PINGRESP");
  EXPECT_EQ(mqttPacketTypeName(static_cast<MqttPacketType>(0)), "reserved");
  EXPECT_EQ(mqttErrorName(MqttError::RemainingLengthTooLong), "remaining length longer than 4 bytes");
  EXPECT_EQ(connackCodeName(static_cast<ConnackCode>(6)), "reserved");
}

// ---- framing and the stream decoder ----

TEST(MqttFrame, NeedsMoreUntilComplete) {
  const Buffer wire = bytes({0x30, 0x04, 0x00, 0x01, 't', 0x55});
  for (std::size_t n = 0; n < wire.size(); ++n) {
    const MqttFrameDecode d = decodeMqttPacket(Bytes(wire).first(n));
    EXPECT_EQ(d.status, ParseStatus::NeedMore) << n;
    EXPECT_EQ(d.consumed, 0u);
  }
  const MqttFrameDecode d = decodeMqttPacket(wire);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.packet.type, MqttPacketType::Publish);
  EXPECT_EQ(d.packet.flags, 0);
  EXPECT_EQ(toBuffer(d.packet.body), bytes({0x00, 0x01, 't', 0x55}));
}

TEST(MqttFrame, EachMalformationHasItsReason) {
  auto error = [](const Buffer& wire) {
    const MqttFrameDecode d = decodeMqttPacket(wire);
    EXPECT_EQ(d.status, ParseStatus::Malformed);
    return d.error;
  };
  EXPECT_EQ(error(bytes({0x00})), MqttError::ReservedPacketType);  // known from the first byte
  EXPECT_EQ(error(bytes({0x0F, 0x00})), MqttError::ReservedPacketType);
  EXPECT_EQ(error(bytes({0xF0})), MqttError::ReservedPacketType);
  EXPECT_EQ(error(bytes({0x30, 0x80, 0x80, 0x80, 0x80})), MqttError::RemainingLengthTooLong);
  EXPECT_EQ(error(bytes({0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F})), MqttError::RemainingLengthTooLong);
  EXPECT_EQ(error(bytes({0x30, 0xFE, 0x0F})), MqttError::PacketTooLarge);  // 1 + 2 + 2046 = 2049
  EXPECT_EQ(error(bytes({0x30, 0xFF, 0xFF, 0xFF, 0x7F})), MqttError::PacketTooLarge);
  // Four varint bytes are allowed (a non-minimal 0 here).
  const MqttFrameDecode zero = decodeMqttPacket(bytes({0xC0, 0x80, 0x80, 0x80, 0x00}));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero.consumed, 5u);
  EXPECT_EQ(zero.packet.type, MqttPacketType::Pingreq);
  EXPECT_TRUE(zero.packet.body.empty());
}

namespace {
struct Seen {
  MqttPacketType type;
  std::uint8_t flags;
  Buffer body;
  bool operator==(const Seen&) const = default;
};

// Drains every complete packet, copying them (their views die at the next feed()).
void drain(MqttStreamDecoder& decoder, std::vector<Seen>& seen) {
  for (MqttFrameDecode d = decoder.next(); d.ok(); d = decoder.next()) {
    seen.push_back({d.packet.type, d.packet.flags, toBuffer(d.packet.body)});
  }
}

void feedAll(MqttStreamDecoder& decoder, Bytes data, std::vector<Seen>& seen) {
  while (!data.empty()) {
    data = data.subspan(decoder.feed(data));
    drain(decoder, seen);
    ASSERT_FALSE(decoder.failed());
  }
}

// What a module receives after CONNECT: CONNACK, 3 SUBACKs, a PUBLISH with a 2-byte length, a PINGRESP.
Buffer sessionStream() {
  return cat({bytes({0x20, 0x02, 0x00, 0x00}), bytes({0x90, 0x03, 0x00, 0x01, 0x00}),
              bytes({0x90, 0x03, 0x00, 0x02, 0x00}), bytes({0x90, 0x03, 0x00, 0x03, 0x00}),
              bytes({0x30, 0x83, 0x01, 0x00, 0x01, 't'}), Buffer(128, 0x42), bytes({0xD0, 0x00})});
}

std::vector<Seen> sessionPackets() {
  return {{MqttPacketType::Connack, 0, bytes({0, 0})},
          {MqttPacketType::Suback, 0, bytes({0, 1, 0})},
          {MqttPacketType::Suback, 0, bytes({0, 2, 0})},
          {MqttPacketType::Suback, 0, bytes({0, 3, 0})},
          {MqttPacketType::Publish, 0, cat({bytes({0, 1, 't'}), Buffer(128, 0x42)})},
          {MqttPacketType::Pingresp, 0, {}}};
}
}  // namespace

TEST(MqttStreamDecoder, CoalescedSegmentsYieldEveryPacket) {
  MqttStreamDecoder decoder;
  std::vector<Seen> seen;
  const Buffer stream = sessionStream();
  EXPECT_EQ(decoder.feed(stream), stream.size());
  drain(decoder, seen);
  EXPECT_EQ(seen, sessionPackets());
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_EQ(decoder.next().status, ParseStatus::NeedMore);
}

TEST(MqttStreamDecoder, SplitAtEveryByteBoundary) {
  const Buffer stream = sessionStream();
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    MqttStreamDecoder decoder;
    std::vector<Seen> seen;
    feedAll(decoder, Bytes(stream).first(split), seen);
    feedAll(decoder, Bytes(stream).subspan(split), seen);
    EXPECT_EQ(seen, sessionPackets()) << "split at " << split;
  }
  MqttStreamDecoder decoder;
  std::vector<Seen> seen;
  for (std::uint8_t b : stream) feedAll(decoder, Bytes(&b, 1), seen);
  EXPECT_EQ(seen, sessionPackets());
}

TEST(MqttStreamDecoder, FullBufferAlwaysHoldsAWholePacket) {
  // Two maximum-size packets at once: the first fills the buffer exactly, so feed() takes no more until it
  // has been returned.
  const Buffer big = cat({bytes({0x30, 0xFD, 0x0F, 0x00, 0x01, 't'}), Buffer(2042, 0x11)});
  ASSERT_EQ(big.size(), kMqttMaxPacket);
  const Buffer stream = cat({big, big, bytes({0xD0, 0x00})});
  MqttStreamDecoder decoder;
  EXPECT_EQ(decoder.feed(stream), kMqttMaxPacket);
  EXPECT_EQ(decoder.feed(Bytes(stream).subspan(kMqttMaxPacket)), 0u);
  const MqttFrameDecode first = decoder.next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.consumed, kMqttMaxPacket);
  const Buffer firstBody = toBuffer(first.packet.body);  // the view dies at the next feed()
  EXPECT_EQ(firstBody, cat({bytes({0x00, 0x01, 't'}), Buffer(2042, 0x11)}));
  EXPECT_EQ(decoder.next().status, ParseStatus::NeedMore);
  std::vector<Seen> rest;
  feedAll(decoder, Bytes(stream).subspan(kMqttMaxPacket), rest);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].body, firstBody);
  EXPECT_EQ(rest[1], (Seen{MqttPacketType::Pingresp, 0, {}}));
}

TEST(MqttStreamDecoder, MalformedInputFailsStickilyUntilReset) {
  MqttStreamDecoder decoder;
  const Buffer stream = cat({bytes({0xD0, 0x00}), bytes({0x30, 0xFE, 0x0F}), bytes({0xD0, 0x00})});
  EXPECT_EQ(decoder.feed(stream), stream.size());
  const MqttFrameDecode first = decoder.next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.packet.type, MqttPacketType::Pingresp);
  const MqttFrameDecode bad = decoder.next();
  EXPECT_EQ(bad.status, ParseStatus::Malformed);
  EXPECT_EQ(bad.error, MqttError::PacketTooLarge);
  EXPECT_TRUE(decoder.failed());
  EXPECT_EQ(decoder.error(), MqttError::PacketTooLarge);
  // Still failed: the trailing PINGRESP is not returned, new bytes are discarded.
  EXPECT_EQ(decoder.next().error, MqttError::PacketTooLarge);
  const Buffer more = bytes({0xD0, 0x00});
  EXPECT_EQ(decoder.feed(more), 2u);
  EXPECT_EQ(decoder.next().status, ParseStatus::Malformed);
  decoder.reset();
  EXPECT_FALSE(decoder.failed());
  EXPECT_EQ(decoder.feed(more), 2u);
  const MqttFrameDecode after = decoder.next();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.packet.type, MqttPacketType::Pingresp);
}

TEST(MqttStreamDecoder, EachMalformationIsReportedOnTheStream) {
  struct Case {
    Buffer wire;
    MqttError error;
  };
  const Case cases[] = {{bytes({0x00, 0x00}), MqttError::ReservedPacketType},
                        {bytes({0xF0, 0x00}), MqttError::ReservedPacketType},
                        {bytes({0x30, 0x80, 0x80, 0x80, 0x80, 0x01}), MqttError::RemainingLengthTooLong},
                        {bytes({0x30, 0x80, 0x80, 0x01}), MqttError::PacketTooLarge}};
  for (const Case& c : cases) {
    MqttStreamDecoder decoder;
    std::size_t fed = 0;
    MqttFrameDecode d;
    // Byte by byte: the error is reported as soon as the bytes prove it, never a packet before.
    while (fed < c.wire.size() && d.status == ParseStatus::NeedMore) {
      EXPECT_EQ(decoder.feed(Bytes(c.wire).subspan(fed, 1)), 1u);
      ++fed;
      d = decoder.next();
    }
    EXPECT_EQ(d.status, ParseStatus::Malformed);
    EXPECT_EQ(d.error, c.error) << mqttErrorName(c.error);
  }
}
