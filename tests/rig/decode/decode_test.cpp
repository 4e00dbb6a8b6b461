#include "gizrig/decode/decode.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace gizrig::core {
namespace {

using gagent::test::hex;

TEST(Decode, McuFramesNamedWithTheChecksumVerdict) {
  // Appendix A: report with FF escape; then the same frame with a broken checksum.
  const auto bytes =
      hex("FF FF 00 0A 05 43 00 00 04 01 7F FF 55 10 E5  FF FF 00 0A 05 43 00 00 04 01 7F FF 55 10 E6");
  const auto items = decodeStream(WireProtocol::Mcu, bytes);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_TRUE(items[0].ok);
  EXPECT_EQ(formatItem(items[0]), "@0 0x05 P0 from MCU sn=67 flags=0000 payload=04017FFF10");
  EXPECT_FALSE(items[1].ok);
  EXPECT_EQ(items[1].error, "checksum");
  EXPECT_EQ(items[1].offset, 15u);
}

TEST(Decode, LanPacketsFromACoalescedStream) {
  const auto items = decodeStream(WireProtocol::Lan, hex("00000003 03 00 0006 00000003 04 00 0009 00"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].name, "0x0006 passcode request");
  EXPECT_EQ(formatItem(items[1]), "@8 0x0009 login result flag=00 result=ok");
}

// §2.3 payloads are named the way the serial console names frame fields; a payload that does not parse keeps
// its bytes and says so.
TEST(Decode, S6_2_5_S7_3_LanPayloadFieldsAreNamedAndAMalformedOneKeepsItsBytes) {
  // 0001: ssidLen 0007 "HomeNet", pwdLen 0009 "password1".
  const auto onboarding =
      decodeStream(WireProtocol::Lan, hex("00000003 17 00 0001 0007 486F6D654E6574 0009 70617373776F726431"));
  ASSERT_EQ(onboarding.size(), 1u);
  EXPECT_EQ(formatItem(onboarding[0]),
            "@0 0x0001 onboarding request flag=00 ssid=HomeNet password=password1");
  // 0094: sn 0000002A + P0 04 01.
  const auto p0 = decodeStream(WireProtocol::Lan, hex("00000003 09 00 0094 0000002A 0401"));
  ASSERT_EQ(p0.size(), 1u);
  EXPECT_EQ(formatItem(p0[0]), "@0 0x0094 P0 with sn from device flag=00 sn=42 p0=0401");
  // 0008 with a passcode length that overruns the payload.
  const auto login = decodeStream(WireProtocol::Lan, hex("00000003 07 00 0008 0009 4142"));
  ASSERT_EQ(login.size(), 1u);
  EXPECT_EQ(formatItem(login[0]), "@0 0x0008 login flag=00 body=malformed payload=00094142");
}

TEST(Decode, MqttConnectFieldsAndATruncatedTail) {
  const auto items = decodeStream(WireProtocol::Mqtt, hex("C0 00 D0 00 30 05"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].name, "PINGREQ");
  EXPECT_EQ(items[1].name, "PINGRESP");
  EXPECT_FALSE(items[2].ok);
  EXPECT_EQ(items[2].error, "incomplete");
}

// S8.6: the SUBACK of each of the module's subscriptions names its packet id and the granted QoS.
TEST(Decode, S8_6_SubackFieldsAreThePacketIdAndTheGrantedQos) {
  const auto items = decodeStream(WireProtocol::Mqtt, hex("90 03 00 02 00  90 03 00 03 80"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(formatItem(items[0]), "@0 SUBACK id=2 granted=00");
  EXPECT_EQ(formatItem(items[1]), "@5 SUBACK id=3 granted=80");
}

TEST(Decode, HexParserRejectsNonHexAndOddCounts) {
  std::vector<std::uint8_t> out;
  std::string error;
  EXPECT_TRUE(parseHex("ff:FF-00 05", out, error));
  EXPECT_EQ(out, (std::vector<std::uint8_t>{0xFF, 0xFF, 0x00, 0x05}));
  EXPECT_FALSE(parseHex("FG", out, error));
  EXPECT_FALSE(parseHex("FFF", out, error));
  EXPECT_EQ(error, "odd number of hex digits");
}

}  // namespace
}  // namespace gizrig::core
