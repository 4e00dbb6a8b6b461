#include "gagent/proto/bytes.h"

#include <gtest/gtest.h>

#include <array>

using namespace gagent::proto;

TEST(ByteWriter, WritesBigEndianAndStopsAtTheEndOfTheBuffer) {
  std::array<std::uint8_t, 7> buffer{};
  ByteWriter w(buffer);
  w.u16(0x1234);
  w.u32(0xA1B2C3D4);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w.size(), 6u);
  EXPECT_EQ(buffer[0], 0x12);
  EXPECT_EQ(buffer[5], 0xD4);
  w.u16(0xFFFF);  // one byte of room left: refused whole
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.size(), 6u);
}

TEST(ByteReader, ReadsBigEndianAndFlagsOverrun) {
  const std::array<std::uint8_t, 5> data{0x00, 0x03, 'a', 'b', 'c'};
  ByteReader r(data);
  EXPECT_EQ(asText(r.lengthPrefixed16()), "abc");
  EXPECT_TRUE(r.atEnd());
  EXPECT_EQ(r.u8(), 0);
  EXPECT_FALSE(r.ok());
}
