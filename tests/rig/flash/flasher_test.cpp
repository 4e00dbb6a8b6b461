// The rig's flasher (rig/flash) against the virtual module's ROM loader, in-process and in test time: the
// paths each chip takes (ESP8266 ROM, ESP32 ROM, flasher stub) and every failure with its message.
#include "gizrig/flash/flasher.h"

#include <gtest/gtest.h>

#include "flasher_bench.h"

namespace gagent::test {
namespace {

using gizrig::flash::Flasher;
using gizrig::flash::FlashFailure;
using gizrig::flash::FlashPlan;
using posix::LoaderChip;
namespace esp = proto::esp;

FlashPlan planFor(const ByteVector& image, std::uint32_t address = 0x2000) {
  FlashPlan plan;
  plan.images.push_back({"app.img", address, image});
  return plan;
}

gizrig::flash::FlasherStub fakeStub() {
  // Any bytes: the emulation runs the protocol of the stub, not its code.
  gizrig::flash::FlasherStub stub;
  stub.entry = 0x4010C504;
  stub.segments.push_back({0x4010C000, ByteVector(0x2000, 0xA5)});
  stub.segments.push_back({0x3FFFAE6C, ByteVector(920, 0x5A)});
  return stub;
}

TEST(Flasher, Esp8266RomWritesPlainPaddedBlocksDetectsTheChipAndMacAndRunsTheFirmware) {
  FlasherBench bench(LoaderChip::Esp8266);
  const ByteVector image = sampleImage(10'000);
  FlashPlan plan = planFor(image);
  plan.baud = 921600;
  Flasher flasher(plan);
  const auto& report = bench.run(flasher);
  ASSERT_TRUE(report.ok()) << report.message;
  EXPECT_EQ(report.chip, gizrig::flash::Chip::Esp8266);
  EXPECT_EQ(gizrig::flash::macText(report.mac), "02:47:7f:00:00:2a");
  EXPECT_EQ(bench.flashBytes(0x2000, image.size()), image);
  EXPECT_EQ(bench.sent(esp::Command::FlashData), 10u);  // 1 KiB ROM blocks, the last one padded
  EXPECT_EQ(bench.sent(esp::Command::FlashDeflData), 0u);
  EXPECT_EQ(bench.sent(esp::Command::SpiFlashMd5), 0u);  // the ESP8266 ROM has none
  EXPECT_EQ(bench.sent(esp::Command::ChangeBaudrate), 0u);
  EXPECT_EQ(report.notes.size(), 2u);  // no baud change, no verify: both said
  EXPECT_FALSE(report.images[0].verified);
  EXPECT_EQ(bench.left, posix::RomLoader::Leave::RunUserCode);
  EXPECT_EQ(bench.lineChanges, 3u);  // the classic reset into the loader
}

TEST(Flasher, Esp32RomWritesCompressedAttachesTheFlashRaisesTheBaudAndVerifiesTheMd5) {
  FlasherBench bench(LoaderChip::Esp32);
  const ByteVector image = sampleImage(40'000);
  FlashPlan plan = planFor(image);
  plan.baud = 921600;
  Flasher flasher(plan);
  const auto& report = bench.run(flasher);
  ASSERT_TRUE(report.ok()) << report.message;
  EXPECT_EQ(report.chip, gizrig::flash::Chip::Esp32);
  EXPECT_EQ(gizrig::flash::macText(report.mac), "02:47:7f:00:00:2a");
  EXPECT_EQ(bench.flashBytes(0x2000, image.size()), image);
  EXPECT_GE(bench.sent(esp::Command::FlashDeflData), 1u);
  EXPECT_EQ(bench.sent(esp::Command::SpiAttach), 1u);
  EXPECT_EQ(bench.sent(esp::Command::SpiSetParams), 1u);
  EXPECT_EQ(bench.baudChanges, std::vector<std::uint32_t>{921600});
  EXPECT_TRUE(report.images[0].compressed);
  EXPECT_LT(report.images[0].wireBytes, image.size());
  EXPECT_TRUE(report.images[0].verified);
  EXPECT_EQ(bench.left, posix::RomLoader::Leave::RunUserCode);
}

TEST(Flasher, WithTheStubAnEsp8266GetsCompressedWritesMd5AndBaudAndLeavesByRunUserCode) {
  FlasherBench bench(LoaderChip::Esp8266);
  const ByteVector image = sampleImage(50'000);
  FlashPlan plan = planFor(image);
  plan.baud = 460800;
  plan.stub = fakeStub();
  Flasher flasher(plan);
  const auto& report = bench.run(flasher);
  ASSERT_TRUE(report.ok()) << report.message;
  EXPECT_TRUE(report.stubRunning);
  EXPECT_TRUE(bench.loader.stubRunning());
  EXPECT_EQ(bench.sent(esp::Command::MemData), 3u);  // 8 KiB in 6 KiB blocks, then 920 bytes
  EXPECT_EQ(bench.sent(esp::Command::FlashDeflEnd), 1u);
  EXPECT_EQ(bench.sent(esp::Command::RunUserCode), 1u);
  EXPECT_EQ(bench.baudChanges, std::vector<std::uint32_t>{460800});
  EXPECT_TRUE(report.images[0].verified);
  EXPECT_EQ(bench.flashBytes(0x2000, image.size()), image);
  EXPECT_EQ(bench.left, posix::RomLoader::Leave::RunUserCode);
}

TEST(Flasher, Issue14_IdentifyOnlyReadsTheChipAndMacWritesNothingAndStaysInTheLoader) {
  FlasherBench bench(LoaderChip::Esp32);
  FlashPlan plan;  // no image: the engineer panel's "Read chip / MAC"
  plan.identifyOnly = true;
  plan.runAfter = false;
  plan.baud = 921600;
  Flasher flasher(plan);
  const auto& report = bench.run(flasher);
  ASSERT_TRUE(report.ok()) << report.message;
  EXPECT_EQ(report.chip, gizrig::flash::Chip::Esp32);
  EXPECT_EQ(gizrig::flash::macText(report.mac), "02:47:7f:00:00:2a");
  EXPECT_TRUE(report.images.empty());
  EXPECT_EQ(bench.sent(esp::Command::FlashBegin), 0u);
  EXPECT_EQ(bench.sent(esp::Command::FlashDeflBegin), 0u);
  EXPECT_EQ(bench.sent(esp::Command::ChangeBaudrate), 0u);
  EXPECT_EQ(bench.left, posix::RomLoader::Leave::Stay);
  // Without identifyOnly an empty plan is still refused.
  FlasherBench other(LoaderChip::Esp32);
  Flasher nothing(FlashPlan{});
  EXPECT_EQ(other.run(nothing).failure, FlashFailure::Refused);
}

TEST(Flasher, SeveralImagesEachAtItsAddress) {
  FlasherBench bench(LoaderChip::Esp32);
  const ByteVector first = sampleImage(5'000, 1);
  const ByteVector second = sampleImage(7'000, 2);
  FlashPlan plan = planFor(first);
  plan.images.push_back({"data.bin", 0x40000, second});
  Flasher flasher(plan);
  const auto& report = bench.run(flasher);
  ASSERT_TRUE(report.ok()) << report.message;
  ASSERT_EQ(report.images.size(), 2u);
  EXPECT_EQ(bench.flashBytes(0x2000, first.size()), first);
  EXPECT_EQ(bench.flashBytes(0x40000, second.size()), second);
  EXPECT_TRUE(report.images[1].verified);
}

TEST(Flasher, NoSyncAsksWhetherGpio0IsLow) {
  FlasherBench bench(LoaderChip::Esp8266);
  bench.dropRequest = [](const ByteVector&) { return true; };  // nothing answers
  Flasher flasher(planFor(sampleImage(100)));
  const auto& report = bench.run(flasher);
  EXPECT_EQ(report.failure, FlashFailure::NoSync);
  EXPECT_NE(report.message.find("is GPIO0 low / is the module in its loader?"), std::string::npos)
      << report.message;
  EXPECT_EQ(bench.sent(esp::Command::Sync), static_cast<std::size_t>(Flasher::kSyncAttempts));
  EXPECT_GT(bench.lineChanges, 3u);  // the reset was tried again between sync rounds
}

TEST(Flasher, AnUnknownChipMagicIsAWrongChip) {
  FlasherBench bench(LoaderChip::Esp8266);
  bench.changeReply = [](const ByteVector& request, ByteVector& frames) {
    if (request[1] == static_cast<std::uint8_t>(esp::Command::ReadReg) && request[8] == 0x00 &&
        request[11] == 0x40) {
      ByteVector packet(10);
      const ByteVector status{0, 0};
      packet.resize(esp::encodeResponse(0x0A, 0x000007C6, status, packet));  // an ESP32-S2
      frames.assign(proto::slipEncodedSize(packet), 0);
      frames.resize(proto::slipEncode(packet, frames));
    }
  };
  Flasher flasher(planFor(sampleImage(100)));
  const auto& report = bench.run(flasher);
  EXPECT_EQ(report.failure, FlashFailure::WrongChip);
  EXPECT_NE(report.message.find("0x000007c6"), std::string::npos) << report.message;
}

TEST(Flasher, AChipOtherThanTheExpectedOneIsRefusedBeforeAnyWrite) {
  FlasherBench bench(LoaderChip::Esp8266);
  FlashPlan plan = planFor(sampleImage(100));
  plan.expectChip = gizrig::flash::Chip::Esp32;
  Flasher flasher(plan);
  const auto& report = bench.run(flasher);
  EXPECT_EQ(report.failure, FlashFailure::WrongChip);
  EXPECT_EQ(report.message, "the module is an ESP8266, expected an ESP32");
  EXPECT_EQ(bench.sent(esp::Command::FlashBegin), 0u);
}

TEST(Flasher, Md5MismatchNamesBothSums) {
  FlasherBench bench(LoaderChip::Esp32);
  const ByteVector image = sampleImage(20'000);
  // The flash keeps a stuck bit: what was written is not what reads back.
  bench.beforeRequest = [&](gizrig::flash::FlashMillis) {
    if (bench.requests.back()[1] == static_cast<std::uint8_t>(esp::Command::SpiFlashMd5)) {
      const ByteVector zero{0x00};
      bench.flash.write(0x2000 + 100, zero);
    }
  };
  Flasher flasher(planFor(image));
  const auto& report = bench.run(flasher);
  ASSERT_EQ(report.failure, FlashFailure::Md5Mismatch) << report.message;
  EXPECT_NE(report.message.find("file " + report.images[0].md5 + ", flash "), std::string::npos)
      << report.message;
  EXPECT_EQ(report.message.size(),
            std::string("MD5 mismatch for app.img at 0x2000: file , flash ").size() + 64);
}

TEST(Flasher, ABlockWhoseAnswerIsLostIsSentAgainAndTheWriteSucceeds) {
  FlasherBench bench(LoaderChip::Esp8266);
  const ByteVector image = sampleImage(5'000);
  int dataBlocks = 0;
  bench.dropRequest = [&](const ByteVector& request) {
    return request[1] == static_cast<std::uint8_t>(esp::Command::FlashData) && ++dataBlocks == 3;
  };
  Flasher flasher(planFor(image));
  const auto& report = bench.run(flasher);
  ASSERT_TRUE(report.ok()) << report.message;
  EXPECT_EQ(bench.sent(esp::Command::FlashData), 6u);  // 5 blocks, the third twice
  EXPECT_EQ(bench.flashBytes(0x2000, image.size()), image);
}

TEST(Flasher, TimeoutMidWriteGivesUpAfterTheRetriesAndNamesTheBlock) {
  FlasherBench bench(LoaderChip::Esp8266);
  int dataBlocks = 0;
  bench.dropRequest = [&](const ByteVector& request) {
    return request[1] == static_cast<std::uint8_t>(esp::Command::FlashData) && ++dataBlocks >= 4;
  };
  Flasher flasher(planFor(sampleImage(10'000)));
  const auto& report = bench.run(flasher);
  EXPECT_EQ(report.failure, FlashFailure::Timeout);
  EXPECT_NE(report.message.find("FLASH_DATA block 4 of 10"), std::string::npos) << report.message;
  EXPECT_EQ(bench.sent(esp::Command::FlashData), 3u + static_cast<std::size_t>(Flasher::kBlockAttempts));
}

TEST(Flasher, ACorruptedBlockIsRefusedWithTheLoadersChecksumError) {
  FlasherBench bench(LoaderChip::Esp8266);
  bench.corruptRequest = [](ByteVector& request) {
    if (request[1] == static_cast<std::uint8_t>(esp::Command::FlashData))
      request[30] ^= 0x01;  // noise on the line
  };
  Flasher flasher(planFor(sampleImage(3'000)));
  const auto& report = bench.run(flasher);
  EXPECT_EQ(report.failure, FlashFailure::Refused);
  EXPECT_NE(report.message.find("error 0x07: checksum error"), std::string::npos) << report.message;
}

TEST(Flasher, TheModuleVanishingMidWriteIsAPortFailureWithTheOsReason) {
  FlasherBench bench(LoaderChip::Esp32);
  Flasher flasher(planFor(sampleImage(30'000)));
  int dataBlocks = 0;
  bench.dropRequest = [&](const ByteVector& request) {
    if (request[1] == static_cast<std::uint8_t>(esp::Command::FlashDeflData) && ++dataBlocks == 2) {
      flasher.portFailed("Input/output error", bench.now);
      return true;
    }
    return false;
  };
  const auto& report = bench.run(flasher);
  EXPECT_EQ(report.failure, FlashFailure::PortLost);
  EXPECT_NE(report.message.find("(Input/output error)"), std::string::npos) << report.message;
  EXPECT_TRUE(flasher.finished());
}

TEST(Flasher, AnImageThatDoesNotFitTheFlashIsRefusedByTheModule) {
  FlasherBench bench(LoaderChip::Esp32, 16);  // 64 KiB of flash
  Flasher flasher(planFor(sampleImage(100'000)));
  const auto& report = bench.run(flasher);
  EXPECT_EQ(report.failure, FlashFailure::Refused);
  EXPECT_NE(report.message.find("FLASH_DEFL_BEGIN"), std::string::npos) << report.message;
}

TEST(Flasher, ACommandTheRomDoesNotKnowIsReportedAsUnsupported) {
  // An ESP8266 ROM asked for MD5 (a broken client): it answers "invalid message" under another command byte.
  FlasherBench bench(LoaderChip::Esp8266);
  ByteVector request(8 + 16);
  const ByteVector words(16, 0);
  request.resize(esp::encodeRequest(0x13, words, 0, request));
  const auto reply = bench.loader.handle(request);
  ByteVector storage(64);
  proto::SlipDecoder decoder(storage);
  ByteVector packet;
  for (const std::uint8_t b : reply.frames)
    if (decoder.feed(b) == proto::SlipDecoder::Event::Frame)
      packet.assign(decoder.frame().begin(), decoder.frame().end());
  const auto response = esp::parseResponse(packet);
  ASSERT_TRUE(response);
  EXPECT_NE(response->command, 0x13);
  EXPECT_EQ(response->data[0], 1);
  EXPECT_EQ(response->data[1], esp::kErrorInvalidMessage);
}

}  // namespace
}  // namespace gagent::test
