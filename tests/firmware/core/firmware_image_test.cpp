#include "gagent/core/firmware_image.h"

#include <gtest/gtest.h>

#include <vector>

#include "gagent/core/crc32.h"
#include "gagent/sim/sim_flash.h"

using namespace gagent;
using namespace gagent::core;

namespace {

std::vector<std::uint8_t> payloadOf(std::size_t size) {
  std::vector<std::uint8_t> p(size);
  for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return p;
}

std::vector<std::uint8_t> image(std::string_view hw = "000LINUX", std::string_view sw = "04020007",
                                std::string_view fw = "24051210", std::size_t payloadSize = 300) {
  std::vector<std::uint8_t> out(kFirmwareImageHeaderSize + payloadSize);
  const auto payload = payloadOf(payloadSize);
  const std::size_t size = encodeFirmwareImage(out, hw, sw, fw, payload);
  out.resize(size);
  return out;
}

}  // namespace

TEST(FirmwareImage, EncodesTheDocumentedLayout) {
  const auto bytes = image("HW1", "04020007", "24051210", 3);
  ASSERT_EQ(bytes.size(), kFirmwareImageHeaderSize + 3);
  const std::vector<std::uint8_t> expectedHead = {'G', 'A', 'F', 'W', 1, 'H', 'W', '1', 0, 0, 0, 0, 0};
  EXPECT_EQ(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 13), expectedHead);
  EXPECT_EQ(std::string(bytes.begin() + 13, bytes.begin() + 21), "04020007");
  EXPECT_EQ(std::string(bytes.begin() + 21, bytes.begin() + 29), "24051210");
  EXPECT_EQ(std::vector<std::uint8_t>(bytes.begin() + 29, bytes.begin() + 33),
            (std::vector<std::uint8_t>{0, 0, 0, 3}));
  const std::uint32_t crc = crc32(payloadOf(3));
  EXPECT_EQ(bytes[33], crc >> 24);
  EXPECT_EQ(bytes[36], crc & 0xFF);
}

TEST(FirmwareImage, S2_RoundTripKeepsTheVersions) {
  const auto bytes = image();
  const FirmwareImageCheck check = validateFirmwareImage(bytes, "000LINUX");
  ASSERT_TRUE(check.ok()) << firmwareImageErrorName(check.error);
  EXPECT_EQ(check.header.hardwareVersion.view(), "000LINUX");
  EXPECT_EQ(check.header.softwareVersion.view(), "04020007");
  EXPECT_EQ(check.header.firmwareVersion.view(), "24051210");
  EXPECT_EQ(check.header.payloadLength, 300u);
}

TEST(FirmwareImage, S2_1_RejectsAnImageForAnotherHardwareVersion) {
  EXPECT_EQ(validateFirmwareImage(image("OTHERHW1"), "000LINUX").error, FirmwareImageError::WrongHardware);
  EXPECT_TRUE(validateFirmwareImage(image("OTHERHW1"), "").ok());  // no expectation: any hardware
}

TEST(FirmwareImage, RejectsCorruptImages) {
  auto bytes = image();
  bytes.back() ^= 0x01;
  EXPECT_EQ(validateFirmwareImage(bytes, "000LINUX").error, FirmwareImageError::BadCrc);

  bytes = image();
  bytes[0] = 'X';
  EXPECT_EQ(validateFirmwareImage(bytes, {}).error, FirmwareImageError::BadMagic);

  bytes = image();
  bytes[4] = 2;
  EXPECT_EQ(validateFirmwareImage(bytes, {}).error, FirmwareImageError::UnsupportedFormat);

  bytes = image();
  bytes.push_back(0);
  EXPECT_EQ(validateFirmwareImage(bytes, {}).error, FirmwareImageError::LengthMismatch);

  bytes = image();
  bytes.pop_back();
  EXPECT_EQ(validateFirmwareImage(bytes, {}).error, FirmwareImageError::TooShort);

  bytes = image();
  bytes[21] = 'x';  // firmware version must be YYMMDDHH digits (S2.3)
  EXPECT_EQ(validateFirmwareImage(bytes, {}).error, FirmwareImageError::BadVersion);

  bytes = image("HW1");
  bytes[10] = 'Z';  // text after the NUL padding
  EXPECT_EQ(validateFirmwareImage(bytes, {}).error, FirmwareImageError::BadVersion);

  EXPECT_EQ(validateFirmwareImage(std::vector<std::uint8_t>(10, 0xFF), {}).error,
            FirmwareImageError::TooShort);
}

TEST(FirmwareImage, EncodeRefusesBadVersionsAndSmallBuffers) {
  std::vector<std::uint8_t> out(100);
  const auto payload = payloadOf(10);
  EXPECT_EQ(encodeFirmwareImage(out, "HW-1", "04020007", "24051210", payload), 0u);
  EXPECT_EQ(encodeFirmwareImage(out, "HW1", "040200070", "24051210", payload), 0u);
  EXPECT_EQ(encodeFirmwareImage(out, "HW1", "04020007", "2405121", payload), 0u);
  EXPECT_EQ(encodeFirmwareImage(std::span(out).first(40), "HW1", "04020007", "24051210", payload), 0u);
}

TEST(FirmwareImage, S9_6_ReadInstalledImageFromTheOtaRegion) {
  sim::SimFlash flash(16, 4096);
  EXPECT_FALSE(readInstalledImage(flash));  // erased flash holds no image

  const auto bytes = image("000LINUX", "04020007", "24051210", 6000);  // spans two sectors
  const FlashRegion region = otaRegion(flash);
  ASSERT_EQ(region.offset, 2 * 4096u);
  ASSERT_TRUE(flash.eraseSector(region.offset));
  ASSERT_TRUE(flash.eraseSector(region.offset + 4096));
  ASSERT_TRUE(flash.write(region.offset, bytes));
  const auto installed = readInstalledImage(flash);
  ASSERT_TRUE(installed);
  EXPECT_EQ(installed->softwareVersion.view(), "04020007");
  EXPECT_EQ(installed->firmwareVersion.view(), "24051210");

  EXPECT_TRUE(checkFlashImage(flash, region, bytes.size(), "000LINUX").ok());
  EXPECT_EQ(checkFlashImage(flash, region, bytes.size() + 1, "000LINUX").error,
            FirmwareImageError::LengthMismatch);
  EXPECT_EQ(checkFlashImage(flash, region, bytes.size(), "OTHER").error, FirmwareImageError::WrongHardware);

  // A payload byte flipped in flash (NOR can clear bits without an erase).
  const std::uint8_t zero = 0;
  ASSERT_TRUE(flash.write(region.offset + 5000, std::span(&zero, 1)));
  EXPECT_FALSE(readInstalledImage(flash));
}

TEST(FirmwareImage, HeaderClaimingMoreThanTheRegionIsNotRead) {
  sim::SimFlash flash(4, 4096);
  auto bytes = image();
  bytes[29] = 0x7F;  // payload length 0x7F00012C
  const FlashRegion region = otaRegion(flash);
  ASSERT_TRUE(flash.eraseSector(region.offset));
  ASSERT_TRUE(flash.write(region.offset, bytes));
  EXPECT_EQ(checkFlashImage(flash, region, std::nullopt, {}).error, FirmwareImageError::TooLarge);
  EXPECT_FALSE(readInstalledImage(flash));
}
