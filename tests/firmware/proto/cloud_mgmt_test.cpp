#include "gagent/proto/cloud_mgmt.h"

#include <gtest/gtest.h>

#include <array>
#include <initializer_list>
#include <vector>

using namespace gagent::proto;

namespace {
using Buffer = std::vector<std::uint8_t>;

Buffer bytes(std::initializer_list<int> values) {
  Buffer out;
  for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

template <typename Encode>
Buffer encoded(Encode encode) {
  std::array<std::uint8_t, 64> buffer{};
  const std::size_t size = encode(MutableBytes(buffer));
  return Buffer(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
}
}  // namespace

TEST(CloudMgmt, Proto3_7_ObservedAppCountPacket) {
  const Buffer observed = bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00, 0x02});
  const auto packet = decodeMgmt(observed);
  ASSERT_TRUE(packet.ok());
  EXPECT_EQ(packet.value.cmd, static_cast<std::uint16_t>(MgmtCmd::AppCount));
  EXPECT_EQ(Buffer(packet.value.payload.begin(), packet.value.payload.end()), bytes({0x00, 0x02}));
  const auto count = parseMgmtAppCount(packet.value);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count.value, 2);
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMgmtAppCount(out, 2); }), observed);
  EXPECT_EQ(encoded([](MutableBytes out) { return encodeMgmtAppCount(out, 0xABCD); }),
            bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0xAB, 0xCD}));
}

TEST(CloudMgmt, Proto3_7_AppCountRequestHasAnEmptyPayload) {
  const Buffer wire = encoded([](MutableBytes out) { return encodeMgmtAppCountRequest(out); });
  EXPECT_EQ(wire, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x0F}));
  const auto packet = decodeMgmt(wire);
  ASSERT_TRUE(packet.ok());
  EXPECT_EQ(packet.value.cmd, 0x020F);
  EXPECT_TRUE(packet.value.payload.empty());
  // Does not fit: 0.
  std::array<std::uint8_t, 5> small{};
  EXPECT_EQ(encodeMgmtAppCountRequest(small), 0u);
}

TEST(CloudMgmt, Proto3_7_OtaPushCarriesTheFirmwareType) {
  const Buffer wifi = encoded([](MutableBytes out) { return encodeMgmtOtaPush(out, OtaFirmwareType::Wifi); });
  EXPECT_EQ(wifi, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x01}));
  const Buffer mcu = encoded([](MutableBytes out) { return encodeMgmtOtaPush(out, OtaFirmwareType::Mcu); });
  EXPECT_EQ(mcu, bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x02}));
  EXPECT_EQ(parseMgmtOtaPush(decodeMgmt(wifi).value).value, OtaFirmwareType::Wifi);
  EXPECT_EQ(parseMgmtOtaPush(decodeMgmt(mcu).value).value, OtaFirmwareType::Mcu);
  const Buffer unknown = bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x03});
  EXPECT_EQ(parseMgmtOtaPush(decodeMgmt(unknown).value).error, MgmtError::BadFirmwareType);
}

TEST(CloudMgmt, Proto3_7_OtherCommandsDecodeWithTheirPayload) {
  const Buffer v4push = bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x0E, 0x55, 0x66});
  const auto packet = decodeMgmt(v4push);
  ASSERT_TRUE(packet.ok());
  EXPECT_EQ(packet.value.cmd, static_cast<std::uint16_t>(MgmtCmd::OtaPushV4));
  EXPECT_EQ(Buffer(packet.value.payload.begin(), packet.value.payload.end()), bytes({0x55, 0x66}));
  EXPECT_EQ(parseMgmtAppCount(packet.value).error, MgmtError::WrongCommand);
  EXPECT_EQ(parseMgmtOtaPush(packet.value).error, MgmtError::WrongCommand);
  const Buffer payload = bytes({0x01, 0x02, 0x03});
  EXPECT_EQ(encoded([&](MutableBytes out) { return encodeMgmt(out, 0x0217, payload); }),
            bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x17, 0x01, 0x02, 0x03}));
}

TEST(CloudMgmt, Proto3_7_MalformedPacketsAreRejected) {
  EXPECT_EQ(decodeMgmt(bytes({0x00, 0x00, 0x00, 0x03, 0x02})).error, MgmtError::TooShort);
  EXPECT_EQ(decodeMgmt(Buffer{}).error, MgmtError::TooShort);
  EXPECT_EQ(decodeMgmt(bytes({0x00, 0x00, 0x00, 0x04, 0x02, 0x10, 0x00, 0x02})).error, MgmtError::BadVersion);
  // A LAN "Hi" frame (§2.2: LEN and FLAG after the version) is not management framing: cmd reads 0x0300.
  const auto hi = decodeMgmt(bytes({0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x15}));
  ASSERT_TRUE(hi.ok());
  EXPECT_EQ(hi.value.cmd, 0x0300);
  // Field missing.
  EXPECT_EQ(parseMgmtAppCount(decodeMgmt(bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00})).value).error,
            MgmtError::TooShort);
  EXPECT_EQ(parseMgmtOtaPush(decodeMgmt(bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x11})).value).error,
            MgmtError::TooShort);
  EXPECT_EQ(mgmtErrorName(MgmtError::BadVersion), "version word is not 00 00 00 03");
}

TEST(CloudMgmt, Proto3_7_BytesAfterTheFieldAreIgnoredLikeV426) {
  const Buffer wire = bytes({0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00, 0x05, 0xEE});
  const auto packet = decodeMgmt(wire);
  ASSERT_TRUE(packet.ok());
  const auto count = parseMgmtAppCount(packet.value);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count.value, 5);
}
