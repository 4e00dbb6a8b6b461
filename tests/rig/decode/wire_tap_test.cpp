// The engineer's LAN and MQTT traffic views (issue 6): segments and datagrams -> one named packet each, with
// the same codecs as `gizrig decode`. Vectors follow the protocol reference (§2 LAN framing, §4 MQTT 3.1).
#include "gizrig/decode/wire_tap.h"

#include <gtest/gtest.h>

#include <array>

#include "test_bytes.h"
#include "gagent/proto/mqtt.h"

namespace gizrig::core {
namespace {

using gagent::test::hex;
using gagent::test::text;

const std::string kConnection = "10.0.0.50:12416|10.0.0.20:50000";
const std::string kPeer = "10.0.0.20:50000";

std::vector<std::uint8_t> connectBytes() {
  std::array<std::uint8_t, 128> buffer{};
  const std::size_t n = gagent::proto::encodeMqttConnect(buffer, "did123", "did123", "passcode", 120, true);
  return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n)};
}

TEST(WireTap, S7_3_ALanPacketSplitOverTwoSegmentsIsOnePacketOnceComplete) {
  WireTap tap;
  const auto passcode = hex("00000003 03 00 0006");  // §2.3: 0006 passcode request, LEN 3
  EXPECT_TRUE(tap.stream(10, kConnection, true, false, kPeer, std::span(passcode).first(5)).empty());
  const auto packets = tap.stream(20, kConnection, true, false, kPeer, std::span(passcode).subspan(5));
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(packets[0].kind, WireKind::Lan);
  EXPECT_EQ(packets[0].time, 20);
  EXPECT_FALSE(packets[0].fromModule);
  EXPECT_EQ(packets[0].peer, kPeer);
  EXPECT_TRUE(packets[0].item.ok);
  EXPECT_EQ(packets[0].item.name, "0x0006 passcode request");
  EXPECT_EQ(packets[0].bytes, passcode);
}

TEST(WireTap, S7_3_TwoLanPacketsInOneSegmentAreTwoPacketsAndATailWaits) {
  WireTap tap;
  const auto bytes = hex("00000003 03 00 0006  00000003 04 00 0009 00  000000");
  const auto packets = tap.stream(0, kConnection, true, true, kPeer, bytes);
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].item.name, "0x0006 passcode request");
  EXPECT_EQ(packets[1].item.name, "0x0009 login result");
  EXPECT_EQ(packets[1].bytes, hex("00000003 04 00 0009 00"));
  // The three bytes of a third packet are reported when the connection closes, not before.
  const auto atClose = tap.closed(5, kConnection);
  ASSERT_EQ(atClose.size(), 1u);
  EXPECT_FALSE(atClose[0].item.ok);
  EXPECT_EQ(atClose[0].item.error, "incomplete at close");
  EXPECT_EQ(atClose[0].bytes, hex("000000"));
  EXPECT_EQ(tap.openConnections(), 0u);
}

TEST(WireTap, S7_1_ADatagramIsLanPacketsAndATruncatedOneSaysSo) {
  WireTap tap;
  const auto discovery = tap.datagram(1, false, "10.0.0.20:2415", hex("00000003 03 00 0003"));
  ASSERT_EQ(discovery.size(), 1u);
  EXPECT_TRUE(discovery[0].udp);
  EXPECT_EQ(discovery[0].item.name, "0x0003 discovery request");
  const auto cut = tap.datagram(2, true, "10.0.0.20:2415", hex("00000003 09 00 0004"));
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_FALSE(cut[0].item.ok);
  EXPECT_EQ(cut[0].bytes, hex("00000003 09 00 0004"));
}

TEST(WireTap, S8_5_AConnectionTheModuleOpensWithMqttBytesIsDecodedAsMqtt) {
  WireTap tap;
  const std::string mqtt = "10.0.0.50:49152|10.0.0.1:1883";
  const auto connect = connectBytes();
  const auto out = tap.stream(100, mqtt, false, true, "10.0.0.1:1883", connect);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, WireKind::Mqtt);
  EXPECT_EQ(out[0].item.name, "CONNECT");
  EXPECT_EQ(out[0].bytes, connect);
  const auto back = tap.stream(101, mqtt, false, false, "10.0.0.1:1883", hex("20 02 00 00  D0"));
  ASSERT_EQ(back.size(), 1u);  // CONNACK; the PINGRESP's second byte has not arrived
  EXPECT_EQ(back[0].item.name, "CONNACK");
  EXPECT_FALSE(back[0].fromModule);
  const auto ping = tap.stream(102, mqtt, false, false, "10.0.0.1:1883", hex("00"));
  ASSERT_EQ(ping.size(), 1u);
  EXPECT_EQ(ping[0].item.name, "PINGRESP");
}

TEST(WireTap, S8_3_AConnectionTheModuleOpensWithAnHttpRequestIsShownByStartLine) {
  WireTap tap;
  const std::string http = "10.0.0.50:49153|10.0.0.1:80";
  const auto request = text("POST /dev/devices HTTP/1.1\r\nHost: api\r\nContent-Length: 3\r\n\r\nx=1");
  const auto out = tap.stream(7, http, false, true, "10.0.0.1:80", request);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, WireKind::Http);
  EXPECT_EQ(out[0].item.name, "POST /dev/devices HTTP/1.1");
  const auto reply = tap.stream(8, http, false, false, "10.0.0.1:80", text("HTTP/1.1 201 Created\r\n\r\n"));
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(reply[0].item.name, "HTTP/1.1 201 Created");
  const auto body = tap.stream(9, http, false, false, "10.0.0.1:80", text("did=abc"));
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0].item.name, "data");
  EXPECT_EQ(tap.kindOf(http, WireKind::Lan), WireKind::Http);
}

TEST(WireTap, GarbageOnAnMqttStreamIsReportedOnceAndDropped) {
  WireTap tap;
  const std::string mqtt = "m|p";
  tap.stream(0, mqtt, false, true, "p", connectBytes());
  // Packet type 0 is reserved in MQTT 3.1: the stream cannot be read from here on.
  const auto out = tap.stream(1, mqtt, false, true, "p", hex("00 02 AA BB"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].item.ok);
  EXPECT_EQ(out[0].bytes, hex("00 02 AA BB"));
  // Nothing of it stays behind to be reported again.
  EXPECT_TRUE(tap.closed(2, mqtt).empty());
}

TEST(WireTap, AStreamThatNeverCompletesAPacketIsCappedNotGrown) {
  WireTap tap;
  const std::string lan = "m|p";
  // A LAN header announcing more than fits, then a flood of bytes that never ends the packet: whatever the
  // codec says first (LEN over the maximum, or too long for the tap), the bytes are reported and dropped.
  std::vector<std::uint8_t> flood(WireTap::kMaxPendingBytes + 10, 0x41);
  const auto header = hex("00000003 FF FF 03");
  flood.insert(flood.begin(), header.begin(), header.end());
  const auto out = tap.stream(0, lan, true, false, "p", flood);
  ASSERT_FALSE(out.empty());
  EXPECT_FALSE(out.back().item.ok);
  std::size_t reported = 0;
  for (const WirePacket& p : out) reported += p.bytes.size();
  EXPECT_EQ(reported, flood.size());
  EXPECT_TRUE(tap.closed(1, lan).empty());
}

}  // namespace
}  // namespace gizrig::core
