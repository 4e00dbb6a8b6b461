#include "gagent/proto/lan_commands.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gagent/proto/lan_packet.h"

#include "test_bytes.h"

using namespace gagent::proto;

namespace {

using gagent::test::ByteVector;
using gagent::test::concat;
using gagent::test::hex;
using gagent::test::text;

ByteVector toVector(Bytes bytes) {
  return ByteVector(bytes.begin(), bytes.end());
}

// Encodes a packet whose payload `build` writes, via the in-place encoder.
template <typename Build>
ByteVector packet(LanCmd cmd, Build&& build) {
  ByteVector out(kLanMaxPacketSize);
  out.resize(encodeLanPacketWith(cmd, build, out));
  return out;
}

ByteVector emptyPacket(LanCmd cmd) {
  ByteVector out(kLanMaxPacketSize);
  out.resize(encodeLanPacket(cmd, {}, out));
  return out;
}

// Parses `wire` as one datagram; expects cmd and returns the payload.
Bytes payloadOf(const ByteVector& wire, LanCmd cmd) {
  const LanDecode result = parseLanDatagram(wire);
  EXPECT_TRUE(result.ok()) << lanPacketErrorName(result.error);
  EXPECT_EQ(result.packet.cmd, toU16(cmd));
  EXPECT_EQ(result.packet.flag, 0x00);
  return result.packet.payload;
}

template <typename Build>
ByteVector payload(Build&& build) {
  ByteVector out(kLanMaxPayload);
  ByteWriter writer(out);
  build(writer);
  if (!writer.ok()) return {0xDE, 0xAD};  // never equal to an expected payload below
  out.resize(writer.size());
  return out;
}

template <typename Build>
bool builderFails(Build&& build) {
  ByteVector out(kLanMaxPayload);
  ByteWriter writer(out);
  build(writer);
  return !writer.ok();
}

// Test identities (arbitrary but fixed).
const ByteVector kMac = hex("5C CF 7F 0A 1B 2C");
constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";
constexpr std::string_view kDid = "Zq6hDMmYW7tNPpe8B2uKTR";
constexpr std::string_view kPasscode = "DATPBPIFOG";

}  // namespace

// ---- command table
// ---------------------------------------------------------------------------------------------

TEST(LanCommands, Proto2_3_Names) {
  EXPECT_EQ(lanCommandName(LanCmd::PasscodeRequest), "0x0006 passcode request");
  EXPECT_EQ(lanCommandName(LanCmd::OnboardingRequest), "0x0001 onboarding request");
  EXPECT_EQ(lanCommandName(LanCmd::ConfigSuccess), "0x0019 config success");
  EXPECT_EQ(lanCommandName(LanCmd::P0FromDeviceSn), "0x0094 P0 with sn from device");
  EXPECT_EQ(lanCommandName(static_cast<LanCmd>(0x000E)), "unknown");
  EXPECT_EQ(lanCommandName(static_cast<LanCmd>(0x0092)), "unknown");
}

TEST(LanCommands, Proto2_3_EveryTableCommandIsKnownAndNamedByItsCode) {
  const std::uint16_t codes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
                                 0x0B, 0x0C, 0x0D, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
                                 0x17, 0x18, 0x19, 0x1B, 0x90, 0x91, 0x93, 0x94};
  std::size_t known = 0;
  for (std::uint32_t code = 0; code <= 0xFFFF; ++code) {
    if (isKnownLanCommand(static_cast<LanCmd>(code))) ++known;
  }
  EXPECT_EQ(known, std::size(codes));
  for (std::uint16_t code : codes) {
    const auto cmd = static_cast<LanCmd>(code);
    EXPECT_TRUE(isKnownLanCommand(cmd)) << code;
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "0x%04X", code);
    EXPECT_EQ(lanCommandName(cmd).substr(0, 6), std::string_view(prefix)) << code;
  }
}

TEST(LanCommands, Proto2_3_PreLoginCommandsAreExactlyTheFive) {
  std::vector<std::uint16_t> allowed;
  for (std::uint32_t code = 0; code <= 0xFFFF; ++code) {
    if (isPreLoginCommand(static_cast<LanCmd>(code))) allowed.push_back(static_cast<std::uint16_t>(code));
  }
  EXPECT_EQ(allowed, (std::vector<std::uint16_t>{0x0006, 0x0008, 0x000C, 0x0013, 0x0017}));
}

// ---- Appendix B
// ----------------------------------------------------------------------------------------------

TEST(LanCommands, AppendixB_DiscoverRequest) {
  const ByteVector wire = hex("00 00 00 03 03 00 00 03");
  EXPECT_EQ(emptyPacket(LanCmd::DiscoveryRequest), wire);
  EXPECT_EQ(parseLanEmpty(payloadOf(wire, LanCmd::DiscoveryRequest)), ParseStatus::Ok);
}

TEST(LanCommands, AppendixB_OnboardRequestAndReply) {
  const ByteVector wire =
      concat({hex("00 00 00 03 17 00 00 01 00 07"), text("TestNet"), hex("00 09"), text("password1")});
  EXPECT_EQ(packet(LanCmd::OnboardingRequest,
                   [](ByteWriter& w) {
                     buildLanOnboardingRequest({"TestNet", "password1"}, w);
                   }),
            wire);
  const auto parsed = parseLanOnboardingRequest(payloadOf(wire, LanCmd::OnboardingRequest));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.ssid, "TestNet");
  EXPECT_EQ(parsed.value.password, "password1");

  const ByteVector reply = hex("00 00 00 03 03 00 00 02");
  EXPECT_EQ(emptyPacket(LanCmd::OnboardingReply), reply);
  EXPECT_EQ(parseLanEmpty(payloadOf(reply, LanCmd::OnboardingReply)), ParseStatus::Ok);
}

TEST(LanCommands, AppendixB_PingPong) {
  EXPECT_EQ(emptyPacket(LanCmd::Ping), hex("00 00 00 03 03 00 00 15"));
  EXPECT_EQ(emptyPacket(LanCmd::Pong), hex("00 00 00 03 03 00 00 16"));
  EXPECT_EQ(parseLanEmpty(payloadOf(hex("00 00 00 03 03 00 00 15"), LanCmd::Ping)), ParseStatus::Ok);
  EXPECT_EQ(parseLanEmpty(payloadOf(hex("00 00 00 03 03 00 00 16"), LanCmd::Pong)), ParseStatus::Ok);
}

TEST(LanCommands, AppendixB_ConfigSuccessBroadcastLen45) {
  const ByteVector wire = concat({hex("00 00 00 03 45 00 00 19 00 06"), kMac, hex("00 20"), text(kProductKey),
                                  hex("00 16"), text(kDid)});
  EXPECT_EQ(packet(LanCmd::ConfigSuccess,
                   [](ByteWriter& w) {
                     buildLanConfigSuccess({kMac, kProductKey, kDid}, w);
                   }),
            wire);
  const auto parsed = parseLanConfigSuccess(payloadOf(wire, LanCmd::ConfigSuccess));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(toVector(parsed.value.mac), kMac);
  EXPECT_EQ(parsed.value.productKey, kProductKey);
  EXPECT_EQ(parsed.value.did, kDid);
}

TEST(LanCommands, AppendixB_StartupBroadcastLen4F) {
  const ByteVector attr = hex("00 00 00 00 00 00 00 02");
  const ByteVector wire = concat({hex("00 00 00 03 4F 00 00 05 00 16"), text(kDid), hex("00 06"), kMac,
                                  hex("00 00 00 20"), text(kProductKey), attr});
  LanDeviceAnnounce announce;
  announce.did = kDid;
  announce.mac = kMac;
  announce.productKey = kProductKey;
  announce.mcuAttr = attr;
  EXPECT_EQ(packet(LanCmd::StartupAnnounce, [&](ByteWriter& w) { buildLanDeviceAnnounce(announce, w); }),
            wire);
  const auto parsed = parseLanDeviceAnnounce(payloadOf(wire, LanCmd::StartupAnnounce));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.did, kDid);
  EXPECT_EQ(toVector(parsed.value.mac), kMac);
  EXPECT_EQ(parsed.value.firmwareVersion, "");
  EXPECT_EQ(parsed.value.productKey, kProductKey);
  EXPECT_EQ(toVector(parsed.value.mcuAttr), attr);
  EXPECT_FALSE(parsed.value.apiServer.has_value());
  EXPECT_FALSE(parsed.value.gagentVersion.has_value());
}

// ---- the observed v4.2.6 session (§2.3)
// ------------------------------------------------------------------------

TEST(LanCommands, Proto2_3_ObservedPasscodeRequestAndReply) {
  const ByteVector request = hex("00 00 00 03 03 00 00 06");
  EXPECT_EQ(emptyPacket(LanCmd::PasscodeRequest), request);
  EXPECT_EQ(parseLanEmpty(payloadOf(request, LanCmd::PasscodeRequest)), ParseStatus::Ok);

  const ByteVector reply = hex("00 00 00 03 0F 00 00 07 00 0A 44 41 54 50 42 50 49 46 4F 47");
  EXPECT_EQ(packet(LanCmd::PasscodeReply, [](ByteWriter& w) { buildLanPasscodeReply(kPasscode, w); }), reply);
  const auto parsed = parseLanPasscodeReply(payloadOf(reply, LanCmd::PasscodeReply));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value, "DATPBPIFOG");
}

TEST(LanCommands, Proto2_3_ObservedLoginAndResult) {
  const ByteVector login = hex("00 00 00 03 0F 00 00 08 00 0A 44 41 54 50 42 50 49 46 4F 47");
  EXPECT_EQ(packet(LanCmd::Login, [](ByteWriter& w) { buildLanLogin(kPasscode, w); }), login);
  const auto parsed = parseLanLogin(payloadOf(login, LanCmd::Login));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value, "DATPBPIFOG");

  const ByteVector result = hex("00 00 00 03 04 00 00 09 00");
  EXPECT_EQ(packet(LanCmd::LoginResult, [](ByteWriter& w) { buildLanLoginResult(LanLoginResult::Ok, w); }),
            result);
  const auto parsedResult = parseLanLoginResult(payloadOf(result, LanCmd::LoginResult));
  ASSERT_TRUE(parsedResult.ok());
  EXPECT_EQ(parsedResult.value, LanLoginResult::Ok);
}

TEST(LanCommands, Proto2_3_ObservedReadStatusAndReply) {
  const ByteVector read = hex("00 00 00 03 04 00 00 90 02");
  EXPECT_EQ(packet(LanCmd::P0ToDevice, [](ByteWriter& w) { w.bytes(hex("02")); }), read);
  EXPECT_EQ(toVector(payloadOf(read, LanCmd::P0ToDevice)), hex("02"));

  const ByteVector reply = hex("00 00 00 03 08 00 00 91 03 01 7F FF 10");
  EXPECT_EQ(packet(LanCmd::P0FromDevice, [](ByteWriter& w) { w.bytes(hex("03 01 7F FF 10")); }), reply);
  EXPECT_EQ(toVector(payloadOf(reply, LanCmd::P0FromDevice)), hex("03 01 7F FF 10"));
}

TEST(LanCommands, Proto2_3_ObservedControlWithSnAndEcho) {
  const ByteVector control = hex("00 00 00 03 0A 00 00 93 12 34 56 78 01 01 FF");
  const ByteVector p0 = hex("01 01 FF");
  EXPECT_EQ(packet(LanCmd::P0ToDeviceSn,
                   [&](ByteWriter& w) {
                     buildLanSequencedP0({0x12345678, p0}, w);
                   }),
            control);
  const auto parsed = parseLanSequencedP0(payloadOf(control, LanCmd::P0ToDeviceSn));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.sn, 0x12345678u);
  EXPECT_EQ(toVector(parsed.value.p0), p0);

  // The MCU sent a bare ACK: the echo carries no P0.
  const ByteVector echo = hex("00 00 00 03 07 00 00 94 12 34 56 78");
  EXPECT_EQ(packet(LanCmd::P0FromDeviceSn,
                   [](ByteWriter& w) {
                     buildLanSequencedP0({0x12345678, {}}, w);
                   }),
            echo);
  const auto parsedEcho = parseLanSequencedP0(payloadOf(echo, LanCmd::P0FromDeviceSn));
  ASSERT_TRUE(parsedEcho.ok());
  EXPECT_EQ(parsedEcho.value.sn, 0x12345678u);
  EXPECT_TRUE(parsedEcho.value.p0.empty());
}

TEST(LanCommands, Proto2_3_ObservedReportBroadcast) {
  const ByteVector report = hex("00 00 00 03 08 00 00 91 04 01 7F FF 10");
  EXPECT_EQ(packet(LanCmd::P0FromDevice, [](ByteWriter& w) { w.bytes(hex("04 01 7F FF 10")); }), report);
  EXPECT_EQ(toVector(payloadOf(report, LanCmd::P0FromDevice)), hex("04 01 7F FF 10"));
}

TEST(LanCommands, Proto2_3_ObservedDiscoveryReplyWithoutDidLen39) {
  const ByteVector wire = concat({hex("00 00 00 03 39 00 00 04 00 00 00 06 00 00 00 00 00 00 00 00 00 20"),
                                  text(kProductKey), hex("00 00 00 00 00 00 00 00")});
  LanDeviceAnnounce announce;
  const std::array<std::uint8_t, 6> loMac{};
  announce.mac = loMac;
  announce.productKey = kProductKey;  // mcuAttr empty: eight zero bytes
  EXPECT_EQ(packet(LanCmd::DiscoveryReply, [&](ByteWriter& w) { buildLanDeviceAnnounce(announce, w); }),
            wire);
  const auto parsed = parseLanDeviceAnnounce(payloadOf(wire, LanCmd::DiscoveryReply));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.did, "");
  EXPECT_EQ(toVector(parsed.value.mac), hex("00 00 00 00 00 00"));
  EXPECT_EQ(parsed.value.firmwareVersion, "");
  EXPECT_EQ(parsed.value.productKey, kProductKey);
  EXPECT_EQ(toVector(parsed.value.mcuAttr), hex("00 00 00 00 00 00 00 00"));
}

// ---- 0001 onboarding
// -----------------------------------------------------------------------------------------

TEST(LanCommands, S6_2_5_OnboardingSsidOf33BytesIsRejected) {
  const std::string ssid33(33, 'S');
  const ByteVector body = concat({hex("00 21"), text(ssid33), hex("00 01 70")});
  EXPECT_EQ(parseLanOnboardingRequest(body).status, ParseStatus::Malformed);
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanOnboardingRequest({ssid33, "p"}, w); }));
}

TEST(LanCommands, S6_2_5_OnboardingLimitsAre32AndPasswordIsNotJudged) {
  const std::string ssid32(32, 'S');
  const std::string pwd32(32, '%');  // taken as is: no check, no unescaping (S6.2.5)
  const ByteVector body = concat({hex("00 20"), text(ssid32), hex("00 20"), text(pwd32)});
  EXPECT_EQ(payload([&](ByteWriter& w) { buildLanOnboardingRequest({ssid32, pwd32}, w); }), body);
  const auto parsed = parseLanOnboardingRequest(body);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.ssid, ssid32);
  EXPECT_EQ(parsed.value.password, pwd32);

  const std::string pwd33(33, 'p');
  EXPECT_EQ(parseLanOnboardingRequest(concat({hex("00 01 53 00 21"), text(pwd33)})).status,
            ParseStatus::Malformed);
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanOnboardingRequest({"S", pwd33}, w); }));
}

TEST(LanCommands, S6_2_5_OnboardingOpenNetworkHasAnEmptyPassword) {
  const ByteVector body = hex("00 01 41 00 00");
  const auto parsed = parseLanOnboardingRequest(body);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.ssid, "A");
  EXPECT_EQ(parsed.value.password, "");
}

TEST(LanCommands, Proto2_3_OnboardingTruncationAndTrailingBytesAreRejected) {
  const ByteVector body = concat({hex("00 07"), text("TestNet"), hex("00 09"), text("password1")});
  for (std::size_t size = 0; size < body.size(); ++size) {
    EXPECT_EQ(parseLanOnboardingRequest(Bytes(body).first(size)).status, ParseStatus::Malformed) << size;
  }
  EXPECT_TRUE(parseLanOnboardingRequest(body).ok());
  EXPECT_EQ(parseLanOnboardingRequest(concat({body, hex("00")})).status, ParseStatus::Malformed);
}

// ---- 0004 / 0005
// ---------------------------------------------------------------------------------------------

TEST(LanCommands, Proto2_3_AnnounceWithNewerTailStrings) {
  const ByteVector attr = hex("00 00 00 00 00 00 00 02");
  const ByteVector body =
      concat({hex("00 16"), text(kDid), hex("00 06"), kMac, hex("00 08"), text("04020035"), hex("00 20"),
              text(kProductKey), attr, text("api.gizwits.com:80"), hex("00"), text("4.0.8"), hex("00")});
  LanDeviceAnnounce announce;
  announce.did = kDid;
  announce.mac = kMac;
  announce.firmwareVersion = "04020035";
  announce.productKey = kProductKey;
  announce.mcuAttr = attr;
  announce.apiServer = "api.gizwits.com:80";
  announce.gagentVersion = "4.0.8";
  EXPECT_EQ(payload([&](ByteWriter& w) { buildLanDeviceAnnounce(announce, w); }), body);

  const auto parsed = parseLanDeviceAnnounce(body);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.firmwareVersion, "04020035");
  EXPECT_EQ(parsed.value.apiServer, std::optional<std::string_view>("api.gizwits.com:80"));
  EXPECT_EQ(parsed.value.gagentVersion, std::optional<std::string_view>("4.0.8"));

  // "and sometimes more": ignored.
  const ByteVector longer = concat({body, text("extra"), hex("00 01 02")});
  const auto more = parseLanDeviceAnnounce(longer);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more.value.apiServer, std::optional<std::string_view>("api.gizwits.com:80"));
  EXPECT_EQ(more.value.gagentVersion, std::optional<std::string_view>("4.0.8"));
}

TEST(LanCommands, Proto2_3_AnnounceTailWithoutTerminatorOrVersion) {
  const ByteVector head = concat(
      {hex("00 00 00 06"), kMac, hex("00 00 00 20"), text(kProductKey), hex("00 00 00 00 00 00 00 00")});
  const ByteVector unterminatedBody = concat({head, text("api.gizwits.com")});
  const auto unterminated = parseLanDeviceAnnounce(unterminatedBody);
  ASSERT_TRUE(unterminated.ok());
  EXPECT_EQ(unterminated.value.apiServer, std::optional<std::string_view>("api.gizwits.com"));
  EXPECT_FALSE(unterminated.value.gagentVersion.has_value());

  const ByteVector emptyServerBody = concat({head, hex("00")});
  const auto emptyServer = parseLanDeviceAnnounce(emptyServerBody);
  ASSERT_TRUE(emptyServer.ok());
  EXPECT_EQ(emptyServer.value.apiServer, std::optional<std::string_view>(""));
  EXPECT_FALSE(emptyServer.value.gagentVersion.has_value());
}

TEST(LanCommands, Proto2_3_AnnounceFixedFieldsAreChecked) {
  const ByteVector attr = hex("00 00 00 00 00 00 00 00");
  const ByteVector good = concat({hex("00 00 00 06"), kMac, hex("00 00 00 20"), text(kProductKey), attr});
  ASSERT_TRUE(parseLanDeviceAnnounce(good).ok());
  // MAC length 5, product key length 31, mcu_attr cut short.
  EXPECT_EQ(
      parseLanDeviceAnnounce(concat({hex("00 00 00 05 5C CF 7F 0A 1B 00 00 00 20"), text(kProductKey), attr}))
          .status,
      ParseStatus::Malformed);
  EXPECT_EQ(parseLanDeviceAnnounce(
                concat({hex("00 00 00 06"), kMac, hex("00 00 00 1F"), text(kProductKey.substr(0, 31)), attr}))
                .status,
            ParseStatus::Malformed);
  for (std::size_t size = 0; size < good.size(); ++size) {
    EXPECT_EQ(parseLanDeviceAnnounce(Bytes(good).first(size)).status, ParseStatus::Malformed) << size;
  }
}

TEST(LanCommands, Proto2_3_AnnounceBuilderRefusesWhatTheFormatCannotCarry) {
  LanDeviceAnnounce announce;
  announce.mac = kMac;
  announce.productKey = kProductKey;
  EXPECT_FALSE(builderFails([&](ByteWriter& w) { buildLanDeviceAnnounce(announce, w); }));

  LanDeviceAnnounce shortMac = announce;
  shortMac.mac = Bytes(kMac).first(5);
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanDeviceAnnounce(shortMac, w); }));
  LanDeviceAnnounce shortKey = announce;
  shortKey.productKey = kProductKey.substr(1);
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanDeviceAnnounce(shortKey, w); }));
  LanDeviceAnnounce badAttr = announce;
  const ByteVector attr7(7);
  badAttr.mcuAttr = attr7;
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanDeviceAnnounce(badAttr, w); }));
  LanDeviceAnnounce versionOnly = announce;
  versionOnly.gagentVersion = "4.0.8";
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanDeviceAnnounce(versionOnly, w); }));
  LanDeviceAnnounce nulInside = announce;
  nulInside.apiServer = std::string_view("a\0b", 3);
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanDeviceAnnounce(nulInside, w); }));
}

// ---- 0007 / 0008 / 0009
// ----------------------------------------------------------------------------------------

TEST(LanCommands, S7_2_3_PasscodeReplyOutsideTheBindWindowIsEmpty) {
  const ByteVector wire = hex("00 00 00 03 05 00 00 07 00 00");
  EXPECT_EQ(packet(LanCmd::PasscodeReply, [](ByteWriter& w) { buildLanPasscodeReply("", w); }), wire);
  const auto parsed = parseLanPasscodeReply(payloadOf(wire, LanCmd::PasscodeReply));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value, "");
}

TEST(LanCommands, S7_2_1_PasscodeUpTo32Characters) {
  const std::string pass32(32, 'Q');
  const ByteVector body = concat({hex("00 20"), text(pass32)});
  EXPECT_EQ(payload([&](ByteWriter& w) { buildLanLogin(pass32, w); }), body);
  EXPECT_EQ(parseLanLogin(body).value, pass32);
  const std::string pass33(33, 'Q');
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanPasscodeReply(pass33, w); }));
  EXPECT_EQ(parseLanLogin(concat({hex("00 21"), text(pass33)})).status, ParseStatus::Malformed);
}

TEST(LanCommands, Proto2_3_LoginIsExact) {
  EXPECT_EQ(parseLanLogin(hex("00 0A 44 41 54 50 42 50 49 46 4F")).status,
            ParseStatus::Malformed);  // 9 of 10
  EXPECT_EQ(parseLanLogin(hex("00 0A 44 41 54 50 42 50 49 46 4F 47 00")).status, ParseStatus::Malformed);
  EXPECT_EQ(parseLanLogin(hex("00")).status, ParseStatus::Malformed);
  EXPECT_EQ(parseLanLogin({}).status, ParseStatus::Malformed);
}

TEST(LanCommands, Proto2_3_LoginResultFailAndLengths) {
  EXPECT_EQ(packet(LanCmd::LoginResult, [](ByteWriter& w) { buildLanLoginResult(LanLoginResult::Fail, w); }),
            hex("00 00 00 03 04 00 00 09 01"));
  EXPECT_EQ(parseLanLoginResult(hex("01")).value, LanLoginResult::Fail);
  const auto other = parseLanLoginResult(hex("07"));  // kept raw: anything but 00 is not a login
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other.value, LanLoginResult::Ok);
  EXPECT_EQ(static_cast<std::uint8_t>(other.value), 0x07);
  EXPECT_EQ(parseLanLoginResult({}).status, ParseStatus::Malformed);
  EXPECT_EQ(parseLanLoginResult(hex("00 00")).status, ParseStatus::Malformed);
}

// ---- 000D AP list
// ------------------------------------------------------------------------------------------------

TEST(LanCommands, S6_2_4_ApListBuildAndWalk) {
  const std::array<LanApEntry, 3> entries = {{{"Home", 87}, {"", 0}, {"GIZWITS_TEST_1", 100}}};
  const ByteVector body =
      concat({hex("00 04"), text("Home"), hex("57 00 00 00 00 0E"), text("GIZWITS_TEST_1"), hex("64")});
  EXPECT_EQ(payload([&](ByteWriter& w) { buildLanApList(entries, w); }), body);

  const auto parsed = parseLanApList(body);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.count(), 3u);
  std::vector<std::pair<std::string, int>> seen;
  forEachLanAp(parsed.value, [&](const LanApEntry& e) { seen.emplace_back(std::string(e.ssid), e.power); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, int>>{{"Home", 87}, {"", 0}, {"GIZWITS_TEST_1", 100}}));
}

TEST(LanCommands, S6_2_4_EmptyApListIsOk) {
  const ByteVector wire = hex("00 00 00 03 03 00 00 0D");
  EXPECT_EQ(packet(LanCmd::ApList, [](ByteWriter& w) { buildLanApList({}, w); }), wire);
  const auto parsed = parseLanApList(payloadOf(wire, LanCmd::ApList));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.count(), 0u);
}

TEST(LanCommands, Proto2_3_ApListMalformations) {
  const std::string ssid33(33, 'x');
  EXPECT_EQ(parseLanApList(concat({hex("00 21"), text(ssid33), hex("10")})).status, ParseStatus::Malformed);
  EXPECT_EQ(parseLanApList(hex("00 01 41 65")).status, ParseStatus::Malformed);  // power 101
  EXPECT_TRUE(parseLanApList(hex("00 01 41 64")).ok());                          // power 100
  const ByteVector two = hex("00 01 41 10 00 02 42 43 20");
  ASSERT_TRUE(parseLanApList(two).ok());
  for (std::size_t size = 1; size < two.size(); ++size) {
    if (size == 4) continue;  // a whole first entry
    EXPECT_EQ(parseLanApList(Bytes(two).first(size)).status, ParseStatus::Malformed) << size;
  }
  const std::array<LanApEntry, 1> loud = {{{"A", 101}}};
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanApList(loud, w); }));
  const std::array<LanApEntry, 1> longName = {{{ssid33, 1}}};
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanApList(longName, w); }));
}

// ---- 0014 device info
// --------------------------------------------------------------------------------------------

TEST(LanCommands, Proto2_3_DeviceInfoBuildAndParse) {
  LanDeviceInfo info;
  info.wifiHardVer = "ESP_8266";
  info.wifiSoftVer = "04020026";
  info.mcuHardVer = "00000001";
  info.mcuSoftVer = "04020001";
  info.p0Ver = "00000002";
  info.productKey = kProductKey;  // firmwareId and firmwareVersion empty, as v4.2.6 normally sends
  const ByteVector body =
      concat({text("ESP_8266"), text("04020026"), text("00000001"), text("04020001"), text("00000002"),
              hex("00 00 00 00 00 00 00 00"), hex("00 00 00 20"), text(kProductKey)});
  const ByteVector wire = concat({hex("00 00 00 03 57 00 00 14"), body});  // LEN 3 + 84
  EXPECT_EQ(packet(LanCmd::DeviceInfoReply, [&](ByteWriter& w) { buildLanDeviceInfo(info, w); }), wire);

  const auto parsed = parseLanDeviceInfo(payloadOf(wire, LanCmd::DeviceInfoReply));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.wifiHardVer, "ESP_8266");
  EXPECT_EQ(parsed.value.wifiSoftVer, "04020026");
  EXPECT_EQ(parsed.value.mcuHardVer, "00000001");
  EXPECT_EQ(parsed.value.mcuSoftVer, "04020001");
  EXPECT_EQ(parsed.value.p0Ver, "00000002");
  EXPECT_EQ(parsed.value.firmwareId, std::string_view("\0\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(parsed.value.firmwareVersion, "");
  EXPECT_EQ(parsed.value.productKey, kProductKey);
}

TEST(LanCommands, Proto2_3_DeviceInfoObservedLen77) {
  // v4.2.6 copies the wrong 32-byte buffer into fw: LEN 0x77 = 3 + 48 + 2 + 32 + 2 + 32.
  LanDeviceInfo info;
  info.wifiHardVer = "x";  // shorter values are zero padded
  const std::string wrongBuffer(32, 'w');
  info.firmwareVersion = wrongBuffer;
  info.productKey = kProductKey;
  const ByteVector wire =
      packet(LanCmd::DeviceInfoReply, [&](ByteWriter& w) { buildLanDeviceInfo(info, w); });
  ASSERT_EQ(wire.size(), 4u + 1u + 0x77u);
  EXPECT_EQ(wire[4], 0x77);
  EXPECT_EQ(ByteVector(wire.begin() + 8, wire.begin() + 16), hex("78 00 00 00 00 00 00 00"));
  const auto parsed = parseLanDeviceInfo(payloadOf(wire, LanCmd::DeviceInfoReply));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.firmwareVersion, wrongBuffer);
  EXPECT_EQ(parsed.value.productKey, kProductKey);
}

TEST(LanCommands, Proto2_3_DeviceInfoMalformations) {
  const ByteVector good = concat({ByteVector(48, '0'), hex("00 00 00 20"), text(kProductKey)});
  ASSERT_TRUE(parseLanDeviceInfo(good).ok());
  EXPECT_TRUE(parseLanDeviceInfo(concat({good, hex("AA")})).ok());  // appended fields are ignored
  for (std::size_t size = 0; size < good.size(); ++size) {
    EXPECT_EQ(parseLanDeviceInfo(Bytes(good).first(size)).status, ParseStatus::Malformed) << size;
  }
  EXPECT_EQ(parseLanDeviceInfo(concat({ByteVector(48, '0'), hex("00 00 00 1F"), text(kProductKey.substr(1))}))
                .status,
            ParseStatus::Malformed);
  LanDeviceInfo tooLong;
  tooLong.mcuSoftVer = "123456789";
  tooLong.productKey = kProductKey;
  EXPECT_TRUE(builderFails([&](ByteWriter& w) { buildLanDeviceInfo(tooLong, w); }));
}

// ---- 0019 config success
// ------------------------------------------------------------------------------------------

TEST(LanCommands, Proto5_2_ConfigSuccessIsExact) {
  const ByteVector body =
      concat({hex("00 06"), kMac, hex("00 20"), text(kProductKey), hex("00 16"), text(kDid)});
  ASSERT_TRUE(parseLanConfigSuccess(body).ok());
  EXPECT_EQ(parseLanConfigSuccess(concat({body, hex("00")})).status, ParseStatus::Malformed);
  for (std::size_t size = 0; size < body.size(); ++size) {
    EXPECT_EQ(parseLanConfigSuccess(Bytes(body).first(size)).status, ParseStatus::Malformed) << size;
  }
  // Before registration the DID is empty.
  const ByteVector noDidBody = concat({hex("00 06"), kMac, hex("00 20"), text(kProductKey), hex("00 00")});
  const auto noDid = parseLanConfigSuccess(noDidBody);
  ASSERT_TRUE(noDid.ok());
  EXPECT_EQ(noDid.value.did, "");
  EXPECT_TRUE(builderFails([](ByteWriter& w) {
    buildLanConfigSuccess({Bytes(kMac).first(5), kProductKey, kDid}, w);
  }));
  EXPECT_TRUE(builderFails([](ByteWriter& w) { buildLanConfigSuccess({kMac, "short", kDid}, w); }));
}

// ---- 0093 / 0094 and empty bodies
// ------------------------------------------------------------------------------

TEST(LanCommands, Proto2_3_SequencedP0NeedsTheFourSnBytes) {
  EXPECT_EQ(parseLanSequencedP0(hex("12 34 56")).status, ParseStatus::Malformed);
  EXPECT_EQ(parseLanSequencedP0({}).status, ParseStatus::Malformed);
  const ByteVector body = hex("FF FF FF FE 03");
  const auto parsed = parseLanSequencedP0(body);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.sn, 0xFFFFFFFEu);
  EXPECT_EQ(toVector(parsed.value.p0), hex("03"));
}

TEST(LanCommands, Proto2_3_EmptyBodiesAreEmpty) {
  EXPECT_EQ(parseLanEmpty({}), ParseStatus::Ok);
  EXPECT_EQ(parseLanEmpty(hex("00")), ParseStatus::Malformed);
  EXPECT_EQ(emptyPacket(LanCmd::ExitProductionTest), hex("00 00 00 03 03 00 00 17"));
  EXPECT_EQ(emptyPacket(LanCmd::ExitProductionTestReply), hex("00 00 00 03 03 00 00 18"));
  EXPECT_EQ(emptyPacket(LanCmd::DeviceInfoRequest), hex("00 00 00 03 03 00 00 13"));
  EXPECT_EQ(emptyPacket(LanCmd::ApListRequest), hex("00 00 00 03 03 00 00 0C"));
}
