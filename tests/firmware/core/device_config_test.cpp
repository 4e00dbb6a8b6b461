#include "gagent/core/device_config.h"

#include <gtest/gtest.h>

#include <array>

using namespace gagent::core;

namespace {
DeviceConfig sample() {
  DeviceConfig c;
  c.ssid = "GIZWITS_TEST_1";
  c.password = "GIZWITS_TEST_PASS";
  c.did = "abcdefghijklmnopqrstuv";
  c.passcode = "PHHLXAKMEI";
  c.productKey = "6f3074fe43894547a4f1314bd7e3ae0b";
  c.fid = 7;
  c.firmwareVersion = "14112521";
  c.thirdPartyCloud = "jd";
  c.pendingConfigSuccess = ConfigSource::SoftAp;
  c.startInSoftAp = true;
  return c;
}
}  // namespace

TEST(DeviceConfig, S2_3_DefaultFirmwareVersionIsEightZeros) {
  EXPECT_EQ(DeviceConfig{}.firmwareVersion.view(), "00000000");
}

TEST(DeviceConfig, RoundTripsEveryField) {
  std::array<std::uint8_t, kDeviceConfigMaxBytes> buffer{};
  const DeviceConfig original = sample();
  const std::size_t n = encodeDeviceConfig(original, buffer);
  ASSERT_GT(n, 0u);
  DeviceConfig decoded;
  ASSERT_TRUE(decodeDeviceConfig(std::span(buffer).first(n), decoded));
  EXPECT_EQ(decoded, original);
}

TEST(DeviceConfig, RejectsUnknownLayoutTruncationAndTrailingBytes) {
  std::array<std::uint8_t, kDeviceConfigMaxBytes> buffer{};
  const std::size_t n = encodeDeviceConfig(sample(), buffer);
  DeviceConfig out;
  EXPECT_FALSE(decodeDeviceConfig(std::span(buffer).first(n - 1), out));
  EXPECT_FALSE(decodeDeviceConfig(std::span(buffer).first(n + 1), out));
  buffer[1] = 99;  // layout version
  EXPECT_FALSE(decodeDeviceConfig(std::span(buffer).first(n), out));
  EXPECT_EQ(out, DeviceConfig{});  // untouched on failure
}

TEST(DeviceConfig, S7_7_1_ResetKeepsFidAndClearsIdentityAndCredentials) {
  DeviceConfig c = sample();
  c.clearForReset();
  EXPECT_TRUE(c.did.empty());
  EXPECT_TRUE(c.passcode.empty());
  EXPECT_TRUE(c.ssid.empty());
  EXPECT_TRUE(c.password.empty());
  EXPECT_TRUE(c.thirdPartyCloud.empty());
  EXPECT_EQ(c.fid, 7u);
  EXPECT_EQ(c.productKey.view(), "6f3074fe43894547a4f1314bd7e3ae0b");
}

TEST(DeviceConfig, S7_8_1_ProductKeyChangeClearsFidAndFirmwareVersion) {
  DeviceConfig c = sample();
  c.clearForProductKeyChange();
  EXPECT_TRUE(c.did.empty());
  EXPECT_TRUE(c.passcode.empty());
  EXPECT_EQ(c.fid, 0u);
  EXPECT_EQ(c.firmwareVersion.view(), "00000000");
  EXPECT_TRUE(c.thirdPartyCloud.empty());
  EXPECT_EQ(c.ssid.view(), "GIZWITS_TEST_1");  // not in the S7.8.1 list
}
