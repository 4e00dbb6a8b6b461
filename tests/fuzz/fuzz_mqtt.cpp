// libFuzzer target for mqtt.h, mqtt_topics.h and cloud_mgmt.h. The first input byte picks what the rest
// feeds:
//   0: the TCP stream. MqttStreamDecoder, fed in chunks whose sizes come from the input, must yield exactly
//   the
//      packets (and the same final error) as decodeMqttPacket walking the whole buffer. Every packet goes to
//      its typed parser; a parsed packet re-encodes to the same bytes (when its remaining length was minimal)
//      and decodes again to identical fields.
//   1: packets built from the input (CONNECT, PUBLISH, SUBSCRIBE, CONNACK, SUBACK): whatever the encoders
//      accept must frame and parse back to the same fields.
//   2: the management framing: decode -> typed parsers -> re-encode gives the input bytes.
//   3: topics: classification agrees with the builders, matching agrees with validity.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gagent/proto/cloud_mgmt.h"
#include "gagent/proto/mqtt.h"
#include "gagent/proto/mqtt_topics.h"
#include "gagent/proto/varint.h"

using namespace gagent::proto;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool same(Bytes a, Bytes b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

bool sameConnect(const MqttConnect& a, const MqttConnect& b) {
  if (a.protocol != b.protocol || a.clientId != b.clientId || a.username != b.username ||
      a.password != b.password || a.keepAliveSeconds != b.keepAliveSeconds ||
      a.cleanSession != b.cleanSession || a.will.has_value() != b.will.has_value()) {
    return false;
  }
  return !a.will || (a.will->topic == b.will->topic && same(a.will->message, b.will->message) &&
                     a.will->qos == b.will->qos && a.will->retain == b.will->retain);
}

bool samePublish(const MqttPublish& a, const MqttPublish& b) {
  return a.topic == b.topic && same(a.payload, b.payload) && a.qos == b.qos && a.retain == b.retain &&
         a.dup == b.dup && a.packetId == b.packetId;
}

bool sameTopicLists(MqttTopicListCursor a, MqttTopicListCursor b) {
  MqttSubscription x, y;
  while (true) {
    const bool hasX = a.next(x);
    const bool hasY = b.next(y);
    if (hasX != hasY) return false;
    if (!hasX) return true;
    if (x.topicFilter != y.topicFilter || x.qos != y.qos) return false;
  }
}

// The only packet in `wire` (an encoder's output): frames whole.
MqttPacket reframe(Bytes wire) {
  const MqttFrameDecode d = decodeMqttPacket(wire);
  check(d.ok() && d.consumed == wire.size());
  return d.packet;
}

template <typename T>
void checkParseResult(const MqttParse<T>& parsed) {
  check(parsed.ok() == (parsed.error == MqttError::None));
  check(parsed.ok() || parsed.status == ParseStatus::Malformed);
  check(!mqttErrorName(parsed.error).empty());
}

// Checks a re-encoding: non-empty, identical to the original when that used a minimal remaining length.
void checkReencoded(std::size_t size, Bytes encodedBuffer, Bytes original, bool minimal) {
  check(size > 0 && size <= kMqttMaxPacket);
  if (minimal) check(same(encodedBuffer.first(size), original));
}

// Runs the typed parser for the packet's type; on success re-encodes and re-parses. `original` is the whole
// packet as it was on the wire.
void parseAndRoundTrip(const MqttPacket& packet, Bytes original) {
  const bool minimal =
      original.size() == 1 + varintSize(static_cast<std::uint32_t>(packet.body.size())) + packet.body.size();
  std::array<std::uint8_t, kMqttMaxPacket> out{};
  switch (packet.type) {
    case MqttPacketType::Connect: {
      const auto parsed = parseMqttConnect(packet);
      checkParseResult(parsed);
      if (!parsed.ok()) return;
      const std::size_t size = encodeMqttConnect(out, parsed.value);
      checkReencoded(size, out, original, minimal);
      const auto again = parseMqttConnect(reframe(Bytes(out).first(size)));
      check(again.ok() && sameConnect(parsed.value, again.value));
      return;
    }
    case MqttPacketType::Connack: {
      const auto parsed = parseMqttConnack(packet);
      checkParseResult(parsed);
      if (!parsed.ok()) return;
      check(!connackCodeName(parsed.value.code).empty());
      const std::size_t size = encodeMqttConnack(out, parsed.value.sessionPresent, parsed.value.code);
      checkReencoded(size, out, original, minimal);
      const auto again = parseMqttConnack(reframe(Bytes(out).first(size)));
      check(again.ok() && again.value.sessionPresent == parsed.value.sessionPresent &&
            again.value.code == parsed.value.code);
      return;
    }
    case MqttPacketType::Publish: {
      const auto parsed = parseMqttPublish(packet);
      checkParseResult(parsed);
      if (!parsed.ok()) return;
      const std::size_t size = encodeMqttPublish(out, parsed.value);
      checkReencoded(size, out, original, minimal);
      const auto again = parseMqttPublish(reframe(Bytes(out).first(size)));
      check(again.ok() && samePublish(parsed.value, again.value));
      // The classifier never reads outside the topic it is given.
      const TopicClass topicClass = classifyTopic(parsed.value.topic, "did");
      if (topicClass.kind == TopicKind::AppToDev) check(parsed.value.topic.ends_with(topicClass.clientId));
      return;
    }
    case MqttPacketType::Subscribe: {
      const auto parsed = parseMqttSubscribe(packet);
      checkParseResult(parsed);
      if (!parsed.ok()) return;
      std::vector<MqttSubscription> topics;
      forEachMqttSubscription(parsed.value, [&](const MqttSubscription& s) { topics.push_back(s); });
      check(topics.size() == parsed.value.count && !topics.empty());
      const std::size_t size = encodeMqttSubscribe(out, parsed.value.packetId, topics);
      checkReencoded(size, out, original, minimal);
      const auto again = parseMqttSubscribe(reframe(Bytes(out).first(size)));
      check(again.ok() && again.value.packetId == parsed.value.packetId &&
            again.value.count == topics.size());
      check(sameTopicLists(parsed.value.cursor(), again.value.cursor()));
      return;
    }
    case MqttPacketType::Suback: {
      const auto parsed = parseMqttSuback(packet);
      checkParseResult(parsed);
      if (!parsed.ok()) return;
      const std::size_t size = encodeMqttSuback(out, parsed.value.packetId, parsed.value.grantedQos);
      checkReencoded(size, out, original, minimal);
      const auto again = parseMqttSuback(reframe(Bytes(out).first(size)));
      check(again.ok() && again.value.packetId == parsed.value.packetId &&
            same(again.value.grantedQos, parsed.value.grantedQos));
      return;
    }
    case MqttPacketType::Unsubscribe: {
      const auto parsed = parseMqttUnsubscribe(packet);
      checkParseResult(parsed);
      if (!parsed.ok() || parsed.value.count != 1) return;
      MqttSubscription entry;
      MqttTopicListCursor cursor = parsed.value.cursor();
      check(cursor.next(entry) && entry.qos == 0);
      const std::size_t size = encodeMqttUnsubscribe(out, parsed.value.packetId, entry.topicFilter);
      checkReencoded(size, out, original, minimal);
      return;
    }
    case MqttPacketType::Puback:
    case MqttPacketType::Pubrec:
    case MqttPacketType::Pubrel:
    case MqttPacketType::Pubcomp:
    case MqttPacketType::Unsuback: {
      const auto parsed = parseMqttPacketIdAck(packet);
      checkParseResult(parsed);
      if (!parsed.ok()) return;
      const std::size_t size = encodeMqttPacketIdAck(out, packet.type, parsed.value);
      checkReencoded(size, out, original, minimal);
      return;
    }
    case MqttPacketType::Pingreq:
    case MqttPacketType::Pingresp:
    case MqttPacketType::Disconnect: {
      const auto parsed = parseMqttEmptyPacket(packet);
      checkParseResult(parsed);
      if (!parsed.ok()) return;
      check(parsed.value == packet.type);
      const std::size_t size = packet.type == MqttPacketType::Pingreq    ? encodeMqttPingreq(out)
                               : packet.type == MqttPacketType::Pingresp ? encodeMqttPingresp(out)
                                                                         : encodeMqttDisconnect(out);
      checkReencoded(size, out, original, minimal);
      return;
    }
  }
  __builtin_trap();  // the framer produced a reserved type
}

// ---- mode 0: the stream ----

struct Framed {
  MqttPacketType type;
  std::uint8_t flags;
  std::vector<std::uint8_t> body;
  bool operator==(const Framed&) const = default;
};

void fuzzStream(Bytes in) {
  // Reference: walk the contiguous buffer.
  std::vector<Framed> expected;
  std::size_t offset = 0;
  MqttFrameDecode last;
  while (true) {
    last = decodeMqttPacket(in.subspan(offset));
    if (!last.ok()) break;
    check(last.consumed > 0 && last.consumed <= in.size() - offset && last.consumed <= kMqttMaxPacket);
    const MqttPacket& p = last.packet;
    check(p.body.data() >= in.data() + offset && p.body.data() + p.body.size() <= in.data() + in.size());
    expected.push_back({p.type, p.flags, {p.body.begin(), p.body.end()}});
    parseAndRoundTrip(p, in.subspan(offset, last.consumed));
    offset += last.consumed;
  }
  check(last.consumed == 0);
  check((last.status == ParseStatus::Malformed) == (last.error != MqttError::None));

  // The stream decoder, with chunk sizes taken from the data itself.
  MqttStreamDecoder decoder;
  std::vector<Framed> seen;
  Bytes rest = in;
  std::size_t step = 0;
  while (!rest.empty() && !decoder.failed()) {
    const std::size_t chunk = std::min<std::size_t>(rest.size(), 1 + in[step++ % in.size()] % 97);
    Bytes piece = rest.first(chunk);
    rest = rest.subspan(chunk);
    while (!piece.empty()) {
      const std::size_t taken = decoder.feed(piece);
      // Everything complete was drained before, and a full buffer always holds a whole packet: progress.
      check(taken > 0 && taken <= piece.size());
      piece = piece.subspan(taken);
      MqttFrameDecode d;
      for (d = decoder.next(); d.ok(); d = decoder.next()) {
        seen.push_back({d.packet.type, d.packet.flags, {d.packet.body.begin(), d.packet.body.end()}});
      }
      if (d.status == ParseStatus::Malformed) {
        check(decoder.failed() && d.error == decoder.error());
        break;
      }
    }
  }
  check(seen == expected);
  check(decoder.error() == last.error);
  if (!decoder.failed()) check(decoder.buffered() == in.size() - offset);
}

// ---- mode 1: encoder-built packets ----

class ByteSource {
 public:
  explicit ByteSource(Bytes in) : in_(in) {}
  std::uint8_t next() { return pos_ < in_.size() ? in_[pos_++] : 0; }
  std::uint16_t next16() { return static_cast<std::uint16_t>((next() << 8) | next()); }
  // A slice of the input of a length taken from the input (views stay valid: they point into the input).
  std::string_view text(std::size_t maxLength) {
    const std::size_t n =
        std::min<std::size_t>(next() % (maxLength + 1), in_.size() - std::min(pos_, in_.size()));
    const std::string_view s = asText(in_.subspan(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  Bytes in_;
  std::size_t pos_ = 0;
};

// The output must frame as one packet; returns the packet (views into `buffer`).
MqttPacket frameEncoded(std::size_t size, Bytes buffer) {
  check(size <= kMqttMaxPacket);
  return reframe(buffer.first(size));
}

void fuzzBuilt(Bytes in) {
  ByteSource source(in);
  std::array<std::uint8_t, kMqttMaxPacket> out{};
  const std::size_t limit = source.next() % 2 == 0 ? out.size() : source.next16() % out.size();
  const MutableBytes buffer = MutableBytes(out).first(limit);
  switch (source.next() % 5) {
    case 0: {
      MqttConnect c;
      const std::uint8_t shape = source.next();
      c.protocol = (shape & 1) ? MqttProtocol::Mqtt311 : MqttProtocol::Mqtt31;
      c.cleanSession = (shape & 2) != 0;
      c.keepAliveSeconds = source.next16();
      c.clientId = source.text(40);
      if (shape & 4) c.username = source.text(40);
      if (shape & 8) c.password = source.text(40);
      if (shape & 16)
        c.will = MqttWill{source.text(40), asBytes(source.text(60)),
                          static_cast<std::uint8_t>(source.next() % 4), (shape & 32) != 0};
      const std::size_t size = encodeMqttConnect(buffer, c);
      const bool valid =
          !(c.password && !c.username) && !(c.will && (c.will->qos > 2 || !isValidTopicName(c.will->topic)));
      if (!valid) check(size == 0);
      if (size == 0) return;
      const auto parsed = parseMqttConnect(frameEncoded(size, buffer));
      check(parsed.ok() && sameConnect(parsed.value, c));
      if (c.username && c.password && !c.will && c.cleanSession && c.protocol == MqttProtocol::Mqtt31)
        check(out[out[1] < 0x80 ? 11 : 12] == 0xC2);  // §3.7 flags, after the header and "MQIsdp" 03
      return;
    }
    case 1: {
      MqttPublish p;
      const std::uint8_t shape = source.next();
      p.qos = shape % 4;
      p.dup = (shape & 4) != 0;
      p.retain = (shape & 8) != 0;
      p.packetId = source.next16();
      p.topic = source.text(80);
      p.payload = asBytes(source.text(255));
      const std::size_t size = encodeMqttPublish(buffer, p);
      if (size == 0) return;
      check(p.qos <= 2 && isValidTopicName(p.topic));
      const auto parsed = parseMqttPublish(frameEncoded(size, buffer));
      if (p.qos == 0) p.packetId = 0;  // not on the wire at QoS 0
      check(parsed.ok() && samePublish(parsed.value, p));
      return;
    }
    case 2: {
      std::vector<MqttSubscription> topics(source.next() % 4);
      for (MqttSubscription& t : topics) {
        t.topicFilter = source.text(30);
        t.qos = source.next() % 4;
      }
      const std::uint16_t id = source.next16();
      const std::size_t size = encodeMqttSubscribe(buffer, id, topics);
      if (size == 0) return;
      const auto parsed = parseMqttSubscribe(frameEncoded(size, buffer));
      check(parsed.ok() && parsed.value.packetId == id && parsed.value.count == topics.size());
      std::size_t i = 0;
      forEachMqttSubscription(parsed.value, [&](const MqttSubscription& s) {
        check(i < topics.size() && s.topicFilter == topics[i].topicFilter && s.qos == topics[i].qos);
        ++i;
      });
      check(i == topics.size());
      return;
    }
    case 3: {
      const bool sessionPresent = (source.next() & 1) != 0;
      const auto code = static_cast<ConnackCode>(source.next() % 6);
      const std::size_t size = encodeMqttConnack(buffer, sessionPresent, code);
      if (size == 0) return check(limit < 4);
      const auto parsed = parseMqttConnack(frameEncoded(size, buffer));
      check(parsed.ok() && parsed.value.sessionPresent == sessionPresent && parsed.value.code == code);
      return;
    }
    default: {
      const std::uint16_t id = source.next16();
      const Bytes codes = asBytes(source.text(8));
      const std::size_t size = encodeMqttSuback(buffer, id, codes);
      if (size == 0) return;
      const auto parsed = parseMqttSuback(frameEncoded(size, buffer));
      check(parsed.ok() && parsed.value.packetId == id && same(parsed.value.grantedQos, codes));
      return;
    }
  }
}

// ---- mode 2: management framing ----

void fuzzMgmt(Bytes in) {
  const auto packet = decodeMgmt(in);
  check(packet.ok() == (packet.error == MgmtError::None));
  check(packet.ok() ==
        (in.size() >= kMgmtHeaderSize && in[0] == 0 && in[1] == 0 && in[2] == 0 && in[3] == 3));
  if (!packet.ok()) return;
  std::array<std::uint8_t, 4096> out{};
  const std::size_t size = encodeMgmt(out, packet.value.cmd, packet.value.payload);
  check(size == in.size() && same(Bytes(out).first(size), in));

  const auto count = parseMgmtAppCount(packet.value);
  if (count.ok()) {
    const std::size_t n = encodeMgmtAppCount(out, count.value);
    check(n == 8 && same(Bytes(out).first(n), in.first(8)));
  }
  const auto ota = parseMgmtOtaPush(packet.value);
  if (ota.ok()) {
    const std::size_t n = encodeMgmtOtaPush(out, ota.value);
    check(n == 7 && same(Bytes(out).first(n), in.first(7)));
  }
  check(!mgmtErrorName(ota.error).empty() && !mgmtErrorName(count.error).empty());
}

// ---- mode 3: topics ----

void fuzzTopics(Bytes in) {
  ByteSource source(in);
  const std::string_view did = source.text(30);
  const std::string_view filter = source.text(40);
  const std::string_view topic = source.text(80);

  const bool matches = topicMatches(filter, topic);
  if (matches) check(isValidTopicFilter(filter) && isValidTopicName(topic));
  if (isValidTopicName(topic)) {
    check(isValidTopicFilter(topic) && topicMatches(topic, topic));  // a name is a filter matching itself
    check(topicMatches("#", topic) == (topic[0] != '$'));
  }

  const TopicClass c = classifyTopic(topic, did);
  switch (c.kind) {
    case TopicKind::AppToDev: {
      check(!c.clientId.empty() && c.clientId.size() <= kMqttAppClientIdMaxLength);
      check(topic == "app2dev/" + std::string(did) + "/" + std::string(c.clientId));
      const MqttTopic subscribed = appToDevFilter(did);
      if (subscribed.ok()) check(topicMatches(subscribed.view(), topic));
      const MqttTopic reply = devToAppTopic(did, c.clientId);
      if (reply.ok()) check(reply.view() == "dev2app/" + std::string(did) + "/" + std::string(c.clientId));
      break;
    }
    case TopicKind::SerToCliRes: {
      const MqttTopic res = serToCliResTopic(did);
      check(res.ok() && res.view() == topic && c.clientId.empty());
      break;
    }
    case TopicKind::SerToCliNoti:
      check(topic.starts_with("ser2cli_noti/"));
      if (const MqttTopic noti = serToCliNotiTopic(topic.substr(13)); noti.ok()) check(noti.view() == topic);
      break;
    case TopicKind::Other:
      check(c.clientId.empty());
      break;
  }
  // Builders either fail or produce a topic name the classifier recognises.
  const MqttTopic res = serToCliResTopic(did);
  if (res.ok())
    check(isValidTopicName(res.view()) && classifyTopic(res.view(), did).kind == TopicKind::SerToCliRes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Bytes in(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      fuzzStream(in);
      break;
    case 1:
      fuzzBuilt(in);
      break;
    case 2:
      fuzzMgmt(in);
      break;
    default:
      fuzzTopics(in);
      break;
  }
  return 0;
}
