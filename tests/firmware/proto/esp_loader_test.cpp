// The ESP ROM serial loader's packets, with the byte vectors of Espressif's "Serial Protocol" page (its
// --trace examples) and esptool's payload layouts for every command this project sends or answers.
#include "gagent/proto/esp_loader.h"

#include <gtest/gtest.h>

#include "gagent/proto/slip.h"
#include "test_bytes.h"

namespace gagent::test {
namespace {

namespace esp = proto::esp;
using esp::Command;

ByteVector request(Command command, const ByteVector& data, std::uint32_t checksum = 0) {
  ByteVector out(esp::kHeaderSize + data.size());
  out.resize(esp::encodeRequest(static_cast<std::uint8_t>(command), data, checksum, out));
  return out;
}

ByteVector framed(const ByteVector& packet) {
  ByteVector out(proto::slipEncodedSize(packet));
  out.resize(proto::slipEncode(packet, out));
  return out;
}

ByteVector words(std::initializer_list<std::uint32_t> values) {
  ByteVector out(values.size() * 4);
  proto::ByteWriter writer(out);
  for (auto v : values) esp::putWord(writer, v);
  return out;
}

TEST(EspLoader, ReadRegOfTheChipMagicMatchesTheTraceInTheProtocolDoc) {
  EXPECT_EQ(framed(request(Command::ReadReg, words({esp::kChipMagicRegister}))),
            hex("c0000a04000000000000100040c0"));
}

TEST(EspLoader, ReadRegAnswerCarriesTheValueAndTwoStatusBytes) {
  const ByteVector bytes = hex("010a0200090000000000");
  const auto response = esp::parseResponse(bytes);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->command, 0x0A);
  EXPECT_EQ(response->value, 9u);
  const auto status = esp::parseStatus(response->data, 2);
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->ok);
  EXPECT_TRUE(status->body.empty());
}

TEST(EspLoader, SyncRequestMatchesTheTraceInTheProtocolDoc) {
  const auto payload = esp::syncPayload();
  const ByteVector expected = hex(
      "c000082400000000 0007071220555555 5555555555555555 5555555555555555 5555555555555555 5555555555c0");
  EXPECT_EQ(framed(request(Command::Sync, ByteVector(payload.begin(), payload.end()))), expected);
  EXPECT_TRUE(esp::isSyncPayload(payload));
  EXPECT_FALSE(esp::isSyncPayload(hex("07 07 12 20")));
}

TEST(EspLoader, SyncAnswerOfAnEsp32RomHasFourStatusBytes) {
  const ByteVector bytes = hex("010804000707122000000000");
  const auto response = esp::parseResponse(bytes);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->value, 0x20120707u);
  const auto status = esp::parseStatus(response->data, 4);
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->ok);
}

TEST(EspLoader, ChecksumIsEfXorEveryDataByte) {
  EXPECT_EQ(esp::checksum({}), 0xEF);
  EXPECT_EQ(esp::checksum(hex("EF")), 0x00);
  EXPECT_EQ(esp::checksum(hex("01 02 04")), 0xEF ^ 0x07);
}

TEST(EspLoader, FlashDataCarriesSizeSequenceTwoZeroWordsThenDataAndTheChecksumInTheHeader) {
  const ByteVector data = hex("AA BB CC");
  ByteVector payload = words({3, 7, 0, 0});
  payload.insert(payload.end(), data.begin(), data.end());
  const ByteVector packet = request(Command::FlashData, payload, esp::checksum(data));
  EXPECT_EQ(ByteVector(packet.begin(), packet.begin() + 8), hex("00 03 13 00 32 00 00 00"));
  const auto parsed = esp::parseRequest(packet);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->checksum, 0x32u);  // EF ^ AA ^ BB ^ CC
  const auto block = esp::parseDataBlock(parsed->data);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->sequence, 7u);
  EXPECT_EQ(ByteVector(block->data.begin(), block->data.end()), data);
}

TEST(EspLoader, ADataBlockWhoseSizeFieldLiesIsRefused) {
  ByteVector payload = words({4, 0, 0, 0});
  payload.push_back(0x01);
  EXPECT_FALSE(esp::parseDataBlock(payload));
  EXPECT_FALSE(esp::parseDataBlock(hex("01 00")));
}

TEST(EspLoader, BeginCommandsAreFourWords) {
  EXPECT_EQ(request(Command::FlashBegin, words({0x3000, 3, 0x400, 0x2000})),
            hex("00 02 1000 00000000  00300000 03000000 00040000 00200000"));
  EXPECT_EQ(request(Command::FlashDeflBegin, words({0x5A25, 1, 0x4000, 0x2000})),
            hex("00 10 1000 00000000  255A0000 01000000 00400000 00200000"));
  EXPECT_EQ(request(Command::MemBegin, words({920, 1, 0x1800, 0x3FFFAE6C})),
            hex("00 05 1000 00000000  98030000 01000000 00180000 6CAEFF3F"));
}

TEST(EspLoader, EndCommandsAreOneFlagWordAndMemEndAddsTheEntry) {
  EXPECT_EQ(request(Command::FlashEnd, words({1})), hex("00 04 0400 00000000 01000000"));
  EXPECT_EQ(request(Command::FlashDeflEnd, words({0})), hex("00 12 0400 00000000 00000000"));
  EXPECT_EQ(request(Command::MemEnd, words({0, 0x4010C504})), hex("00 06 0800 00000000 00000000 04C51040"));
}

TEST(EspLoader, SpiAttachSetParamsBaudAndMd5Layouts) {
  EXPECT_EQ(request(Command::SpiAttach, words({0, 0})), hex("00 0D 0800 00000000 00000000 00000000"));
  EXPECT_EQ(request(Command::SpiSetParams, words({0, 0x400000, 0x10000, 0x1000, 0x100, 0xFFFF})),
            hex("00 0B 1800 00000000 00000000 00004000 00000100 00100000 00010000 FFFF0000"));
  EXPECT_EQ(request(Command::ChangeBaudrate, words({921600, 0})),
            hex("00 0F 0800 00000000 00100E00 00000000"));
  EXPECT_EQ(request(Command::SpiFlashMd5, words({0x2000, 100, 0, 0})),
            hex("00 13 1000 00000000 00200000 64000000 00000000 00000000"));
}

TEST(EspLoader, Md5AnswersRomHexTextOrStubRawBytes) {
  ByteVector rom = hex("01 13 2200 00000000");
  const std::string text = "d41d8cd98f00b204e9800998ecf8427e";
  rom.insert(rom.end(), text.begin(), text.end());
  rom.insert(rom.end(), {0, 0});
  const auto romAnswer = esp::parseResponse(rom);
  ASSERT_TRUE(romAnswer);
  const auto romStatus = esp::parseStatus(romAnswer->data, 2);
  ASSERT_TRUE(romStatus);
  EXPECT_EQ(proto::asText(romStatus->body), text);

  const ByteVector stubBytes = hex("01 13 1200 00000000 d41d8cd98f00b204e9800998ecf8427e 0000");
  const auto stub = esp::parseResponse(stubBytes);
  ASSERT_TRUE(stub);
  EXPECT_EQ(esp::parseStatus(stub->data, 2)->body.size(), 16u);
}

TEST(EspLoader, AFailureStatusNamesItsError) {
  const ByteVector bytes = hex("01 03 0200 00000000 01 07");
  const auto response = esp::parseResponse(bytes);
  ASSERT_TRUE(response);
  const auto status = esp::parseStatus(response->data, 2);
  ASSERT_TRUE(status);
  EXPECT_FALSE(status->ok);
  EXPECT_EQ(status->error, esp::kErrorChecksum);
}

TEST(EspLoader, PacketsWithTheWrongDirectionOrALyingSizeAreRefused) {
  EXPECT_FALSE(esp::parseResponse(hex("00 0a 0200 00000000 0000")));     // a request, not a response
  EXPECT_FALSE(esp::parseRequest(hex("01 0a 0400 00000000 00100040")));  // a response, not a request
  EXPECT_FALSE(esp::parseResponse(hex("01 0a 0300 00000000 0000")));     // size 3, 2 bytes follow
  EXPECT_FALSE(esp::parseResponse(hex("01 0a 02")));                     // shorter than a header
  EXPECT_FALSE(esp::parseStatus(hex("00"), 2));
}

TEST(EspLoader, EncodeRefusesDataOver65535BytesAndShortBuffers) {
  ByteVector big(70000);
  ByteVector out(big.size() + 8);
  EXPECT_EQ(esp::encodeRequest(0x03, big, 0, out), 0u);
  ByteVector tiny(4);
  EXPECT_EQ(esp::encodeResponse(0x0A, 0, {}, tiny), 0u);
}

TEST(EspLoader, CommandNamesForMessages) {
  EXPECT_EQ(esp::commandName(0x11), "FLASH_DEFL_DATA");
  EXPECT_EQ(esp::commandName(0xD3), "RUN_USER_CODE");
  EXPECT_EQ(esp::commandName(0x77), "unknown");
}

}  // namespace
}  // namespace gagent::test
