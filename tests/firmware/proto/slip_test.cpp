// SLIP framing of the ESP ROM serial loader (Espressif "Serial Protocol": 0xC0 delimits, 0xC0 -> DB DC,
// 0xDB -> DB DD).
#include "gagent/proto/slip.h"

#include <gtest/gtest.h>

#include "test_bytes.h"

namespace gagent::test {
namespace {

using proto::SlipDecoder;

ByteVector encode(const ByteVector& payload) {
  ByteVector out(proto::slipEncodedSize(payload));
  out.resize(proto::slipEncode(payload, out));
  return out;
}

std::vector<ByteVector> decodeAll(const ByteVector& wire, std::size_t capacity = 64) {
  ByteVector storage(capacity);
  SlipDecoder decoder(storage);
  std::vector<ByteVector> frames;
  for (const std::uint8_t b : wire) {
    if (decoder.feed(b) == SlipDecoder::Event::Frame)
      frames.emplace_back(decoder.frame().begin(), decoder.frame().end());
  }
  return frames;
}

TEST(Slip, PlainBytesAreFramedByC0) {
  EXPECT_EQ(encode(hex("01 02 03")), hex("C0 01 02 03 C0"));
}

TEST(Slip, C0AndDbAreEscaped) {
  EXPECT_EQ(encode(hex("C0 DB 00")), hex("C0 DB DC DB DD 00 C0"));
  EXPECT_EQ(proto::slipEncodedSize(hex("C0 DB 00")), 7u);
}

TEST(Slip, EncodeRefusesATooSmallBuffer) {
  ByteVector out(4);
  EXPECT_EQ(proto::slipEncode(hex("C0 01"), out), 0u);
}

TEST(Slip, DecodeUndoesTheEscapes) {
  const auto frames = decodeAll(hex("C0 DB DC DB DD 41 C0"));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], hex("C0 DB 41"));
}

TEST(Slip, BackToBackFramesAndEmptyFramesBetweenThem) {
  const auto frames = decodeAll(hex("C0 01 C0 C0 02 03 C0 C0 C0"));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], hex("01"));
  EXPECT_EQ(frames[1], hex("02 03"));
}

TEST(Slip, BytesOutsideFramesAreCountedAndSkipped) {
  ByteVector storage(16);
  SlipDecoder decoder(storage);
  for (const std::uint8_t b : ByteVector{'b', 'o', 'o', 't', 0xC0, 0x07, 0xC0}) decoder.feed(b);
  EXPECT_EQ(decoder.strayBytes(), 4u);
  EXPECT_EQ(ByteVector(decoder.frame().begin(), decoder.frame().end()), hex("07"));
}

TEST(Slip, ABadEscapeDropsTheFrameAndTheNextOneStillDecodes) {
  ByteVector storage(16);
  SlipDecoder decoder(storage);
  std::vector<SlipDecoder::Event> events;
  for (const std::uint8_t b : hex("C0 01 DB 05 02 C0 C0 09 C0")) events.push_back(decoder.feed(b));
  EXPECT_EQ(events[3], SlipDecoder::Event::BadEscape);
  EXPECT_EQ(events.back(), SlipDecoder::Event::Frame);
  EXPECT_EQ(ByteVector(decoder.frame().begin(), decoder.frame().end()), hex("09"));
}

TEST(Slip, AnOverlongFrameIsDroppedWholeNotTruncated) {
  ByteVector wire = hex("C0");
  for (int i = 0; i < 10; ++i) wire.push_back(0x11);
  wire.push_back(0xC0);
  const ByteVector next = hex("C0 22 C0");
  wire.insert(wire.end(), next.begin(), next.end());
  const auto frames = decodeAll(wire, 8);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], hex("22"));
}

}  // namespace
}  // namespace gagent::test
