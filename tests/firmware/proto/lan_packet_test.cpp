#include "gagent/proto/lan_packet.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

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

// Payload bytes 0, 1, 2, ... (mod 251, so no run of them looks like a magic).
ByteVector counting(std::size_t size) {
  ByteVector out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i % 251 + 1);
  return out;
}

ByteVector encode(std::uint16_t cmd, const ByteVector& payload, std::uint8_t flag = 0) {
  ByteVector out(kLanMaxPacketSize);
  const std::size_t size = encodeLanPacket(cmd, payload, out, flag);
  out.resize(size);
  return out;
}

// A decoded event with its payload copied out of the decoder.
struct Event {
  ParseStatus status = ParseStatus::NeedMore;
  LanPacketError error = LanPacketError::None;
  std::uint8_t flag = 0;
  std::uint16_t cmd = 0;
  ByteVector payload;
  friend bool operator==(const Event&, const Event&) = default;
};

Event packetEvent(std::uint16_t cmd, const ByteVector& payload, std::uint8_t flag = 0) {
  return {ParseStatus::Ok, LanPacketError::None, flag, cmd, payload};
}
Event errorEvent(LanPacketError error) {
  return {ParseStatus::Malformed, error, 0, 0, {}};
}

// Feeds every chunk (as the firmware would: as much as fits, then drain) and collects the events.
std::vector<Event> decodeChunks(LanStreamDecoder& decoder, const std::vector<ByteVector>& chunks) {
  std::vector<Event> events;
  for (const ByteVector& chunk : chunks) {
    Bytes data(chunk);
    do {
      const std::size_t taken = decoder.feed(data);
      EXPECT_LE(taken, data.size());
      data = data.subspan(taken);
      for (LanDecode d = decoder.next(); d.status != ParseStatus::NeedMore; d = decoder.next()) {
        Event event{d.status, d.error, 0, 0, {}};
        if (d.ok()) event = packetEvent(d.packet.cmd, toVector(d.packet.payload), d.packet.flag);
        events.push_back(event);
      }
    } while (!data.empty());
  }
  return events;
}

std::vector<Event> decodeStream(const ByteVector& stream) {
  LanStreamDecoder decoder;
  return decodeChunks(decoder, {stream});
}

// The observed v4.2.6 session of §2.3, app side and module side.
const ByteVector kAppToModule = concat({
    hex("00 00 00 03 03 00 00 06"),
    hex("00 00 00 03 0F 00 00 08 00 0A 44 41 54 50 42 50 49 46 4F 47"),
    hex("00 00 00 03 04 00 00 90 02"),
    hex("00 00 00 03 0A 00 00 93 12 34 56 78 01 01 FF"),
});
const std::vector<Event> kAppToModuleEvents = {
    packetEvent(0x0006, {}),
    packetEvent(0x0008, hex("00 0A 44 41 54 50 42 50 49 46 4F 47")),
    packetEvent(0x0090, hex("02")),
    packetEvent(0x0093, hex("12 34 56 78 01 01 FF")),
};

const ByteVector kGoodPing = hex("00 00 00 03 03 00 00 15");

}  // namespace

// ---- constants
// -----------------------------------------------------------------------------------------------

TEST(LanPacket, Proto2_1_Ports) {
  EXPECT_EQ(kLanUdpConfigPort, 12414);
  EXPECT_EQ(kLanAnnouncePort, 2415);
  EXPECT_EQ(kLanTcpPort, 12416);
}

TEST(LanPacket, Proto2_2_SizesFollowFromMaxPayload) {
  EXPECT_EQ(kLanMagic, (std::array<std::uint8_t, 4>{0x00, 0x00, 0x00, 0x03}));
  EXPECT_EQ(kLanMaxPayload, 1100u);
  EXPECT_EQ(kLanMaxLen, 1103u);
  EXPECT_EQ(kLanMinPacketSize, 8u);
  EXPECT_EQ(kLanMaxPacketSize, 1109u);
  EXPECT_EQ(kLanMaxWireSize, 1109u);  // issue 16: LEN only in its shortest form
  EXPECT_EQ(LanStreamDecoder::kCapacity, kLanMaxWireSize);
  EXPECT_EQ(lanPacketSize(0), 8u);
  EXPECT_EQ(lanPacketSize(124), 132u);
  EXPECT_EQ(lanPacketSize(125), 134u);
  EXPECT_EQ(lanPacketSize(kLanMaxPayload), kLanMaxPacketSize);
  EXPECT_EQ(lanPacketSize(kLanMaxPayload + 1), 0u);
}

// ---- encoder
// -------------------------------------------------------------------------------------------------

TEST(LanPacket, Proto2_2_MinimumFrameIsEightBytes) {
  EXPECT_EQ(encode(0x0015, {}), hex("00 00 00 03 03 00 00 15"));
}

TEST(LanPacket, Proto2_2_CmdIsBigEndianAndFlagIsCarried) {
  EXPECT_EQ(encode(0x0091, hex("04 01 7F FF 10"), 0x01), hex("00 00 00 03 08 01 00 91 04 01 7F FF 10"));
  EXPECT_EQ(encode(0xABCD, {}), hex("00 00 00 03 03 00 AB CD"));
}

TEST(LanPacket, Proto2_2_LenVarint127IsOneByte) {
  const ByteVector payload = counting(124);
  const ByteVector wire = encode(0x0091, payload);
  ASSERT_EQ(wire.size(), 4u + 1u + 127u);
  EXPECT_EQ(ByteVector(wire.begin(), wire.begin() + 8), hex("00 00 00 03 7F 00 00 91"));
  EXPECT_EQ(ByteVector(wire.begin() + 8, wire.end()), payload);
  const LanDecode datagram = parseLanDatagram(wire);
  ASSERT_TRUE(datagram.ok());
  EXPECT_EQ(datagram.packet.cmd, 0x0091);
  EXPECT_EQ(toVector(datagram.packet.payload), payload);
  EXPECT_EQ(decodeStream(wire), (std::vector<Event>{packetEvent(0x0091, payload)}));
}

TEST(LanPacket, Proto2_2_LenVarint128IsTwoBytesLowGroupFirst) {
  const ByteVector payload = counting(125);
  const ByteVector wire = encode(0x0091, payload);
  ASSERT_EQ(wire.size(), 4u + 2u + 128u);
  EXPECT_EQ(ByteVector(wire.begin(), wire.begin() + 9), hex("00 00 00 03 80 01 00 00 91"));
  EXPECT_EQ(ByteVector(wire.begin() + 9, wire.end()), payload);
  const LanDecode datagram = parseLanDatagram(wire);
  ASSERT_TRUE(datagram.ok());
  EXPECT_EQ(toVector(datagram.packet.payload), payload);
  EXPECT_EQ(decodeStream(wire), (std::vector<Event>{packetEvent(0x0091, payload)}));
}

TEST(LanPacket, Proto2_2_Payloads127And128) {
  // LEN = 3 + payload: 130 -> 82 01, 131 -> 83 01.
  for (std::size_t size : {127u, 128u}) {
    const ByteVector payload = counting(size);
    const ByteVector wire = encode(0x0090, payload);
    ASSERT_EQ(wire.size(), 4u + 2u + 3u + size);
    EXPECT_EQ(wire[4], static_cast<std::uint8_t>(0x80 | (size + 3 - 128)));
    EXPECT_EQ(wire[5], 0x01);
    const LanDecode datagram = parseLanDatagram(wire);
    ASSERT_TRUE(datagram.ok());
    EXPECT_EQ(toVector(datagram.packet.payload), payload);
    EXPECT_EQ(decodeStream(wire), (std::vector<Event>{packetEvent(0x0090, payload)}));
  }
}

TEST(LanPacket, Proto2_2_MaxPayloadEncodesAndOneMoreIsRefused) {
  const ByteVector payload = counting(kLanMaxPayload);
  const ByteVector wire = encode(0x0090, payload);
  ASSERT_EQ(wire.size(), kLanMaxPacketSize);
  EXPECT_EQ(ByteVector(wire.begin(), wire.begin() + 9), hex("00 00 00 03 CF 08 00 00 90"));  // 1103
  EXPECT_TRUE(parseLanDatagram(wire).ok());
  EXPECT_EQ(decodeStream(wire), (std::vector<Event>{packetEvent(0x0090, payload)}));

  ByteVector out(kLanMaxPacketSize + 16, 0xEE);
  EXPECT_EQ(encodeLanPacket(0x0090, counting(kLanMaxPayload + 1), out), 0u);
}

TEST(LanPacket, Proto2_2_EncoderRefusesASmallBuffer) {
  std::array<std::uint8_t, 8> exact{};
  EXPECT_EQ(encodeLanPacket(0x0016, {}, exact), 8u);
  EXPECT_EQ(toVector(exact), hex("00 00 00 03 03 00 00 16"));
  std::array<std::uint8_t, 7> small{};
  EXPECT_EQ(encodeLanPacket(0x0016, {}, small), 0u);
  std::array<std::uint8_t, 9> oneShort{};
  EXPECT_EQ(encodeLanPacket(0x0090, hex("02 03"), oneShort), 0u);
}

TEST(LanPacket, Proto2_2_BuildingInPlaceGivesTheSameBytes) {
  for (std::size_t size : {0u, 1u, 124u, 125u, 126u, 127u, 128u, 1000u, 1100u}) {
    const ByteVector payload = counting(size);
    ByteVector out(lanPacketSize(size), 0xEE);  // exactly the packet size
    const std::size_t written = encodeLanPacketWith(
        0x0094, [&](ByteWriter& w) { w.bytes(payload); }, out, 0x01);
    EXPECT_EQ(written, out.size()) << size;
    EXPECT_EQ(out, encode(0x0094, payload, 0x01)) << size;
  }
}

TEST(LanPacket, Proto2_2_BuildingInPlaceFailsWhenThePayloadDoesNotFit) {
  ByteVector big(kLanMaxPacketSize + 100);
  // Over kLanMaxPayload, even with room in the buffer.
  EXPECT_EQ(encodeLanPacketWith(
                0x0090, [&](ByteWriter& w) { w.bytes(counting(1101)); }, big),
            0u);
  // 125 bytes fit a 133-byte buffer with a one-byte LEN, but need two: 134 bytes.
  ByteVector small(133);
  EXPECT_EQ(encodeLanPacketWith(
                0x0090, [&](ByteWriter& w) { w.bytes(counting(125)); }, small),
            0u);
  // A builder that refuses its value.
  EXPECT_EQ(encodeLanPacketWith(
                0x0090, [](ByteWriter& w) { w.fail(); }, big),
            0u);
  std::array<std::uint8_t, 7> tiny{};
  EXPECT_EQ(encodeLanPacketWith(
                0x0015, [](ByteWriter&) {}, tiny),
            0u);
}

// ---- UDP datagrams
// ---------------------------------------------------------------------------------------------

TEST(LanDatagram, Proto2_2_ExactDatagramParses) {
  const ByteVector wire =
      hex("00 00 00 03 17 00 00 01 00 07 54 65 73 74 4E 65 74 00 09 70 61 73 73 77 6F 72 64 31");
  const LanDecode result = parseLanDatagram(wire);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.error, LanPacketError::None);
  EXPECT_EQ(result.packet.flag, 0x00);
  EXPECT_EQ(result.packet.cmd, 0x0001);
  EXPECT_EQ(toVector(result.packet.payload), ByteVector(wire.begin() + 8, wire.end()));
  EXPECT_EQ(result.packet.payload.data(), wire.data() + 8);  // a view into the datagram
}

TEST(LanDatagram, Proto2_2_FlagIsReportedNotJudged) {
  const LanDecode result = parseLanDatagram(hex("00 00 00 03 03 5A 00 03"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.packet.flag, 0x5A);
  EXPECT_EQ(result.packet.cmd, 0x0003);
  EXPECT_TRUE(result.packet.payload.empty());
}

TEST(LanDatagram, Proto2_2_OneByteTooManyIsRejected) {
  const LanDecode result = parseLanDatagram(hex("00 00 00 03 03 00 00 03 00"));
  EXPECT_EQ(result.status, ParseStatus::Malformed);
  EXPECT_EQ(result.error, LanPacketError::TrailingBytes);
}

TEST(LanDatagram, Proto2_2_OneByteTooFewIsRejected) {
  const LanDecode result = parseLanDatagram(hex("00 00 00 03 04 00 00 90"));
  EXPECT_EQ(result.status, ParseStatus::Malformed);
  EXPECT_EQ(result.error, LanPacketError::Truncated);
}

TEST(LanDatagram, Proto2_2_ShortHeadersAreTruncated) {
  for (const ByteVector& datagram : {ByteVector{}, hex("00"), hex("00 00 00"), hex("00 00 00 03"),
                                     hex("00 00 00 03 80"), hex("00 00 00 03 03 00")}) {
    const LanDecode result = parseLanDatagram(datagram);
    EXPECT_EQ(result.status, ParseStatus::Malformed) << datagram.size();
    EXPECT_EQ(result.error, LanPacketError::Truncated) << datagram.size();
  }
}

TEST(LanDatagram, Proto2_2_MalformedHeaders) {
  struct Case {
    ByteVector datagram;
    LanPacketError error;
  };
  const Case cases[] = {
      {hex("00 00 00 04 03 00 00 03"), LanPacketError::BadMagic},
      {hex("01"), LanPacketError::BadMagic},
      {hex("00 00 00 03 80 80 80 80 01 00 00 03"), LanPacketError::BadVarint},
      {hex("00 00 00 03 83 80 00 00 00 06"), LanPacketError::LongVarint},  // issue 16: LEN 3 in three bytes
      {hex("00 00 00 03 02 00 00"), LanPacketError::BadLength},
      {hex("00 00 00 03 00"), LanPacketError::BadLength},
      {concat({hex("00 00 00 03 D0 08 00 00 90"), counting(1101)}), LanPacketError::Oversize},  // LEN 1104
  };
  for (const Case& c : cases) {
    const LanDecode result = parseLanDatagram(c.datagram);
    EXPECT_EQ(result.status, ParseStatus::Malformed) << lanPacketErrorName(c.error);
    EXPECT_EQ(result.error, c.error) << lanPacketErrorName(c.error);
  }
}

TEST(LanDatagram, Issue16_NonMinimalLenIsRefused) {
  // LEN 3 written in two varint bytes: v4.2.6 and this module write the shortest form only, so a longer
  // one is a forgery (one value, one encoding: nothing downstream can be fooled by a second spelling).
  const LanDecode result = parseLanDatagram(hex("00 00 00 03 83 00 00 00 15"));
  EXPECT_EQ(result.status, ParseStatus::Malformed);
  EXPECT_EQ(result.error, LanPacketError::LongVarint);
}

// ---- TCP stream
// ------------------------------------------------------------------------------------------------

TEST(LanStream, Proto2_3_ObservedSessionInOneSegment) {
  EXPECT_EQ(decodeStream(kAppToModule), kAppToModuleEvents);
}

TEST(LanStream, Proto2_2_SplitAtEveryByteBoundary) {
  for (std::size_t split = 0; split <= kAppToModule.size(); ++split) {
    LanStreamDecoder decoder;
    const ByteVector first(kAppToModule.begin(), kAppToModule.begin() + static_cast<std::ptrdiff_t>(split));
    const ByteVector second(kAppToModule.begin() + static_cast<std::ptrdiff_t>(split), kAppToModule.end());
    EXPECT_EQ(decodeChunks(decoder, {first, second}), kAppToModuleEvents) << split;
  }
}

TEST(LanStream, Proto2_2_OneByteAtATime) {
  std::vector<ByteVector> bytes;
  for (std::uint8_t b : kAppToModule) bytes.push_back({b});
  LanStreamDecoder decoder;
  EXPECT_EQ(decodeChunks(decoder, bytes), kAppToModuleEvents);
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(LanStream, Proto2_2_CoalescedLargeAndSmallPackets) {
  const ByteVector big = counting(kLanMaxPayload);
  const ByteVector stream = concat(
      {encode(0x0091, big), kGoodPing, encode(0x0091, counting(125)), kGoodPing, encode(0x0091, big, 0x01)});
  EXPECT_EQ(decodeStream(stream),
            (std::vector<Event>{packetEvent(0x0091, big), packetEvent(0x0015, {}),
                                packetEvent(0x0091, counting(125)), packetEvent(0x0015, {}),
                                packetEvent(0x0091, big, 0x01)}));
}

TEST(LanStream, Proto2_2_FeedTakesOnlyWhatFits) {
  LanStreamDecoder decoder;
  const ByteVector stream = concat({encode(0x0091, counting(kLanMaxPayload)), kGoodPing});
  EXPECT_EQ(decoder.feed(stream), kLanMaxWireSize);  // the buffer's capacity: the largest packet
  EXPECT_EQ(decoder.feed(kGoodPing), 0u);            // full
  const LanDecode first = decoder.next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.packet.payload.size(), kLanMaxPayload);
  EXPECT_EQ(decoder.next().status, ParseStatus::NeedMore);
  EXPECT_EQ(decoder.feed(Bytes(stream).subspan(kLanMaxWireSize)), 8u);
  const LanDecode second = decoder.next();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.packet.cmd, 0x0015);
}

TEST(LanStream, Issue16_LenPaddedToFourVarintBytesIsRefused) {
  // LEN 1103 padded to 4 varint bytes used to be accepted (the decoder's capacity was 1111 for it).
  const ByteVector stream = concat({hex("00 00 00 03 CF 88 80 00 00 00 90"), counting(kLanMaxPayload)});
  EXPECT_EQ(decodeStream(stream).front(), errorEvent(LanPacketError::LongVarint));
}

TEST(LanStream, Proto2_2_EachMalformationThenTheNextGoodPacket) {
  struct Case {
    ByteVector bad;
    LanPacketError error;
  };
  const Case cases[] = {
      {hex("00 00 00 04 03 00 00 15"), LanPacketError::BadMagic},
      {hex("47 45 54 20 2F"), LanPacketError::BadMagic},  // "GET /"
      {hex("00 00 00 03 80 80 80 80 01"), LanPacketError::BadVarint},
      {hex("00 00 00 03 83 80 00"), LanPacketError::LongVarint},  // issue 16: judged before its body
      {hex("00 00 00 03 02 00 00"), LanPacketError::BadLength},
      {hex("00 00 00 03 00"), LanPacketError::BadLength},
      {hex("00 00 00 03 D0 08 00 00 90 01 02 03"), LanPacketError::Oversize},  // LEN 1104
      {hex("00 00 00 03 FF FF FF 7F"), LanPacketError::Oversize},
  };
  for (const Case& c : cases) {
    const ByteVector stream = concat({c.bad, kGoodPing});
    EXPECT_EQ(decodeStream(stream), (std::vector<Event>{errorEvent(c.error), packetEvent(0x0015, {})}))
        << lanPacketErrorName(c.error);
    // The same split at every byte boundary.
    for (std::size_t split = 0; split <= stream.size(); ++split) {
      LanStreamDecoder decoder;
      const auto at = stream.begin() + static_cast<std::ptrdiff_t>(split);
      EXPECT_EQ(decodeChunks(decoder, {ByteVector(stream.begin(), at), ByteVector(at, stream.end())}),
                (std::vector<Event>{errorEvent(c.error), packetEvent(0x0015, {})}))
          << lanPacketErrorName(c.error) << " split " << split;
    }
  }
}

TEST(LanStream, Proto2_2_ErrorIsReportedWithoutWaitingForFourBytes) {
  LanStreamDecoder decoder;
  EXPECT_EQ(decoder.feed(hex("00 41")), 2u);
  const LanDecode result = decoder.next();
  EXPECT_EQ(result.status, ParseStatus::Malformed);
  EXPECT_EQ(result.error, LanPacketError::BadMagic);
  EXPECT_EQ(decoder.next().status, ParseStatus::NeedMore);
}

TEST(LanStream, Proto2_2_AJunkRunGivesOneErrorAcrossSegments) {
  LanStreamDecoder decoder;
  const std::vector<Event> events =
      decodeChunks(decoder, {hex("41 42 43"), hex("44 45 00"), hex("00 00"), hex("00 03 03 00 00 16")});
  EXPECT_EQ(events, (std::vector<Event>{errorEvent(LanPacketError::BadMagic), packetEvent(0x0016, {})}));
}

TEST(LanStream, Proto2_2_JunkDoesNotFillTheBuffer) {
  LanStreamDecoder decoder;
  const ByteVector junk(5000, 0x55);
  const std::vector<Event> events = decodeChunks(decoder, {junk, kGoodPing});
  EXPECT_EQ(events, (std::vector<Event>{errorEvent(LanPacketError::BadMagic), packetEvent(0x0015, {})}));
}

TEST(LanStream, Proto2_2_ResyncSkipsTheBadPacketsOwnMagic) {
  // LEN 2 is refused; the hunt starts one byte further, so the next packet is the following magic.
  const ByteVector stream = concat({hex("00 00 00 03 02 00 00"), hex("00 00 00 03 04 00 00 90 02")});
  EXPECT_EQ(decodeStream(stream),
            (std::vector<Event>{errorEvent(LanPacketError::BadLength), packetEvent(0x0090, hex("02"))}));
}

TEST(LanStream, Proto2_2_ResetDropsAPartialPacket) {
  LanStreamDecoder decoder;
  EXPECT_EQ(decoder.feed(hex("00 00 00 03 0F 00 00 08 00 0A 44")), 11u);
  EXPECT_EQ(decoder.next().status, ParseStatus::NeedMore);
  decoder.reset();
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_EQ(decodeChunks(decoder, {kGoodPing}), (std::vector<Event>{packetEvent(0x0015, {})}));
}

TEST(LanStream, Proto2_2_ViewsStayValidUntilTheNextFeed) {
  LanStreamDecoder decoder;
  const ByteVector stream =
      concat({encode(0x0091, hex("04 01 7F FF 10")), encode(0x0094, hex("12 34 56 78"))});
  ASSERT_EQ(decoder.feed(stream), stream.size());
  const LanDecode first = decoder.next();
  const LanDecode second = decoder.next();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(toVector(first.packet.payload), hex("04 01 7F FF 10"));
  EXPECT_EQ(toVector(second.packet.payload), hex("12 34 56 78"));
}

TEST(LanPacket, ErrorNamesAreDistinct) {
  EXPECT_EQ(lanPacketErrorName(LanPacketError::BadMagic), "bad magic (not 00 00 00 03)");
  EXPECT_EQ(lanPacketErrorName(LanPacketError::TrailingBytes), "datagram longer than LEN");
  EXPECT_NE(lanPacketErrorName(LanPacketError::BadLength), lanPacketErrorName(LanPacketError::Oversize));
}
