#include "gagent/proto/varint.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace gagent::proto;

namespace {
std::vector<std::uint8_t> encode(std::uint32_t value) {
  std::array<std::uint8_t, 8> buffer{};
  ByteWriter w(buffer);
  encodeVarint(w, value);
  EXPECT_TRUE(w.ok());
  return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(w.size())};
}
}  // namespace

TEST(Varint, LanLenBoundariesEncodeLeastSignificantGroupFirst) {
  EXPECT_EQ(encode(127), (std::vector<std::uint8_t>{0x7F}));
  EXPECT_EQ(encode(128), (std::vector<std::uint8_t>{0x80, 0x01}));
  EXPECT_EQ(encode(16383), (std::vector<std::uint8_t>{0xFF, 0x7F}));
  EXPECT_EQ(encode(16384), (std::vector<std::uint8_t>{0x80, 0x80, 0x01}));
  EXPECT_EQ(encode(kVarintMaxValue), (std::vector<std::uint8_t>{0xFF, 0xFF, 0xFF, 0x7F}));
}

TEST(Varint, RoundTripsAndReportsItsSize) {
  for (std::uint32_t v : {0u, 1u, 127u, 128u, 300u, 16383u, 16384u, 2097151u, 2097152u, kVarintMaxValue}) {
    const auto bytes = encode(v);
    EXPECT_EQ(bytes.size(), varintSize(v));
    const auto d = decodeVarint(bytes);
    ASSERT_EQ(d.status, ParseStatus::Ok);
    EXPECT_EQ(d.value, v);
    EXPECT_EQ(d.consumed, bytes.size());
  }
}

TEST(Varint, TruncatedNeedsMoreAndFiveBytesAreMalformed) {
  const std::array<std::uint8_t, 2> partial{0x80, 0x80};
  EXPECT_EQ(decodeVarint(partial).status, ParseStatus::NeedMore);
  const std::array<std::uint8_t, 5> tooLong{0x80, 0x80, 0x80, 0x80, 0x01};
  EXPECT_EQ(decodeVarint(tooLong).status, ParseStatus::Malformed);
}

TEST(Varint, ValueAboveTheMaximumFailsTheWriter) {
  std::array<std::uint8_t, 8> buffer{};
  ByteWriter w(buffer);
  encodeVarint(w, kVarintMaxValue + 1);
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(varintSize(kVarintMaxValue + 1), 0u);
}

TEST(Varint, Issue16_LongerThanNeededEncodingsAreFlagged) {
  const std::array<std::uint8_t, 3> three{0x83, 0x80, 0x00};  // 3 in three bytes
  const VarintDecode longForm = decodeVarint(three);
  ASSERT_EQ(longForm.status, ParseStatus::Ok);
  EXPECT_EQ(longForm.value, 3u);
  EXPECT_FALSE(longForm.shortest);
  const std::array<std::uint8_t, 1> zero{0x00};
  EXPECT_TRUE(decodeVarint(zero).shortest);
  for (std::uint32_t v : {1u, 127u, 128u, 16384u, kVarintMaxValue})
    EXPECT_TRUE(decodeVarint(encode(v)).shortest) << v;
}
