#include "gagent/proto/mcu_payloads.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/proto/mcu_frame.h"

#include "test_bytes.h"

using namespace gagent::proto;

namespace {

using gagent::test::ByteVector;
using gagent::test::concat;
using gagent::test::hex;
using gagent::test::text;

// Runs a builder into a large buffer; an empty result with ok = false when the writer failed.
template <typename Build>
std::pair<bool, ByteVector> build(Build&& fn) {
  std::array<std::uint8_t, 2048> buffer{};
  ByteWriter w(buffer);
  fn(w);
  return {w.ok(), ByteVector(w.written().begin(), w.written().end())};
}

ByteVector frame(McuHeader header, const ByteVector& payload) {
  ByteVector out(kMcuMaxWireSize);
  out.resize(encodeMcuFrame(header, payload, out));
  return out;
}

ConfigModeRequest configMode(std::uint8_t mode, std::string_view ssid = {}, std::string_view password = {},
                             std::string_view bssid = {}) {
  ConfigModeRequest request;
  request.mode = mode;
  request.ssid = ssid;
  request.password = password;
  request.bssid = bssid;
  return request;
}

ByteVector bytesOf(Bytes b) {
  return ByteVector(b.begin(), b.end());
}

const std::string_view kPk = "6f3074fe43894547a4f1314bd7e3ae0b";
const std::string_view kSecret = "0123456789abcdef0123456789abcdef";
const ByteVector kAttr = hex("00 00 00 00 00 00 00 02");

// 66-byte basic device info: versions, product key, bind timeout 0x0258 (600 s).
ByteVector basicInfo() {
  return concat(
      {text("00000004"), text("00000002"), text("HW000001"), text("SW000007"), text(kPk), hex("02 58")});
}

DeviceInfo basicInfoFields() {
  DeviceInfo info;
  info.protocolVer = "00000004";
  info.p0Ver = "00000002";
  info.hardVer = "HW000001";
  info.softVer = "SW000007";
  info.productKey = kPk;
  info.bindTimeout = 600;
  return info;
}

void expectBasicFields(const DeviceInfo& info) {
  EXPECT_EQ(info.protocolVer, "00000004");
  EXPECT_EQ(info.p0Ver, "00000002");
  EXPECT_EQ(info.hardVer, "HW000001");
  EXPECT_EQ(info.softVer, "SW000007");
  EXPECT_EQ(info.productKey, kPk);
  EXPECT_EQ(info.bindTimeout, 600);
}

}  // namespace

// ---- 0x02 device info ----

TEST(DeviceInfoPayload, Proto1_8_BasicFormIsLen71) {
  const auto [ok, payload] = build([](ByteWriter& w) { buildDeviceInfo(basicInfoFields(), w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload, basicInfo());
  EXPECT_EQ(payload.size(), kDeviceInfoBasicSize);
  const ByteVector wire = frame({McuCmd::DeviceInfo, 0, 0}, payload);
  EXPECT_EQ(ByteVector(wire.begin(), wire.begin() + 8), hex("FF FF 00 47 02 00 00 00"));  // len 71

  const auto parsed = parseDeviceInfo(payload);
  ASSERT_TRUE(parsed.ok());
  expectBasicFields(parsed.value);
  EXPECT_TRUE(parsed.value.devAttr.empty());
  EXPECT_TRUE(parsed.value.productSecret.empty());
  EXPECT_FALSE(parsed.value.hasData);
}

TEST(DeviceInfoPayload, Proto1_8_WithAttrIsLen79) {
  DeviceInfo fields = basicInfoFields();
  fields.devAttr = kAttr;
  const auto [ok, payload] = build([&](ByteWriter& w) { buildDeviceInfo(fields, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload, concat({basicInfo(), kAttr}));
  EXPECT_EQ(mcuFrameLen(payload.size()), 79u);

  const auto parsed = parseDeviceInfo(payload);
  ASSERT_TRUE(parsed.ok());
  expectBasicFields(parsed.value);
  EXPECT_EQ(bytesOf(parsed.value.devAttr), kAttr);
  EXPECT_TRUE(parsed.value.productSecret.empty());
  EXPECT_FALSE(parsed.value.hasData);
}

TEST(DeviceInfoPayload, Proto1_8_WithSecretIsLen111) {
  DeviceInfo fields = basicInfoFields();
  fields.devAttr = kAttr;
  fields.productSecret = kSecret;
  const auto [ok, payload] = build([&](ByteWriter& w) { buildDeviceInfo(fields, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload, concat({basicInfo(), kAttr, text(kSecret)}));
  EXPECT_EQ(mcuFrameLen(payload.size()), 111u);

  const auto parsed = parseDeviceInfo(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.productSecret, kSecret);
  EXPECT_FALSE(parsed.value.hasData);
}

TEST(DeviceInfoPayload, Proto1_8_WithDataIsDocLen0x87) {
  DeviceInfo fields = basicInfoFields();
  fields.devAttr = kAttr;
  fields.productSecret = kSecret;
  fields.hasData = true;
  fields.data = "cfgMode=1&apName0=John";  // the doc example: 22 bytes -> len 0x87
  const auto [ok, payload] = build([&](ByteWriter& w) { buildDeviceInfo(fields, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload,
            concat({basicInfo(), kAttr, text(kSecret), hex("00 16"), text("cfgMode=1&apName0=John")}));
  EXPECT_EQ(mcuFrameLen(payload.size()), 0x87u);
  const ByteVector wire = frame({McuCmd::DeviceInfo, 0, 0}, payload);
  EXPECT_EQ(ByteVector(wire.begin(), wire.begin() + 4), hex("FF FF 00 87"));

  const auto parsed = parseDeviceInfo(payload);
  ASSERT_TRUE(parsed.ok());
  expectBasicFields(parsed.value);
  EXPECT_EQ(bytesOf(parsed.value.devAttr), kAttr);
  EXPECT_EQ(parsed.value.productSecret, kSecret);
  EXPECT_TRUE(parsed.value.hasData);
  EXPECT_EQ(parsed.value.data, "cfgMode=1&apName0=John");
  EXPECT_EQ(deviceInfoDataValue(parsed.value.data, "cfgMode"), "1");

  // data_len 0 is a present, empty data field.
  const ByteVector emptyData = concat({basicInfo(), kAttr, text(kSecret), hex("00 00")});
  const auto empty = parseDeviceInfo(emptyData);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value.hasData);
  EXPECT_EQ(empty.value.data, "");
}

TEST(DeviceInfoPayload, Proto1_8_TruncatedTailsAreMalformed) {
  const ByteVector full = concat({basicInfo(), kAttr, text(kSecret), hex("00 04"), text("tz=8")});
  for (std::size_t size : {0u, 1u, 65u, 67u, 73u, 75u, 105u, 107u, 108u, 109u, 111u}) {
    EXPECT_EQ(parseDeviceInfo(Bytes(full).first(size)).status, ParseStatus::Malformed) << size;
  }
  for (std::size_t size : {66u, 74u, 106u, 112u}) {
    EXPECT_TRUE(parseDeviceInfo(Bytes(full).first(size)).ok()) << size;
  }
}

TEST(DeviceInfoPayload, Proto1_8_BytesAfterDataAreIgnored) {
  const ByteVector payload =
      concat({basicInfo(), kAttr, text(kSecret), hex("00 04"), text("tz=8"), hex("AA")});
  const auto parsed = parseDeviceInfo(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.data, "tz=8");
}

TEST(DeviceInfoPayload, Proto1_8_BuildRefusesMisplacedOrOversizeFields) {
  DeviceInfo secretWithoutAttr = basicInfoFields();
  secretWithoutAttr.productSecret = kSecret;
  EXPECT_FALSE(build([&](ByteWriter& w) { buildDeviceInfo(secretWithoutAttr, w); }).first);

  DeviceInfo dataWithoutSecret = basicInfoFields();
  dataWithoutSecret.devAttr = kAttr;
  dataWithoutSecret.hasData = true;
  EXPECT_FALSE(build([&](ByteWriter& w) { buildDeviceInfo(dataWithoutSecret, w); }).first);

  DeviceInfo shortAttr = basicInfoFields();
  const ByteVector sevenBytes(7, 0);
  shortAttr.devAttr = sevenBytes;
  EXPECT_FALSE(build([&](ByteWriter& w) { buildDeviceInfo(shortAttr, w); }).first);

  DeviceInfo longVersion = basicInfoFields();
  longVersion.softVer = "123456789";
  EXPECT_FALSE(build([&](ByteWriter& w) { buildDeviceInfo(longVersion, w); }).first);

  // A short version is zero-padded to its 8 bytes.
  DeviceInfo shortVersion = basicInfoFields();
  shortVersion.hardVer = "HW1";
  const auto [ok, payload] = build([&](ByteWriter& w) { buildDeviceInfo(shortVersion, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(ByteVector(payload.begin() + 16, payload.begin() + 24), hex("48 57 31 00 00 00 00 00"));
}

TEST(DeviceInfoPayload, Proto1_8_DataValueLookup) {
  const std::string_view data = "cfgMode=1&apName0=John&apPwd=&flag&tz=8&tz=9";
  EXPECT_EQ(deviceInfoDataValue(data, "cfgMode"), "1");
  EXPECT_EQ(deviceInfoDataValue(data, "apName0"), "John");
  EXPECT_EQ(deviceInfoDataValue(data, "apName"), std::nullopt);  // no prefix match
  EXPECT_EQ(deviceInfoDataValue(data, "apPwd"), "");
  EXPECT_EQ(deviceInfoDataValue(data, "flag"), "");
  EXPECT_EQ(deviceInfoDataValue(data, "tz"), "8");  // first match wins
  EXPECT_EQ(deviceInfoDataValue(data, "John"), std::nullopt);
  EXPECT_EQ(deviceInfoDataValue("", "cfgMode"), std::nullopt);
  EXPECT_EQ(deviceInfoDataValue("a=1=2", "a"), "1=2");
}

// ---- 0x0D WiFi status ----

TEST(WifiStatusWord, Proto1_9_ObservedExamples) {
  WifiStatus routerBindable;
  routerBindable.station = true;
  routerBindable.bindable = true;
  routerBindable.routerConnected = true;
  routerBindable.rssiLevel = 7;
  EXPECT_EQ(routerBindable.toWord(), 0x071A);
  EXPECT_EQ(WifiStatus::fromWord(0x071A), routerBindable);

  WifiStatus cloud = routerBindable;
  cloud.cloudConnected = true;
  EXPECT_EQ(cloud.toWord(), 0x073A);
  EXPECT_EQ(WifiStatus::fromWord(0x073A), cloud);

  WifiStatus app = cloud;
  app.appOnline = true;
  EXPECT_EQ(app.toWord(), 0x0F3A);
  EXPECT_EQ(WifiStatus::fromWord(0x0F3A), app);

  WifiStatus test = app;
  test.productionTest = true;
  EXPECT_EQ(test.toWord(), 0x1F3A);
  EXPECT_EQ(WifiStatus::fromWord(0x1F3A), test);

  WifiStatus onboarding = app;
  onboarding.onboarding = true;
  EXPECT_EQ(onboarding.toWord(), 0x0F3E);
  EXPECT_EQ(WifiStatus::fromWord(0x0F3E), onboarding);

  WifiStatus apOnboarding;
  apOnboarding.softAp = true;
  apOnboarding.station = true;
  apOnboarding.onboarding = true;
  apOnboarding.bindable = true;
  apOnboarding.cloudConnected = true;
  apOnboarding.rssiLevel = 7;
  EXPECT_EQ(apOnboarding.toWord(), 0x072F);
  EXPECT_EQ(WifiStatus::fromWord(0x072F), apOnboarding);

  WifiStatus apOnly = apOnboarding;
  apOnly.cloudConnected = false;
  EXPECT_EQ(apOnly.toWord(), 0x070F);
  EXPECT_EQ(WifiStatus::fromWord(0x070F), apOnly);
}

TEST(WifiStatusWord, Proto1_9_ReservedBitsZeroOnEncodeIgnoredOnDecode) {
  EXPECT_EQ(WifiStatus::fromWord(0x071A | 0xE0C0), WifiStatus::fromWord(0x071A));
  EXPECT_EQ(WifiStatus::fromWord(0xFFFF).toWord(), 0x1F3F);
  WifiStatus level;
  level.rssiLevel = 0xFF;  // out of range: only bits 8-10 are written
  EXPECT_EQ(level.toWord(), 0x0700);
  for (unsigned word = 0; word <= 0xFFFF; ++word) {
    ASSERT_EQ(WifiStatus::fromWord(static_cast<std::uint16_t>(word)).toWord(), word & 0x1F3F) << word;
  }
}

TEST(WifiStatusWord, AppendixA_StatusPushFrame) {
  const auto [ok, payload] = build([](ByteWriter& w) { buildWifiStatus(WifiStatus::fromWord(0x071A), w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(frame({McuCmd::WifiStatus, 1, 0}, payload), hex("FF FF 00 07 0D 01 00 00 07 1A 36"));
  const auto parsed = parseWifiStatus(hex("07 1A"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.toWord(), 0x071A);
  EXPECT_FALSE(parseWifiStatus(hex("07")).ok());
  EXPECT_FALSE(parseWifiStatus(hex("07 1A 00")).ok());
}

// ---- 0x09 config mode ----

TEST(ConfigModePayload, AppendixA_SoftApAndAirLink) {
  const auto [ok, payload] = build([](ByteWriter& w) { buildConfigMode(configMode(1), w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(frame({McuCmd::ConfigMode, 2, 0}, payload), hex("FF FF 00 06 09 02 00 00 01 12"));
  const auto softAp = parseConfigMode(hex("01"));
  ASSERT_TRUE(softAp.ok());
  EXPECT_EQ(softAp.value.method(), ConfigMethod::SoftAp);
  const auto airLink = parseConfigMode(hex("02"));
  ASSERT_TRUE(airLink.ok());
  EXPECT_EQ(airLink.value.method(), ConfigMethod::AirLink);
}

TEST(ConfigModePayload, Proto1_8_OtherValuesMeanAirLink) {
  const std::uint8_t modes[] = {0x00, 0x03, 0x05, 0x07, 0xFF};
  for (std::uint8_t mode : modes) {
    const auto parsed = parseConfigMode(ByteVector{mode});
    ASSERT_TRUE(parsed.ok()) << int{mode};
    EXPECT_EQ(parsed.value.mode, mode);  // kept raw for logs
    EXPECT_EQ(parsed.value.method(), ConfigMethod::AirLink) << int{mode};
  }
}

TEST(ConfigModePayload, Proto1_8_DirectConfig) {
  const ByteVector payload =
      concat({hex("04 07"), text("TestNet"), hex("09"), text("password1"), hex("0C"), text("1ccf7fb6bbff")});
  const auto parsed = parseConfigMode(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.method(), ConfigMethod::Direct);
  EXPECT_EQ(parsed.value.ssid, "TestNet");
  EXPECT_EQ(parsed.value.password, "password1");
  EXPECT_EQ(parsed.value.bssid, "1ccf7fb6bbff");

  const auto [ok, built] =
      build([](ByteWriter& w) { buildConfigMode(configMode(4, "TestNet", "password1", "1ccf7fb6bbff"), w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(built, payload);

  // Open network, no BSSID.
  const ByteVector openPayload = concat({hex("04 04"), text("Open"), hex("00 00")});
  const auto open = parseConfigMode(openPayload);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open.value.ssid, "Open");
  EXPECT_EQ(open.value.password, "");
  EXPECT_EQ(open.value.bssid, "");
}

TEST(ConfigModePayload, Proto1_8_MalformedForms) {
  EXPECT_FALSE(parseConfigMode({}).ok());
  EXPECT_FALSE(parseConfigMode(hex("01 00")).ok());  // left-over byte
  const ByteVector direct = concat({hex("04 04"), text("Open"), hex("02"), text("pw"), hex("01"), text("x")});
  ASSERT_TRUE(parseConfigMode(direct).ok());
  for (std::size_t size = 1; size < direct.size(); ++size) {
    EXPECT_FALSE(parseConfigMode(Bytes(direct).first(size)).ok()) << size;
  }
  EXPECT_FALSE(parseConfigMode(concat({direct, hex("00")})).ok());
  // A text over 255 bytes cannot be written.
  const std::string longSsid(256, 's');
  EXPECT_FALSE(build([&](ByteWriter& w) { buildConfigMode(configMode(4, longSsid), w); }).first);
}

// ---- 0x11 / 0x12 illegal notice ----

TEST(IllegalNoticePayload, AppendixA_ChecksumNotice) {
  const auto [ok, payload] = build([](ByteWriter& w) { buildIllegalNotice(IllegalCode::Checksum, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(frame({McuCmd::IllegalMessage, 0x77, 0}, payload), hex("FF FF 00 06 11 77 00 00 01 8F"));
}

TEST(IllegalNoticePayload, Proto1_10_Codes) {
  EXPECT_EQ(parseIllegalNotice(hex("01")).value, IllegalCode::Checksum);
  EXPECT_EQ(parseIllegalNotice(hex("02")).value, IllegalCode::Command);
  EXPECT_EQ(parseIllegalNotice(hex("03")).value, IllegalCode::Other);
  EXPECT_EQ(parseIllegalNotice(hex("04")).value, IllegalCode::FileType);
  const auto odd = parseIllegalNotice(hex("09"));
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(static_cast<int>(odd.value), 9);
  EXPECT_FALSE(parseIllegalNotice({}).ok());
  EXPECT_FALSE(parseIllegalNotice(hex("01 02")).ok());
}

// ---- 0x18 network time ----

TEST(NetworkTimePayload, AppendixA_TimeReply) {
  const NetworkTime expected{2023, 11, 15, 6, 13, 23, 0x6553F103};
  EXPECT_EQ(networkTimeFromEpoch(0x6553F103, 8 * 3600), expected);

  const ByteVector payload = hex("07 E7 0B 0F 06 0D 17 65 53 F1 03");
  const auto parsed = parseNetworkTime(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value, expected);

  const auto [ok, built] = build([&](ByteWriter& w) { buildNetworkTime(expected, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(built, payload);
  EXPECT_EQ(frame({McuCmd::NetworkTime, 0x41, 0}, built),
            hex("FF FF 00 10 18 41 00 00 07 E7 0B 0F 06 0D 17 65 53 F1 03 47"));

  EXPECT_FALSE(parseNetworkTime(Bytes(payload).first(10)).ok());
  EXPECT_FALSE(parseNetworkTime(concat({payload, hex("00")})).ok());
}

TEST(NetworkTimePayload, Proto1_8_BeforeFirstSyncIs1970At0800) {
  EXPECT_EQ(networkTimeFromEpoch(0, 8 * 3600), (NetworkTime{1970, 1, 1, 8, 0, 0, 0}));
}

TEST(NetworkTimePayload, CivilConversionEdges) {
  // West of UTC at epoch 0: the previous day.
  EXPECT_EQ(networkTimeFromEpoch(0, -5 * 3600), (NetworkTime{1969, 12, 31, 19, 0, 0, 0}));
  EXPECT_EQ(networkTimeFromEpoch(951'782'400, 0), (NetworkTime{2000, 2, 29, 0, 0, 0, 951'782'400}));
  EXPECT_EQ(networkTimeFromEpoch(1'709'251'199, 0), (NetworkTime{2024, 2, 29, 23, 59, 59, 1'709'251'199}));
  EXPECT_EQ(networkTimeFromEpoch(4'294'967'295u, 0), (NetworkTime{2106, 2, 7, 6, 28, 15, 4'294'967'295u}));
  // Crossing midnight and new year with a positive offset.
  EXPECT_EQ(networkTimeFromEpoch(1'704'067'199, 9 * 3600),
            (NetworkTime{2024, 1, 1, 8, 59, 59, 1'704'067'199}));
  EXPECT_EQ(networkTimeFromEpoch(1'704'067'200, -3600), (NetworkTime{2023, 12, 31, 23, 0, 0, 1'704'067'200}));
  EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(daysFromCivil(2000, 3, 1), 11'017);
  EXPECT_EQ(daysFromCivil(2100, 3, 1) - daysFromCivil(2100, 2, 28), 1);  // 2100 is not a leap year
  EXPECT_EQ(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28), 2);  // 2000 is
}

TEST(NetworkTimePayload, CivilFromDaysWalksTheCalendar) {
  // Day by day from 1600 to 2400 against an independent month-length table.
  const auto leap = [](std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  const auto monthDays = [&](std::int64_t y, unsigned m) -> unsigned {
    constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[m - 1];
  };
  CivilDate date{1600, 1, 1};
  const std::int64_t first = daysFromCivil(1600, 1, 1);
  EXPECT_EQ(first, -135'140);
  for (std::int64_t days = first; date.year < 2400; ++days) {
    ASSERT_EQ(civilFromDays(days), date) << days;
    ASSERT_EQ(daysFromCivil(date.year, date.month, date.day), days);
    if (++date.day > monthDays(date.year, date.month)) {
      date.day = 1;
      if (++date.month > 12) {
        date.month = 1;
        ++date.year;
      }
    }
  }
}

// ---- 0x21 / 0x22 module info ----

TEST(ModuleInfoPayload, Proto1_8_RequestIsOneTypeByte) {
  const auto [ok, payload] = build([](ByteWriter& w) { buildModuleInfoRequest(0, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(frame({McuCmd::GetModuleInfo, 3, 0}, payload), hex("FF FF 00 06 21 03 00 00 00 2A"));
  const auto parsed = parseModuleInfoRequest(hex("00"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value, 0);
  EXPECT_FALSE(parseModuleInfoRequest({}).ok());
  EXPECT_FALSE(parseModuleInfoRequest(hex("00 00")).ok());
}

TEST(ModuleInfoPayload, Proto1_8_WifiLayout) {
  ModuleInfo info;
  info.protocolVer = "00000004";
  info.hardVer = "ESP8266A";
  info.softVer = "04020006";
  info.mac = "AABBCCDDEEFF";
  info.ip = "192.168.1.23";
  info.devAttr = kAttr;
  const auto [ok, payload] = build([&](ByteWriter& w) { buildModuleInfo(info, w); });
  ASSERT_TRUE(ok);
  const ByteVector expected =
      concat({hex("01"), text("00000004"), text("ESP8266A"), text("04020006"), text("AABBCCDDEEFF"),
              hex("00 00 00 00"), text("192.168.1.23"), hex("00 00 00 00"), kAttr});
  EXPECT_EQ(payload, expected);
  EXPECT_EQ(payload.size(), kModuleInfoWifiSize);

  const auto parsed = parseModuleInfo(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.protocolVer, "00000004");
  EXPECT_EQ(parsed.value.hardVer, "ESP8266A");
  EXPECT_EQ(parsed.value.softVer, "04020006");
  EXPECT_EQ(parsed.value.mac, "AABBCCDDEEFF");
  EXPECT_EQ(parsed.value.ip, "192.168.1.23");
  EXPECT_EQ(bytesOf(parsed.value.devAttr), kAttr);

  // A full-width 16-byte IP has no padding to trim.
  ModuleInfo wide = info;
  wide.ip = "255.255.255.255";
  wide.devAttr = {};  // empty attr is written as 8 zeros
  const auto [wideOk, widePayload] = build([&](ByteWriter& w) { buildModuleInfo(wide, w); });
  ASSERT_TRUE(wideOk);
  EXPECT_EQ(ByteVector(widePayload.end() - 8, widePayload.end()), ByteVector(8, 0));
  EXPECT_EQ(parseModuleInfo(widePayload).value.ip, "255.255.255.255");
}

// What the Linux port of GAgent v4.2.6 sends for 0x21: type 02, the versions and attrs, and every cellular
// field zero (its GAgent_getGprsInfo fills nothing): 83 bytes, no MAC anywhere.
ByteVector referenceGprsPayload() {
  return concat({hex("02"), text("00000004"), text("04020006"), text("04020006"), kAttr, ByteVector(16, 0),
                 ByteVector(16, 0), ByteVector(8, 0), ByteVector(8, 0), hex("00 00")});
}

TEST(ModuleInfoPayload, Proto1_8_GprsLayoutAsTheLinuxReferenceSendsIt) {
  const ByteVector payload = referenceGprsPayload();
  ASSERT_EQ(payload.size(), kModuleInfoGprsFixedSize);
  const auto parsed = parseGprsModuleInfo(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.protocolVer, "00000004");
  EXPECT_EQ(parsed.value.softVer, "04020006");
  EXPECT_EQ(bytesOf(parsed.value.devAttr), kAttr);
  EXPECT_EQ(parsed.value.imei, "");
  EXPECT_EQ(parsed.value.cellCount(), 0u);
  EXPECT_FALSE(parseModuleInfo(payload).ok());  // not the WiFi layout

  const auto any = parseAnyModuleInfo(payload);
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any.value.type, kModuleTypeGprs);
  EXPECT_TRUE(any.value.gprs.has_value());
  EXPECT_FALSE(any.value.wifi.has_value());
}

TEST(ModuleInfoPayload, Proto1_8_GprsLayoutWithCellsRoundTrips) {
  const ByteVector cells = hex("12 34 56 78 40  00 01 00 02 1F");  // LAC, cell id, RSSI x 2
  GprsModuleInfo info;
  info.protocolVer = "00000004";
  info.hardVer = "SIM800C0";
  info.softVer = "04020006";
  info.imei = "867530012345678";
  info.imsi = "460001234567890";
  info.mcc = "460";
  info.mnc = "00";
  info.cellInfoLen = 5;
  info.cells = cells;
  const auto [ok, payload] = build([&](ByteWriter& w) { buildGprsModuleInfo(info, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload.size(), kModuleInfoGprsFixedSize + cells.size());
  EXPECT_EQ(payload[kModuleInfoGprsFixedSize - 2], 2);  // CellNum
  EXPECT_EQ(payload[kModuleInfoGprsFixedSize - 1], 5);  // CellInfoLen as given

  const auto parsed = parseGprsModuleInfo(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.imei, "867530012345678");
  EXPECT_EQ(parsed.value.mcc, "460");
  ASSERT_EQ(parsed.value.cellCount(), 2u);
  EXPECT_EQ(parsed.value.cell(0).lac, 0x1234);
  EXPECT_EQ(parsed.value.cell(0).cellId, 0x5678);
  EXPECT_EQ(parsed.value.cell(0).rssi, 0x40);
  EXPECT_EQ(parsed.value.cell(1).cellId, 2);

  // CellNum promises cells that are missing, or bytes follow the last cell: malformed.
  EXPECT_FALSE(parseGprsModuleInfo(Bytes(payload).first(payload.size() - 1)).ok());
  EXPECT_FALSE(parseGprsModuleInfo(concat({payload, hex("00")})).ok());
  EXPECT_FALSE(parseGprsModuleInfo(Bytes(payload).first(kModuleInfoGprsFixedSize - 1)).ok());
  info.cells = hex("01 02 03");  // not a whole cell
  EXPECT_FALSE(build([&](ByteWriter& w) { buildGprsModuleInfo(info, w); }).first);
}

TEST(ModuleInfoPayload, Proto1_8_AnyLayoutRefusesUnknownTypesAndBrokenLayouts) {
  ModuleInfo wifi;
  wifi.mac = "AABBCCDDEEFF";
  const auto [ok, payload] = build([&](ByteWriter& w) { buildModuleInfo(wifi, w); });
  ASSERT_TRUE(ok);
  const auto any = parseAnyModuleInfo(payload);
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any.value.type, kModuleTypeWifi);
  ASSERT_TRUE(any.value.wifi.has_value());
  EXPECT_EQ(any.value.wifi->mac, "AABBCCDDEEFF");
  ByteVector other = payload;
  other[0] = 0x03;
  EXPECT_FALSE(parseAnyModuleInfo(other).ok());
  EXPECT_FALSE(parseAnyModuleInfo({}).ok());
  EXPECT_FALSE(parseAnyModuleInfo(Bytes(payload).first(10)).ok());
}

TEST(ModuleInfoPayload, Proto1_8_OtherLayoutsAndSizesAreMalformed) {
  ModuleInfo info;
  info.mac = "AABBCCDDEEFF";
  const auto [ok, payload] = build([&](ByteWriter& w) { buildModuleInfo(info, w); });
  ASSERT_TRUE(ok);
  ASSERT_TRUE(parseModuleInfo(payload).ok());
  ByteVector gprs = payload;
  gprs[0] = kModuleTypeGprs;
  EXPECT_FALSE(parseModuleInfo(gprs).ok());
  EXPECT_FALSE(parseModuleInfo(Bytes(payload).first(64)).ok());
  EXPECT_FALSE(parseModuleInfo(concat({payload, hex("00")})).ok());
  info.mac = "AABBCCDDEEFF00112";  // 17 characters
  EXPECT_FALSE(build([&](ByteWriter& w) { buildModuleInfo(info, w); }).first);
}

// ---- 0x19 / 0x1B / 0x1D big data ----

TEST(BigDataPayload, Proto1_13_TransferRequest) {
  const std::string_view md5 = "d41d8cd98f00b204e9800998ecf8427e";
  const auto [ok, payload] = build([&](ByteWriter& w) { buildBigDataRequest({0x00012345, md5}, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload, concat({hex("00 01 23 45 00 20"), text(md5)}));
  const auto parsed = parseBigDataRequest(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.fileSize, 0x00012345u);
  EXPECT_EQ(parsed.value.md5, md5);
  EXPECT_FALSE(parseBigDataRequest(Bytes(payload).first(payload.size() - 1)).ok());
  EXPECT_FALSE(parseBigDataRequest(concat({payload, hex("00")})).ok());
  EXPECT_FALSE(parseBigDataRequest(hex("00 01 23")).ok());
}

TEST(BigDataPayload, Proto1_13_ReadyPieceSizeZeroMeans256) {
  const std::string_view md5 = "d41d8cd98f00b204e9800998ecf8427e";
  const auto [ok, payload] = build([&](ByteWriter& w) { buildBigDataReady({md5, 128}, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload, concat({hex("00 20"), text(md5), hex("00 80")}));
  const auto parsed = parseBigDataReady(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.md5, md5);
  EXPECT_EQ(parsed.value.pieceSize, 128);
  EXPECT_EQ(parsed.value.effectivePieceSize(), 128);

  const auto zero = parseBigDataReady(concat({hex("00 20"), text(md5), hex("00 00")}));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero.value.pieceSize, 0);
  EXPECT_EQ(zero.value.effectivePieceSize(), 256);
  EXPECT_FALSE(parseBigDataReady(Bytes(payload).first(payload.size() - 1)).ok());
  EXPECT_FALSE(parseBigDataReady(concat({payload, hex("00")})).ok());
}

TEST(BigDataPayload, Proto1_13_PieceHeader) {
  const ByteVector data = hex("DE AD BE EF FF");
  const auto [ok, payload] = build([&](ByteWriter& w) { buildBigDataPiece({1, 3, data}, w); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(payload, hex("00 01 00 03 DE AD BE EF FF"));
  const auto parsed = parseBigDataPiece(payload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value.index, 1);
  EXPECT_EQ(parsed.value.count, 3);
  EXPECT_EQ(bytesOf(parsed.value.data), data);

  const auto headerOnly = parseBigDataPiece(hex("00 02 00 00"));
  ASSERT_TRUE(headerOnly.ok());
  EXPECT_EQ(headerOnly.value.index, 2);
  EXPECT_EQ(headerOnly.value.count, 0);  // HEX mode quirk of v4.2.6
  EXPECT_TRUE(headerOnly.value.data.empty());
  EXPECT_FALSE(parseBigDataPiece(hex("00 02 00")).ok());
}
