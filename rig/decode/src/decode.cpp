#include "gizrig/decode/decode.h"

#include <cstdio>

#include "decode_lan_fields.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mqtt.h"
#include "gizrig/decode/mcu_describe.h"

namespace gizrig::core {

namespace proto = gagent::proto;

namespace {

std::string text(std::string_view view) {
  return std::string(view);
}

std::string hexByte(unsigned value, int width) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*X", width, value);
  return buffer;
}

}  // namespace

const char* mcuFrameErrorName(proto::McuFrameError reason) {
  switch (reason) {
    case proto::McuFrameError::BadChecksum:
      return "checksum";
    case proto::McuFrameError::BadLength:
      return "length";
    case proto::McuFrameError::BadStuffing:
      return "stuffing";
    case proto::McuFrameError::Interrupted:
      return "interrupted by a new header";
  }
  return "malformed";
}

namespace {

bool isP0Command(proto::McuCmd cmd) {
  return cmd == proto::McuCmd::P0ToMcu || cmd == proto::McuCmd::P0ToMcuAck ||
         cmd == proto::McuCmd::P0FromMcu || cmd == proto::McuCmd::P0FromMcuAck;
}

std::vector<DecodedItem> decodeMcu(std::span<const std::uint8_t> bytes) {
  std::vector<DecodedItem> items;
  proto::McuFrameDecoder decoder;
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const proto::McuDecodeEvent event = decoder.push(bytes[i]);
    if (event.kind == proto::McuEventKind::None) continue;
    DecodedItem item;
    item.offset = start;
    item.length = i + 1 - start;
    start = i + 1;
    if (event.isFrame()) {
      const proto::McuHeader& h = event.frame.header;
      item.name = text(proto::commandName(h.cmd));
      item.fields = {{"sn", std::to_string(h.sn)}, {"flags", hexByte(h.flags, 4)}};
      // The payload's fields by name (0x02 device info, 0x0D status bits, either 0x22 layout, ...). P0 stays
      // bytes: its layout is the product's, and there is no product here.
      if (isP0Command(h.cmd)) {
        if (!event.frame.payload.empty()) item.fields.emplace_back("payload", toHex(event.frame.payload));
        items.push_back(std::move(item));
        continue;
      }
      static const proto::Product noProduct;
      const McuFrameDescription described =
          describeMcuFrame(h, event.frame.payload, proto::P0State(noProduct));
      for (const auto& [key, value] : described.fields) {
        if (key == QLatin1String("sn") || key == QLatin1String("flags")) continue;
        if (key == QLatin1String("payload_error")) {
          item.ok = false;
          item.error = "payload";
        }
        item.fields.emplace_back(key.toStdString(), value.toStdString());
      }
    } else {
      item.ok = false;
      item.error = mcuFrameErrorName(event.error.reason);
      item.name = event.error.cmd ? text(proto::commandName(*event.error.cmd)) : "frame";
      if (event.error.sn) item.fields.emplace_back("sn", std::to_string(*event.error.sn));
    }
    items.push_back(std::move(item));
  }
  if (start < bytes.size()) {
    DecodedItem rest;
    rest.offset = start;
    rest.ok = false;
    rest.error = "incomplete";
    rest.name = "bytes";
    rest.fields.emplace_back("bytes", toHex(bytes.subspan(start)));
    items.push_back(std::move(rest));
  }
  return items;
}

std::string lanName(std::uint16_t cmd) {
  const auto name = proto::lanCommandName(static_cast<proto::LanCmd>(cmd));
  return name == "unknown" ? "0x" + hexByte(cmd, 4) + " unknown" : text(name);
}

std::vector<DecodedItem> decodeLan(std::span<const std::uint8_t> bytes) {
  std::vector<DecodedItem> items;
  proto::LanStreamDecoder decoder;
  std::size_t fed = 0;
  std::size_t start = 0;
  proto::Bytes rest(bytes);
  while (!rest.empty()) {
    const std::size_t taken = decoder.feed(rest);
    rest = rest.subspan(taken);
    fed += taken;
    for (;;) {
      const proto::LanDecode decoded = decoder.next();
      if (decoded.status == proto::ParseStatus::NeedMore) break;
      DecodedItem item;
      item.offset = start;
      item.length = fed - decoder.buffered() - start;
      start = fed - decoder.buffered();
      if (decoded.ok()) {
        item.name = lanName(decoded.packet.cmd);
        item.fields = {{"flag", hexByte(decoded.packet.flag, 2)}};
        describeLanPayload(decoded.packet.cmd, decoded.packet.payload, item.fields);
      } else {
        item.ok = false;
        item.name = "packet";
        item.error = text(proto::lanPacketErrorName(decoded.error));
      }
      items.push_back(std::move(item));
    }
    if (taken == 0) break;
  }
  if (decoder.buffered() > 0) {
    DecodedItem tail;
    tail.offset = start;
    tail.ok = false;
    tail.name = "packet";
    tail.error = "incomplete";
    items.push_back(std::move(tail));
  }
  return items;
}

void describeMqtt(const proto::MqttPacket& packet, DecodedItem& item) {
  item.name = text(proto::mqttPacketTypeName(packet.type));
  switch (packet.type) {
    case proto::MqttPacketType::Connect:
      if (const auto c = proto::parseMqttConnect(packet); c.ok()) {
        item.fields = {{"protocol", text(proto::mqttProtocolName(c.value.protocol))},
                       {"client", text(c.value.clientId)},
                       {"user", text(c.value.username.value_or(""))},
                       {"keepalive", std::to_string(c.value.keepAliveSeconds)}};
      }
      break;
    case proto::MqttPacketType::Connack:
      if (const auto c = proto::parseMqttConnack(packet); c.ok()) {
        item.fields = {{"code", text(proto::connackCodeName(c.value.code))}};
      }
      break;
    case proto::MqttPacketType::Publish:
      if (const auto p = proto::parseMqttPublish(packet); p.ok()) {
        item.fields = {{"topic", text(p.value.topic)}, {"payload", toHex(p.value.payload)}};
      }
      break;
    case proto::MqttPacketType::Subscribe:
      if (const auto s = proto::parseMqttSubscribe(packet); s.ok()) {
        std::string topics;
        proto::forEachMqttSubscription(s.value, [&](const proto::MqttSubscription& sub) {
          topics += (topics.empty() ? "" : ",") + text(sub.topicFilter);
        });
        item.fields = {{"id", std::to_string(s.value.packetId)}, {"topics", topics}};
      }
      break;
    case proto::MqttPacketType::Suback:
      if (const auto s = proto::parseMqttSuback(packet); s.ok()) {
        item.fields = {{"id", std::to_string(s.value.packetId)}, {"granted", toHex(s.value.grantedQos)}};
      }
      break;
    default:
      if (!packet.body.empty()) item.fields = {{"body", toHex(packet.body)}};
      break;
  }
}

std::vector<DecodedItem> decodeMqtt(std::span<const std::uint8_t> bytes) {
  std::vector<DecodedItem> items;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const proto::MqttFrameDecode decoded = proto::decodeMqttPacket(bytes.subspan(at));
    DecodedItem item;
    item.offset = at;
    if (!decoded.ok()) {
      item.ok = false;
      item.name = "packet";
      item.error = decoded.status == proto::ParseStatus::NeedMore ? "incomplete"
                                                                  : text(proto::mqttErrorName(decoded.error));
      item.fields.emplace_back("bytes", toHex(bytes.subspan(at)));
      items.push_back(std::move(item));
      break;  // an MQTT stream cannot be resynchronised: the rest is unreadable
    }
    item.length = decoded.consumed;
    describeMqtt(decoded.packet, item);
    items.push_back(std::move(item));
    at += decoded.consumed;
  }
  return items;
}

}  // namespace

std::vector<DecodedItem> decodeStream(WireProtocol protocol, std::span<const std::uint8_t> bytes) {
  switch (protocol) {
    case WireProtocol::Mcu:
      return decodeMcu(bytes);
    case WireProtocol::Lan:
      return decodeLan(bytes);
    case WireProtocol::Mqtt:
      return decodeMqtt(bytes);
  }
  return {};
}

bool parseHex(const std::string& input, std::vector<std::uint8_t>& out, std::string& error) {
  out.clear();
  int high = -1;
  for (std::size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    int nibble = -1;
    if (c >= '0' && c <= '9') nibble = c - '0';
    if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') nibble = c - 'A' + 10;
    if (nibble < 0) {
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ':' || c == '-') continue;
      error = "not a hex digit at position " + std::to_string(i) + ": '" + std::string(1, c) + "'";
      return false;
    }
    if (high < 0) {
      high = nibble;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + nibble));
      high = -1;
    }
  }
  if (high >= 0) {
    error = "odd number of hex digits";
    return false;
  }
  return true;
}

std::string toHex(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) out += hexByte(b, 2);
  return out;
}

std::string formatItem(const DecodedItem& item) {
  std::string line = "@" + std::to_string(item.offset) + " " + item.name;
  if (!item.ok) line += " [" + item.error + "]";
  for (const auto& [key, value] : item.fields) line += " " + key + "=" + value;
  return line;
}

}  // namespace gizrig::core
