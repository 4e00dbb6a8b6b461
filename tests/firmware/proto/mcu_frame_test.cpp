#include "gagent/proto/mcu_frame.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "test_bytes.h"

using namespace gagent::proto;

namespace {

using gagent::test::ByteVector;
using gagent::test::concat;
using gagent::test::hex;
using gagent::test::text;

ByteVector encode(const McuHeader& header, const ByteVector& payload) {
  ByteVector out(kMcuMaxWireSize);
  const std::size_t size = encodeMcuFrame(header, payload, out);
  out.resize(size);
  return out;
}

// An event with its payload copied out of the decoder, plus the index of the byte that produced it.
struct Seen {
  McuEventKind kind = McuEventKind::None;
  McuHeader header;
  ByteVector payload;
  McuDecodeError error;
  std::size_t at = 0;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> decodeAll(McuFrameDecoder& decoder, const ByteVector& bytes) {
  std::vector<Seen> seen;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const McuDecodeEvent event = decoder.push(bytes[i]);
    if (event.kind == McuEventKind::None) continue;
    Seen s;
    s.kind = event.kind;
    s.at = i;
    if (event.isFrame()) {
      s.header = event.frame.header;
      s.payload.assign(event.frame.payload.begin(), event.frame.payload.end());
    } else {
      s.error = event.error;
    }
    seen.push_back(s);
  }
  return seen;
}

std::vector<Seen> decodeAll(const ByteVector& bytes) {
  McuFrameDecoder decoder;
  return decodeAll(decoder, bytes);
}

Seen frameAt(std::size_t at, McuHeader header, ByteVector payload) {
  Seen s;
  s.kind = McuEventKind::Frame;
  s.header = header;
  s.payload = std::move(payload);
  s.at = at;
  return s;
}

Seen errorAt(std::size_t at, McuDecodeError error) {
  Seen s;
  s.kind = McuEventKind::Error;
  s.error = error;
  s.at = at;
  return s;
}

struct Vector {
  std::string_view name;
  std::string_view wire;
  McuHeader header;
  std::string_view payload;
};

// Appendix A, plus the §1.11 pass-through examples of the docs.
const Vector kVectors[] = {
    {"info req", "FF FF 00 05 01 00 00 00 06", {McuCmd::GetDeviceInfo, 0x00, 0}, ""},
    {"heartbeat", "FF FF 00 05 07 05 00 00 11", {McuCmd::Heartbeat, 0x05, 0}, ""},
    {"heartbeat ack", "FF FF 00 05 08 05 00 00 12", {McuCmd::HeartbeatAck, 0x05, 0}, ""},
    {"status push", "FF FF 00 07 0D 01 00 00 07 1A 36", {McuCmd::WifiStatus, 0x01, 0}, "07 1A"},
    {"status ack", "FF FF 00 05 0E 01 00 00 14", {McuCmd::WifiStatusAck, 0x01, 0}, ""},
    {"SoftAP cfg", "FF FF 00 06 09 02 00 00 01 12", {McuCmd::ConfigMode, 0x02, 0}, "01"},
    {"AirLink cfg", "FF FF 00 06 09 01 00 00 02 12", {McuCmd::ConfigMode, 0x01, 0}, "02"},
    {"reset", "FF FF 00 05 0B 01 00 00 11", {McuCmd::ResetModule, 0x01, 0}, ""},
    {"prod-test", "FF FF 00 05 13 01 00 00 19", {McuCmd::ProductionTest, 0x01, 0}, ""},
    {"bind", "FF FF 00 05 15 01 00 00 1B", {McuCmd::BindWindow, 0x01, 0}, ""},
    {"restart module", "FF FF 00 05 29 01 00 00 2F", {McuCmd::RestartModule, 0x01, 0}, ""},
    {"read status", "FF FF 00 06 03 03 00 00 02 0E", {McuCmd::P0ToMcu, 0x03, 0}, "02"},
    {"control w/ FF escape",
     "FF FF 00 08 03 04 00 00 01 01 FF 55 10",
     {McuCmd::P0ToMcu, 0x04, 0},
     "01 01 FF"},
    {"report w/ FF escape",
     "FF FF 00 0A 05 43 00 00 04 01 7F FF 55 10 E5",
     {McuCmd::P0FromMcu, 0x43, 0},
     "04 01 7F FF 10"},
    {"illegal (cksum)", "FF FF 00 06 11 77 00 00 01 8F", {McuCmd::IllegalMessage, 0x77, 0}, "01"},
    {"time reply",
     "FF FF 00 10 18 41 00 00 07 E7 0B 0F 06 0D 17 65 53 F1 03 47",
     {McuCmd::NetworkTime, 0x41, 0},
     "07 E7 0B 0F 06 0D 17 65 53 F1 03"},
    {"1.11 pass-through report",
     "FF FF 00 0D 05 00 00 00 06 11 22 33 44 55 66 77 F4",
     {McuCmd::P0FromMcu, 0x00, 0},
     "06 11 22 33 44 55 66 77"},
    {"1.11 pass-through write",
     "FF FF 00 0D 03 16 00 00 05 11 22 33 44 55 66 77 07",
     {McuCmd::P0ToMcu, 0x16, 0},
     "05 11 22 33 44 55 66 77"},
};

const ByteVector kHeartbeat = hex("FF FF 00 05 07 05 00 00 11");
const McuHeader kHeartbeatHeader{McuCmd::Heartbeat, 0x05, 0};

}  // namespace

// ---- commands ----

TEST(McuCmd, Proto1_7_AckTypesAreTheEvenCodes02To2A) {
  const std::uint8_t acks[] = {0x02, 0x04, 0x06, 0x08, 0x0A, 0x0C, 0x0E, 0x10, 0x12, 0x14, 0x16,
                               0x18, 0x1A, 0x1C, 0x1E, 0x20, 0x22, 0x24, 0x26, 0x28, 0x2A};
  std::vector<std::uint8_t> found;
  for (unsigned code = 0; code < 256; ++code) {
    if (isAckType(static_cast<McuCmd>(code))) found.push_back(static_cast<std::uint8_t>(code));
  }
  EXPECT_EQ(found, std::vector<std::uint8_t>(std::begin(acks), std::end(acks)));
}

TEST(McuCmd, Proto1_4_AckIsCommandPlusOne) {
  EXPECT_EQ(ackFor(McuCmd::GetDeviceInfo), McuCmd::DeviceInfo);
  EXPECT_EQ(ackFor(McuCmd::WifiStatus), McuCmd::WifiStatusAck);
  EXPECT_EQ(ackFor(McuCmd::GetNetworkTime), McuCmd::NetworkTime);
  EXPECT_EQ(ackFor(McuCmd::RestartModule), McuCmd::RestartModuleAck);
  EXPECT_EQ(toByte(ackFor(McuCmd::BigDataReceiverAbort)), 0x28);
}

TEST(McuCmd, Proto1_7_KnownCommandsAre01To2A) {
  EXPECT_FALSE(isKnownCommand(static_cast<McuCmd>(0x00)));
  EXPECT_TRUE(isKnownCommand(static_cast<McuCmd>(0x01)));
  EXPECT_TRUE(isKnownCommand(static_cast<McuCmd>(0x2A)));
  EXPECT_FALSE(isKnownCommand(static_cast<McuCmd>(0x2B)));
  EXPECT_FALSE(isKnownCommand(static_cast<McuCmd>(0x60)));
}

TEST(McuCmd, CommandNamesCarryTheCode) {
  EXPECT_EQ(commandName(McuCmd::GetDeviceInfo), "0x01 get device info");
  EXPECT_EQ(commandName(McuCmd::WifiStatus), "0x0D WiFi status");
  EXPECT_EQ(commandName(McuCmd::RestartModuleAck), "0x2A restart module ack");
  EXPECT_EQ(commandName(static_cast<McuCmd>(0x00)), "0x00 unknown");
  EXPECT_EQ(commandName(static_cast<McuCmd>(0x60)), "0x60 unknown");
  EXPECT_EQ(commandName(static_cast<McuCmd>(0xFF)), "0xFF unknown");
  const char digits[] = "0123456789ABCDEF";
  for (unsigned code = 0; code < 256; ++code) {
    const std::string prefix = std::string("0x") + digits[code >> 4] + digits[code & 15] + " ";
    const std::string_view name = commandName(static_cast<McuCmd>(code));
    EXPECT_EQ(name.substr(0, 5), prefix) << code;
    EXPECT_EQ(name.ends_with(" unknown"), !isKnownCommand(static_cast<McuCmd>(code))) << code;
  }
}

// ---- encoder ----

TEST(McuFrameEncoder, AppendixA_VectorsByteExact) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(v.name);
    EXPECT_EQ(encode(v.header, hex(v.payload)), hex(v.wire));
    EXPECT_EQ(mcuWireSize(v.header, hex(v.payload)), hex(v.wire).size());
  }
}

TEST(McuFrameEncoder, Proto1_3_ChecksumFFIsStuffed) {
  // 05 + 07 + F3 = FF.
  EXPECT_EQ(encode({McuCmd::Heartbeat, 0xF3, 0}, {}), hex("FF FF 00 05 07 F3 00 00 FF 55"));
}

TEST(McuFrameEncoder, Proto1_3_SnFlagsAndLenFFAreStuffed) {
  // sn FF, flags FFFF; checksum 05+03+FF+FF+FF = 0x305 -> 05.
  EXPECT_EQ(encode({McuCmd::P0ToMcu, 0xFF, 0xFFFF}, {}), hex("FF FF 00 05 03 FF 55 FF 55 FF 55 05"));
  // 250 payload bytes -> len 0x00FF: the len byte is stuffed; checksum FF + 05 = 0x104 -> 04.
  const ByteVector wire = encode({McuCmd::P0FromMcu, 0, 0}, ByteVector(250, 0));
  ASSERT_EQ(wire.size(), 2u + 3u + 1u + 1u + 2u + 250u + 1u);
  EXPECT_EQ(ByteVector(wire.begin(), wire.begin() + 7), hex("FF FF 00 FF 55 05 00"));
  EXPECT_EQ(wire.back(), 0x04);
}

TEST(McuFrameEncoder, Proto1_2_RefusesOversizePayloadAndShortBuffer) {
  ByteVector out(kMcuMaxWireSize + 10);
  EXPECT_EQ(encodeMcuFrame({}, ByteVector(kMcuMaxPayload + 1, 0), out), 0u);
  EXPECT_EQ(mcuWireSize({}, ByteVector(kMcuMaxPayload + 1, 0)), 0u);

  const ByteVector wire = hex("FF FF 00 08 03 04 00 00 01 01 FF 55 10");
  ByteVector small(wire.size() - 1);
  EXPECT_EQ(encodeMcuFrame({McuCmd::P0ToMcu, 4, 0}, hex("01 01 FF"), small), 0u);
  ByteVector exact(wire.size());
  EXPECT_EQ(encodeMcuFrame({McuCmd::P0ToMcu, 4, 0}, hex("01 01 FF"), exact), wire.size());
  EXPECT_EQ(exact, wire);
}

TEST(McuFrameEncoder, Proto1_2_WorstCaseFitsMaxWireSize) {
  // Every byte FF: payload, sn, flags; the largest frame there is.
  const ByteVector payload(kMcuMaxPayload, 0xFF);
  const McuHeader header{static_cast<McuCmd>(0xFF), 0xFF, 0xFFFF};
  ByteVector out(kMcuMaxWireSize);
  const std::size_t size = encodeMcuFrame(header, payload, out);
  ASSERT_GT(size, 0u);
  EXPECT_LE(size, kMcuMaxWireSize);
  EXPECT_EQ(size, mcuWireSize(header, payload));
  // len 0x0405 is not stuffed, cmd/sn/flags (4) and payload (1024) are; checksum = 04+05+4*FF+1024*FF.
  EXPECT_EQ(size, 2u + 2u + 2u * (4u + 1024u) + 1u);
  out.resize(size);
  const auto seen = decodeAll(out);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], frameAt(size - 1, header, payload));
}

// ---- decoder: good frames ----

TEST(McuFrameDecoder, AppendixA_VectorsDecode) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(v.name);
    const ByteVector wire = hex(v.wire);
    const auto seen = decodeAll(wire);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], frameAt(wire.size() - 1, v.header, hex(v.payload)));
  }
}

TEST(McuFrameDecoder, Proto1_3_ControlWithFFEscape) {
  const auto seen = decodeAll(hex("FF FF 00 08 03 04 00 00 01 01 FF 55 10"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], frameAt(12, {McuCmd::P0ToMcu, 0x04, 0}, hex("01 01 FF")));
}

TEST(McuFrameDecoder, Proto1_3_ReportWithFFEscape) {
  const auto seen = decodeAll(hex("FF FF 00 0A 05 43 00 00 04 01 7F FF 55 10 E5"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], frameAt(14, {McuCmd::P0FromMcu, 0x43, 0}, hex("04 01 7F FF 10")));
}

TEST(McuFrameDecoder, Proto1_3_StuffedChecksumCompletesOnThe55) {
  const auto seen = decodeAll(hex("FF FF 00 05 07 F3 00 00 FF 55"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], frameAt(9, {McuCmd::Heartbeat, 0xF3, 0}, {}));
}

TEST(McuFrameDecoder, Proto1_3_StuffedLenSnAndFlags) {
  const auto seen = decodeAll(hex("FF FF 00 05 03 FF 55 FF 55 FF 55 05"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], frameAt(11, {McuCmd::P0ToMcu, 0xFF, 0xFFFF}, {}));
  const ByteVector big = encode({McuCmd::P0FromMcu, 0, 0}, ByteVector(250, 0));
  const auto bigSeen = decodeAll(big);
  ASSERT_EQ(bigSeen.size(), 1u);
  EXPECT_EQ(bigSeen[0], frameAt(big.size() - 1, {McuCmd::P0FromMcu, 0, 0}, ByteVector(250, 0)));
}

TEST(McuFrameDecoder, Proto1_3_BackToBackFramesAndEverySplit) {
  ByteVector stream;
  std::vector<Seen> expected;
  for (const Vector& v : kVectors) {
    const ByteVector wire = hex(v.wire);
    stream.insert(stream.end(), wire.begin(), wire.end());
    expected.push_back(frameAt(stream.size() - 1, v.header, hex(v.payload)));
  }
  EXPECT_EQ(decodeAll(stream), expected);

  // The same stream handed over in two chunks, split at every byte boundary, through feed().
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    McuFrameDecoder decoder;
    std::vector<Seen> seen;
    const auto record = [&](const McuDecodeEvent& event) {
      ASSERT_TRUE(event.isFrame());
      seen.push_back(
          frameAt(0, event.frame.header, ByteVector(event.frame.payload.begin(), event.frame.payload.end())));
    };
    decoder.feed(Bytes(stream).first(split), record);
    decoder.feed(Bytes(stream).subspan(split), record);
    ASSERT_EQ(seen.size(), expected.size()) << "split " << split;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      EXPECT_EQ(seen[i].header, expected[i].header) << "split " << split;
      EXPECT_EQ(seen[i].payload, expected[i].payload) << "split " << split;
    }
  }
}

TEST(McuFrameDecoder, Proto1_3_RandomRoundTripsRichInFF) {
  std::mt19937 rng(20240601);
  const auto byte = [&] {
    // Half of all bytes are FF (and some 55s), so stuffing is everywhere, including sn, flags and checksum.
    const unsigned pick = rng() % 8;
    if (pick < 4) return std::uint8_t{0xFF};
    if (pick == 4) return std::uint8_t{0x55};
    return static_cast<std::uint8_t>(rng());
  };
  ByteVector stream;
  std::vector<Seen> expected;
  std::size_t checksumFF = 0;
  for (int n = 0; n < 3000; ++n) {
    const McuHeader header{static_cast<McuCmd>(byte()), byte(),
                           static_cast<std::uint16_t>(byte() << 8 | byte())};
    const std::size_t size = rng() % 20 == 0 ? rng() % (kMcuMaxPayload + 1) : rng() % 40;
    ByteVector payload(size);
    for (auto& b : payload) b = byte();
    const ByteVector wire = encode(header, payload);
    ASSERT_EQ(wire.size(), mcuWireSize(header, payload));
    if (wire.size() >= 2 && wire[wire.size() - 2] == 0xFF && wire.back() == 0x55) ++checksumFF;

    const auto single = decodeAll(wire);
    ASSERT_EQ(single.size(), 1u);
    ASSERT_EQ(single[0], frameAt(wire.size() - 1, header, payload));

    stream.insert(stream.end(), wire.begin(), wire.end());
    expected.push_back(frameAt(stream.size() - 1, header, payload));
  }
  EXPECT_GT(checksumFF, 0u);  // the seed does produce stuffed checksums
  // All frames coalesced into one stream, fed in random chunk sizes.
  McuFrameDecoder decoder;
  std::vector<Seen> seen;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    const std::size_t chunk = std::min<std::size_t>(stream.size() - pos, 1 + rng() % 700);
    decoder.feed(Bytes(stream).subspan(pos, chunk), [&](const McuDecodeEvent& event) {
      ASSERT_TRUE(event.isFrame());
      seen.push_back(
          frameAt(0, event.frame.header, ByteVector(event.frame.payload.begin(), event.frame.payload.end())));
    });
    pos += chunk;
  }
  ASSERT_EQ(seen.size(), expected.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    ASSERT_EQ(seen[i].header, expected[i].header) << i;
    ASSERT_EQ(seen[i].payload, expected[i].payload) << i;
  }
}

TEST(McuFrameDecoder, Proto1_3_GarbageBetweenFrames) {
  // Noise without a header (a lone FF included) is skipped silently.
  const ByteVector quiet = concat({hex("00 12 FF 34 55 FF"), kHeartbeat, hex("99 FF 00"), kHeartbeat});
  EXPECT_EQ(decodeAll(quiet),
            (std::vector<Seen>{frameAt(14, kHeartbeatHeader, {}), frameAt(26, kHeartbeatHeader, {})}));

  // Random noise, FF FF pairs included: whatever it does, the next frame decodes on its last byte and no
  // frame is reported inside it.
  std::mt19937 rng(7);
  McuFrameDecoder decoder;
  for (int n = 0; n < 2000; ++n) {
    ByteVector garbage(rng() % 12);
    for (auto& b : garbage) b = static_cast<std::uint8_t>(rng() % 3 == 0 ? 0xFF : rng());
    (void)decodeAll(decoder, garbage);
    const McuHeader header{static_cast<McuCmd>(rng() % 0x2B), static_cast<std::uint8_t>(rng()), 0};
    ByteVector payload(rng() % 8);
    for (auto& b : payload) b = static_cast<std::uint8_t>(rng() % 2 ? 0xFF : rng());
    const ByteVector wire = encode(header, payload);
    const auto seen = decodeAll(decoder, wire);
    ASSERT_FALSE(seen.empty());
    for (std::size_t i = 0; i + 1 < seen.size(); ++i) ASSERT_EQ(seen[i].kind, McuEventKind::Error) << n;
    ASSERT_EQ(seen.back(), frameAt(wire.size() - 1, header, payload)) << n;
  }
}

TEST(McuFrameDecoder, Proto1_2_MaxPayloadAccepted) {
  ByteVector payload(kMcuMaxPayload);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i);
  const ByteVector wire = encode({McuCmd::BigDataPiece, 9, 0}, payload);
  EXPECT_EQ(ByteVector(wire.begin(), wire.begin() + 4), hex("FF FF 04 05"));  // len 1029
  const auto seen = decodeAll(wire);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], frameAt(wire.size() - 1, {McuCmd::BigDataPiece, 9, 0}, payload));
}

TEST(McuFrameDecoder, ResetDropsPartialFrameSilently) {
  McuFrameDecoder decoder;
  EXPECT_TRUE(decodeAll(decoder, hex("FF FF 00 06 09 02")).empty());
  decoder.reset();
  EXPECT_EQ(decodeAll(decoder, kHeartbeat), (std::vector<Seen>{frameAt(8, kHeartbeatHeader, {})}));
}

// ---- decoder: malformations, each followed by a good frame ----

TEST(McuFrameDecoder, Proto1_2_BadChecksumReportsCmdAndSn) {
  const auto seen = decodeAll(concat({hex("FF FF 00 05 07 05 00 00 12"), kHeartbeat}));
  const McuDecodeError error{McuFrameError::BadChecksum, 5, McuCmd::Heartbeat, 0x05};
  EXPECT_EQ(seen, (std::vector<Seen>{errorAt(8, error), frameAt(17, kHeartbeatHeader, {})}));
  EXPECT_EQ(illegalNoticeFor(error), IllegalCode::Checksum);
}

TEST(McuFrameDecoder, Proto1_10_BadChecksumOnAckGetsNoNotice) {
  const auto seen = decodeAll(concat({hex("FF FF 00 05 08 05 00 00 13"), kHeartbeat}));
  const McuDecodeError error{McuFrameError::BadChecksum, 5, McuCmd::HeartbeatAck, 0x05};
  EXPECT_EQ(seen, (std::vector<Seen>{errorAt(8, error), frameAt(17, kHeartbeatHeader, {})}));
  EXPECT_EQ(illegalNoticeFor(error), std::nullopt);
}

TEST(McuFrameDecoder, Proto1_3_LenZeroIsInvalid) {
  const auto seen = decodeAll(concat({hex("FF FF 00 00"), kHeartbeat}));
  const McuDecodeError error{McuFrameError::BadLength, 0, std::nullopt, std::nullopt};
  EXPECT_EQ(seen, (std::vector<Seen>{errorAt(3, error), frameAt(12, kHeartbeatHeader, {})}));
  EXPECT_EQ(illegalNoticeFor(error), std::nullopt);  // no sn to echo
}

TEST(McuFrameDecoder, Proto1_2_LenBelowFiveIsInvalid) {
  // The rest of the short frame is hunted over.
  const auto seen = decodeAll(concat({hex("FF FF 00 04 07 05 00 00"), kHeartbeat}));
  const McuDecodeError error{McuFrameError::BadLength, 4, std::nullopt, std::nullopt};
  EXPECT_EQ(seen, (std::vector<Seen>{errorAt(3, error), frameAt(16, kHeartbeatHeader, {})}));
}

TEST(McuFrameDecoder, Proto1_2_OversizeLenIsInvalid) {
  // kMcuMaxLen + 1 = 1030 = 0x0406, refused as soon as len is read.
  const auto seen = decodeAll(concat({hex("FF FF 04 06 05 01 00 00 AA BB"), kHeartbeat}));
  const McuDecodeError error{McuFrameError::BadLength, 0x0406, std::nullopt, std::nullopt};
  EXPECT_EQ(seen, (std::vector<Seen>{errorAt(3, error), frameAt(18, kHeartbeatHeader, {})}));
  // A stuffed FF in len (FF FF FF 55 ...) gives len >= 0xFF00: oversize too.
  const auto stuffed = decodeAll(concat({hex("FF FF FF 55 00"), kHeartbeat}));
  const McuDecodeError huge{McuFrameError::BadLength, 0xFF00, std::nullopt, std::nullopt};
  EXPECT_EQ(stuffed, (std::vector<Seen>{errorAt(4, huge), frameAt(13, kHeartbeatHeader, {})}));
}

TEST(McuFrameDecoder, Proto1_3_FFPlusOtherByteMidFrameDropsTheFrame) {
  const auto seen = decodeAll(concat({hex("FF FF 00 06 09 02 00 00 FF 12 12"), kHeartbeat}));
  const McuDecodeError error{McuFrameError::BadStuffing, 6, McuCmd::ConfigMode, 0x02};
  EXPECT_EQ(seen, (std::vector<Seen>{errorAt(9, error), frameAt(19, kHeartbeatHeader, {})}));
  EXPECT_EQ(illegalNoticeFor(error), IllegalCode::Other);

  // Inside len (after its first byte) nothing but the reason is known.
  const auto inLen = decodeAll(concat({hex("FF FF 00 FF 12"), kHeartbeat}));
  const McuDecodeError lenError{McuFrameError::BadStuffing, std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(inLen, (std::vector<Seen>{errorAt(4, lenError), frameAt(13, kHeartbeatHeader, {})}));
  EXPECT_EQ(illegalNoticeFor(lenError), std::nullopt);
}

TEST(McuFrameDecoder, Proto1_3_FFFFMidFrameStartsANewFrame) {
  // The good frame's header interrupts the partial one; the good frame itself is not lost.
  const auto seen = decodeAll(concat({hex("FF FF 00 06 09 02 00"), kHeartbeat}));
  const McuDecodeError error{McuFrameError::Interrupted, 6, McuCmd::ConfigMode, 0x02};
  EXPECT_EQ(seen, (std::vector<Seen>{errorAt(8, error), frameAt(15, kHeartbeatHeader, {})}));
  EXPECT_EQ(illegalNoticeFor(error), IllegalCode::Other);

  // Interrupted before its sn: no notice possible.
  const auto early = decodeAll(concat({hex("FF FF 00 06 09"), kHeartbeat}));
  const McuDecodeError earlyError{McuFrameError::Interrupted, 6, McuCmd::ConfigMode, std::nullopt};
  EXPECT_EQ(early, (std::vector<Seen>{errorAt(6, earlyError), frameAt(13, kHeartbeatHeader, {})}));
  EXPECT_EQ(illegalNoticeFor(earlyError), std::nullopt);
}

TEST(McuFrameDecoder, Proto1_3_ResyncOnFFFFFFxx) {
  // FF FF FF 00 ...: the last FF FF is the header, 00 the first len byte; no error.
  const ByteVector wire = concat({hex("FF"), kHeartbeat});
  EXPECT_EQ(decodeAll(wire), (std::vector<Seen>{frameAt(9, kHeartbeatHeader, {})}));
  // A run of FFs before a frame: pairs restart silently (nothing had been read).
  const ByteVector run = concat({hex("FF FF FF FF FF"), kHeartbeat});
  EXPECT_EQ(decodeAll(run), (std::vector<Seen>{frameAt(13, kHeartbeatHeader, {})}));
  // Mid-frame: FF FF interrupts, then FF FF FF 00 resynchronises on the last pair.
  const ByteVector mid = concat({hex("FF FF 00 06 09 FF"), kHeartbeat});
  const McuDecodeError error{McuFrameError::Interrupted, 6, McuCmd::ConfigMode, std::nullopt};
  EXPECT_EQ(decodeAll(mid), (std::vector<Seen>{errorAt(6, error), frameAt(14, kHeartbeatHeader, {})}));
}

TEST(McuFrameDecoder, Proto1_3_UnstuffedChecksumFFLosesOnlyThatFrame) {
  // A sender that forgets to stuff an FF checksum: the next header interrupts it and the next frame decodes.
  const ByteVector wire = concat({hex("FF FF 00 05 07 F3 00 00 FF"), kHeartbeat});
  const McuDecodeError error{McuFrameError::Interrupted, 5, McuCmd::Heartbeat, 0xF3};
  EXPECT_EQ(decodeAll(wire), (std::vector<Seen>{errorAt(9, error), frameAt(17, kHeartbeatHeader, {})}));
}

// ---- §9 / §1.10 notices ----

TEST(McuIllegalNotice, Proto9_NoticeRules) {
  const auto checksum = [](McuCmd cmd) {
    return illegalNoticeFor({McuFrameError::BadChecksum, 5, cmd, 0x33});
  };
  // MCU requests and unknown commands with a bad checksum -> 01 (§9: 01 is the checksum code).
  EXPECT_EQ(checksum(McuCmd::P0FromMcu), IllegalCode::Checksum);
  EXPECT_EQ(checksum(McuCmd::ConfigMode), IllegalCode::Checksum);
  EXPECT_EQ(checksum(McuCmd::BigDataReady), IllegalCode::Checksum);
  EXPECT_EQ(checksum(static_cast<McuCmd>(0x60)), IllegalCode::Checksum);
  // ACK types (§1.10: 02, 04, 08, 0E, 12, 1A, 1E, 20 ...) and notices themselves never get a notice.
  for (McuCmd ack : {McuCmd::DeviceInfo, McuCmd::P0ToMcuAck, McuCmd::HeartbeatAck, McuCmd::WifiStatusAck,
                     McuCmd::IllegalMessageAck, McuCmd::BigDataRequestAck, McuCmd::BigDataPieceAck,
                     McuCmd::BigDataSenderAbortAck, McuCmd::IllegalMessage}) {
    EXPECT_EQ(checksum(ack), std::nullopt) << commandName(ack);
  }
  // Other malformations: 03 when the sn is known, nothing otherwise.
  EXPECT_EQ(illegalNoticeFor({McuFrameError::BadStuffing, 9, McuCmd::P0FromMcu, 0x10}), IllegalCode::Other);
  EXPECT_EQ(illegalNoticeFor({McuFrameError::Interrupted, 9, McuCmd::P0FromMcu, 0x10}), IllegalCode::Other);
  EXPECT_EQ(illegalNoticeFor({McuFrameError::Interrupted, 9, McuCmd::P0FromMcuAck, 0x10}), std::nullopt);
  EXPECT_EQ(illegalNoticeFor({McuFrameError::Interrupted, 9, McuCmd::P0FromMcu, std::nullopt}), std::nullopt);
  EXPECT_EQ(illegalNoticeFor({McuFrameError::BadLength, 0, std::nullopt, std::nullopt}), std::nullopt);
}

TEST(McuIllegalNotice, Proto9_UnknownCommandGets02) {
  EXPECT_EQ(illegalNoticeForCommand(static_cast<McuCmd>(0x60)), IllegalCode::Command);
  EXPECT_EQ(illegalNoticeForCommand(static_cast<McuCmd>(0x00)), IllegalCode::Command);
  EXPECT_EQ(illegalNoticeForCommand(static_cast<McuCmd>(0x2B)), IllegalCode::Command);
  EXPECT_EQ(illegalNoticeForCommand(McuCmd::P0FromMcu), std::nullopt);
  EXPECT_EQ(illegalNoticeForCommand(McuCmd::IllegalMessageAck), std::nullopt);
}
